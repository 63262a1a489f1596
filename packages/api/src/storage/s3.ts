// Screenshots in any S3-compatible object store (AWS S3, MinIO, Cloudflare R2, Backblaze B2...),
// through the AWS SDK; objects are private and served only through the authenticated route.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { assertKey, type BlobStorage } from "./types.ts";

export interface S3StorageConfig {
  bucket: string;
  region: string;
  /** For stores other than AWS (http://localhost:9000 for MinIO); AWS's own when unset. */
  endpoint?: string | undefined;
  /** Path-style URLs (bucket in the path), which most self-hosted stores need. */
  forcePathStyle?: boolean | undefined;
  /** Without these the SDK's default chain applies (environment, profile, instance role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Prepended to every key, e.g. "lockstep/". */
  prefix?: string | undefined;
}

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404);

export function createS3Storage(config: S3StorageConfig, client?: S3Client): BlobStorage {
  const s3 =
    client ??
    new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle ?? Boolean(config.endpoint),
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
    });
  const prefix = config.prefix ?? "";
  const keyOf = (key: string) => {
    assertKey(key);
    return `${prefix}${key}`;
  };
  return {
    kind: "s3",
    location: `s3://${config.bucket}/${prefix}`,
    async put(key, data, contentType) {
      await s3.send(
        new PutObjectCommand({ Bucket: config.bucket, Key: keyOf(key), Body: data, ContentType: contentType }),
      );
    },
    async get(key) {
      try {
        const response = await s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: keyOf(key) }));
        if (!response.Body) return null;
        return Buffer.from(await response.Body.transformToByteArray());
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async exists(key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: config.bucket, Key: keyOf(key) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async delete(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: keyOf(key) }));
    },
  };
}
