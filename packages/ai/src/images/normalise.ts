// Screenshot intake: decides what an upload is from its bytes (never its name or declared type),
// refuses what cannot be a readable screenshot, and re-encodes it with sharp, which drops every
// piece of metadata (EXIF, GPS, ICC comments) so nothing the phone recorded is kept.
import { createHash } from "node:crypto";
import { SCREENSHOT_MAX_SIDE, SCREENSHOT_MIN_SIDE, type TScreenshotMime, UPLOAD_MAX_BYTES } from "@lockstep/contracts";
import sharp from "sharp";

export type ImageRefusal =
  "too_large" | "not_an_image" | "unsupported_type" | "unreadable" | "too_small" | "too_big_dimensions" | "blank";

/** Why an upload was refused, with a sentence the person can act on. */
export class ImageError extends Error {
  override name = "ImageError";
  constructor(
    readonly reason: ImageRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface NormalisedImage {
  data: Buffer;
  mime: TScreenshotMime;
  extension: "png" | "jpg" | "webp";
  width: number;
  height: number;
  /** Of the re-encoded bytes: the same picture uploaded twice is stored once. */
  sha256: string;
  /** What was received, for the interaction log's file_metadata. */
  original: { bytes: number; mime: TScreenshotMime; width: number; height: number };
}

/** Image types people may try that OCR does not take: told apart from "not an image" at all. */
export function isOtherImageType(bytes: Uint8Array): boolean {
  const ascii = Buffer.from(bytes.subarray(0, 12)).toString("latin1");
  return (
    ascii.startsWith("GIF8") ||
    ascii.startsWith("BM") ||
    ascii.startsWith("II*\0") ||
    ascii.startsWith("MM\0*") ||
    ascii.slice(4, 12).startsWith("ftyphei")
  );
}

/** The type by magic bytes; null for anything else (text, PDF, GIF, SVG...). */
export function sniffImageType(bytes: Uint8Array): TScreenshotMime | null {
  const starts = (signature: number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

const SHARP_FORMAT: Record<string, TScreenshotMime> = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };

/**
 * Validates and re-encodes an upload. Decoding runs in libvips' thread pool, not on the event
 * loop; `failOn: "truncated"` makes a cut-off file an error instead of a half-grey picture.
 */
export async function normaliseScreenshot(
  input: Buffer,
  options: { maxBytes?: number } = {},
): Promise<NormalisedImage> {
  const maxBytes = options.maxBytes ?? UPLOAD_MAX_BYTES;
  if (input.length > maxBytes) {
    throw new ImageError(
      "too_large",
      `The file is larger than ${Math.round(maxBytes / (1024 * 1024))} MB. Upload a smaller screenshot.`,
    );
  }
  const sniffed = sniffImageType(input);
  if (!sniffed && isOtherImageType(input))
    throw new ImageError("unsupported_type", "Only PNG, JPEG and WebP screenshots can be read.");
  if (!sniffed)
    throw new ImageError("not_an_image", "The file is not an image. Upload a PNG, JPEG or WebP screenshot.");
  const limitInputPixels = SCREENSHOT_MAX_SIDE * SCREENSHOT_MAX_SIDE;
  let metadata: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    metadata = await sharp(input, { failOn: "truncated", limitInputPixels }).metadata();
  } catch {
    throw new ImageError(
      "unreadable",
      "The image could not be read; it may be damaged or incomplete. Try another screenshot.",
    );
  }
  const format = metadata.format ? SHARP_FORMAT[metadata.format] : undefined;
  // The header and the decoder must agree: a PNG signature in front of something else is not a PNG.
  if (!format || format !== sniffed) {
    throw new ImageError("unsupported_type", "Only PNG, JPEG and WebP screenshots can be read.");
  }
  const width = metadata.autoOrient.width;
  const height = metadata.autoOrient.height;
  if (!width || !height) throw new ImageError("unreadable", "The image could not be read; it has no size.");
  if (width < SCREENSHOT_MIN_SIDE || height < SCREENSHOT_MIN_SIDE) {
    throw new ImageError(
      "too_small",
      `The image is too small to read (${width}×${height} pixels). Upload a screenshot at least ${SCREENSHOT_MIN_SIDE} pixels on each side.`,
    );
  }
  if (width > SCREENSHOT_MAX_SIDE || height > SCREENSHOT_MAX_SIDE) {
    throw new ImageError("too_big_dimensions", `The image is too large to read (${width}×${height} pixels).`);
  }

  let data: Buffer;
  let stats: Awaited<ReturnType<ReturnType<typeof sharp>["stats"]>>;
  try {
    // rotate() applies the EXIF orientation before the metadata that carried it is dropped.
    const pipeline = sharp(input, { failOn: "truncated", limitInputPixels }).rotate();
    if (format === "image/png") data = await pipeline.png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer();
    else if (format === "image/jpeg") data = await pipeline.jpeg({ quality: 92, mozjpeg: true }).toBuffer();
    else data = await pipeline.webp({ quality: 92 }).toBuffer();
    stats = await sharp(data).stats();
  } catch {
    throw new ImageError(
      "unreadable",
      "The image could not be read; it may be damaged or incomplete. Try another screenshot.",
    );
  }
  // A picture of one flat colour holds no text; say so now rather than after an OCR run.
  const colourChannels = stats.channels.slice(0, 3);
  if (colourChannels.every((channel) => channel.stdev < 2)) {
    throw new ImageError(
      "blank",
      "The image is blank: there is no text in it to read. Upload a screenshot of the conversation.",
    );
  }
  return {
    data,
    mime: format,
    extension: format === "image/png" ? "png" : format === "image/jpeg" ? "jpg" : "webp",
    width,
    height,
    sha256: createHash("sha256").update(data).digest("hex"),
    original: { bytes: input.length, mime: sniffed, width, height },
  };
}
