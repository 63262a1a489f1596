// Screenshot intake: the type comes from the bytes, refusals say why, and the stored copy carries
// none of the metadata the original had (EXIF, GPS).
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderChatScreenshot } from "../../test/chat-screenshot.ts";
import { ImageError, normaliseScreenshot, sniffImageType } from "./normalise.ts";

async function refusal(input: Buffer): Promise<string> {
  try {
    await normaliseScreenshot(input);
  } catch (error) {
    if (error instanceof ImageError) return error.reason;
    throw error;
  }
  throw new Error("accepted");
}

describe("normaliseScreenshot", () => {
  it("drops EXIF and GPS from a JPEG and keeps its type and size", async () => {
    const base = await renderChatScreenshot([{ text: "Where are you?", side: "left" }], { format: "jpeg" });
    const tagged = await sharp(base)
      .withExif({
        IFD0: { Make: "PhoneCo", Model: "Pocket 9" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      })
      .jpeg()
      .toBuffer();
    expect((await sharp(tagged).metadata()).exif).toBeDefined();
    const image = await normaliseScreenshot(tagged);
    const after = await sharp(image.data).metadata();
    expect(after.exif).toBeUndefined();
    expect(image.data.includes(Buffer.from("PhoneCo"))).toBe(false);
    expect(image).toMatchObject({ mime: "image/jpeg", extension: "jpg", width: 720 });
    expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("decides the type by content: a PNG named anything is a PNG, text is not an image, GIF is unsupported", async () => {
    const png = await renderChatScreenshot([{ text: "Hello", side: "right" }]);
    expect(sniffImageType(png)).toBe("image/png");
    expect((await normaliseScreenshot(png)).mime).toBe("image/png");
    expect(await refusal(Buffer.from("just some text, saved as photo.png"))).toBe("not_an_image");
    const gif = await sharp(png).gif().toBuffer();
    expect(await refusal(gif)).toBe("unsupported_type");
    // A PNG signature in front of a JPEG body: the decoder and the signature disagree.
    const jpeg = await sharp(png).jpeg().toBuffer();
    expect(await refusal(Buffer.concat([png.subarray(0, 8), jpeg]))).not.toBe("accepted");
  });

  it("refuses truncated, tiny, blank and oversized files", async () => {
    const png = await renderChatScreenshot([{ text: "Hello", side: "right" }]);
    expect(await refusal(png.subarray(0, png.length >> 1))).toBe("unreadable");
    expect(
      await refusal(
        await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } })
          .png()
          .toBuffer(),
      ),
    ).toBe("too_small");
    expect(
      await refusal(
        await sharp({ create: { width: 400, height: 400, channels: 3, background: "#fff" } })
          .png()
          .toBuffer(),
      ),
    ).toBe("blank");
    await expect(normaliseScreenshot(png, { maxBytes: 100 })).rejects.toMatchObject({ reason: "too_large" });
  });
});
