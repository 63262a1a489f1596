// Renders chat screenshots for tests: bubbles left (the contact) and right (the person), drawn as
// SVG and rasterised by sharp (librsvg), in a few fonts, sizes and colour themes.
import sharp from "sharp";

export interface ChatBubble {
  text: string;
  side: "left" | "right";
}

export type ChatTheme = "imessage" | "whatsapp" | "dark" | "plain";

export interface ChatScreenshotOptions {
  /** Image width in pixels (default 720). */
  width?: number;
  /** Installed font family; DejaVu Sans, DejaVu Serif and Liberation Sans are on Debian by default. */
  fontFamily?: string;
  fontSize?: number;
  theme?: ChatTheme;
  /** Output format (default png). */
  format?: "png" | "jpeg" | "webp";
}

const THEMES: Record<ChatTheme, { background: string; left: [string, string]; right: [string, string] }> = {
  // [bubble fill, text colour]
  imessage: { background: "#ffffff", left: ["#e9e9eb", "#000000"], right: ["#0b84ff", "#ffffff"] },
  whatsapp: { background: "#ece5dd", left: ["#ffffff", "#111111"], right: ["#dcf8c6", "#111111"] },
  dark: { background: "#000000", left: ["#26252a", "#ffffff"], right: ["#0a84ff", "#ffffff"] },
  // No bubbles at all, only text aligned left and right (some chat exports look like this).
  plain: { background: "#ffffff", left: ["#ffffff", "#222222"], right: ["#ffffff", "#222222"] },
};

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Greedy word wrap by an average glyph width (generous, so the text always fits its bubble). */
function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!current) current = word;
    else if (current.length + 1 + word.length <= maxChars) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** A PNG (or JPEG/WebP) of the bubbles, top to bottom, in the order given. */
export async function renderChatScreenshot(
  bubbles: ChatBubble[],
  options: ChatScreenshotOptions = {},
): Promise<Buffer> {
  const width = options.width ?? 720;
  const fontSize = options.fontSize ?? 24;
  const fontFamily = options.fontFamily ?? "DejaVu Sans";
  const theme = THEMES[options.theme ?? "imessage"];
  const glyph = fontSize * 0.62;
  const lineHeight = Math.round(fontSize * 1.35);
  const padX = Math.round(fontSize * 0.7);
  const padY = Math.round(fontSize * 0.5);
  const margin = Math.round(width * 0.04);
  const maxChars = Math.max(8, Math.floor((width * 0.68 - 2 * padX) / glyph));
  const parts: string[] = [];
  let y = margin + fontSize;
  for (const bubble of bubbles) {
    const lines = wrap(bubble.text, maxChars);
    const longest = Math.max(...lines.map((line) => line.length));
    const bubbleWidth = Math.round(longest * glyph + 2 * padX);
    const bubbleHeight = lines.length * lineHeight + 2 * padY;
    const x = bubble.side === "left" ? margin : width - margin - bubbleWidth;
    const [fill, ink] = bubble.side === "left" ? theme.left : theme.right;
    parts.push(
      `<rect x="${x}" y="${y}" width="${bubbleWidth}" height="${bubbleHeight}" rx="${Math.round(fontSize * 0.8)}" fill="${fill}"/>`,
    );
    lines.forEach((line, index) => {
      const baseline = y + padY + index * lineHeight + Math.round(fontSize * 1.0);
      parts.push(
        `<text x="${x + padX}" y="${baseline}" font-family="${escapeXml(fontFamily)}" font-size="${fontSize}" fill="${ink}">${escapeXml(line)}</text>`,
      );
    });
    y += bubbleHeight + Math.round(fontSize * 0.75);
  }
  const height = y + margin;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${theme.background}"/>${parts.join("")}</svg>`;
  const image = sharp(Buffer.from(svg));
  if (options.format === "jpeg") return image.jpeg({ quality: 90 }).toBuffer();
  if (options.format === "webp") return image.webp({ quality: 90 }).toBuffer();
  return image.png().toBuffer();
}

/** One flat colour: a picture with nothing to read. */
export function solidImage(width: number, height: number, colour = "#f4f4f4"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

/** A colour gradient: not blank, yet nothing to read either. */
export function gradientImage(width = 600, height = 400): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#3366cc"/><stop offset="1" stop-color="#ffcc66"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Random pixels stored uncompressed: a valid PNG of about width × height × 3 bytes. */
export function noiseImage(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < pixels.length; index += 4)
    pixels.writeUInt32LE((Math.random() * 0x1_0000_0000) >>> 0, Math.min(index, pixels.length - 4));
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

export async function imageInfo(
  data: Buffer,
): Promise<{ format: string | undefined; width: number; height: number; hasExif: boolean }> {
  const metadata = await sharp(data).metadata();
  return { format: metadata.format, width: metadata.width, height: metadata.height, hasExif: Boolean(metadata.exif) };
}
