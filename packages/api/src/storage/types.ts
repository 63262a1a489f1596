// The small storage interface screenshots are kept behind: local disk by default, any
// S3-compatible object store when configured. Keys are relative paths the application makes.
export interface BlobStorage {
  /** "local" or "s3", for logs and the health of the configuration. */
  readonly kind: "local" | "s3";
  /** Where objects go, for the start-up banner (a directory, or s3://bucket/prefix). */
  readonly location: string;
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Removing a missing object is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are made by the application (`screenshots/<user>/<sha256>.png`); anything else is a bug. */
export function assertKey(key: string): void {
  if (!/^[\w-]+(\/[\w-]+)*\/[\w-]+\.[a-z0-9]+$/i.test(key) || key.length > 300)
    throw new Error(`invalid storage key: ${key}`);
}
