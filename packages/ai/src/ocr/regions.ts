// Finds the chat bubbles of a screenshot (areas of one colour that differ from the background)
// and prepares the picture Tesseract reads: grey, each bubble (and the background) stretched so
// its fill is white and its text black. Light text on a coloured bubble (an iMessage reply, dark
// mode) is otherwise lost: Tesseract reads dark text on a light page.
import sharp from "sharp";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Region extends Box {
  /** Grey level 0..255 of the region's fill. */
  fill: number;
}

export interface PreparedImage {
  /** What OCR reads (PNG), `scale` times the original size. */
  image: Buffer;
  scale: number;
  width: number;
  height: number;
  /** Grey level of the background. */
  background: number;
  /** Bubbles, in the original image's pixels. */
  bubbles: Region[];
}

interface Found {
  width: number;
  height: number;
  background: number;
  bubbles: (Region & { mask: { data: Buffer; width: number; height: number } })[];
}

/** Grey-level difference that separates a bubble from the background. */
const FILL_DIFFERENCE = 14;
/** Smallest bubble, as shares of the image width (a one-word bubble; a line of small text). */
const MIN_BUBBLE_WIDTH = 0.06;
const MIN_BUBBLE_HEIGHT = 0.04;
/** Analysis grid: about this many cells across, whatever the image width. */
const GRID_WIDTH = 360;
/** Narrower screenshots have small text, which Tesseract reads better upscaled. */
const SMALL_WIDTH = 900;

function median(values: number[]): number {
  if (!values.length) return 255;
  values.sort((a, b) => a - b);
  return values[values.length >> 1]!;
}

/** The most frequent grey level, as the background (chat screenshots are mostly background). */
function dominantGrey(grid: Buffer): number {
  const histogram = new Uint32Array(256);
  for (const value of grid) histogram[value]! += 1;
  let best = 0;
  for (let level = 1; level < 256; level++) if (histogram[level]! > histogram[best]!) best = level;
  return best;
}

/**
 * Connected areas that differ from the background, on a coarse grid (nearest-neighbour, so the
 * gaps between bubbles survive). Small or sparse areas are text on the background, not bubbles.
 * Each bubble keeps its shape as a mask (eroded by a cell), so its rounded corners stay background.
 */
export async function findBubbles(input: Buffer): Promise<Found> {
  const metadata = await sharp(input).metadata();
  const factor = Math.max(1, Math.round(metadata.width / GRID_WIDTH));
  const gridWidth = Math.max(1, Math.round(metadata.width / factor));
  // Colour decides what is a bubble (a green bubble on beige can be the same grey); grey gives fills.
  const { data: colour, info } = await sharp(input)
    .removeAlpha()
    .resize({ width: gridWidth, kernel: "nearest" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grid = await sharp(input)
    .removeAlpha()
    .greyscale()
    .resize({ width: gridWidth, kernel: "nearest" })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const gw = info.width;
  const gh = info.height;
  const cells = gw * gh;
  const background = dominantGrey(grid);
  const backgroundCell = grid.indexOf(background);
  const bg = [colour[backgroundCell * 3]!, colour[backgroundCell * 3 + 1]!, colour[backgroundCell * 3 + 2]!];
  // 0: background, -1: differs (unvisited), n > 0: component n.
  const labels = new Int32Array(cells);
  for (let index = 0; index < cells; index++) {
    const offset = index * 3;
    const difference = Math.max(
      Math.abs(colour[offset]! - bg[0]!),
      Math.abs(colour[offset + 1]! - bg[1]!),
      Math.abs(colour[offset + 2]! - bg[2]!),
    );
    if (difference > FILL_DIFFERENCE) labels[index] = -1;
  }
  const sx = metadata.width / gw;
  const sy = metadata.height / gh;
  const bubbles: Found["bubbles"] = [];
  const stack = new Int32Array(cells);
  let label = 0;
  for (let start = 0; start < cells; start++) {
    if (labels[start] !== -1) continue;
    label += 1;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    let minX = gw;
    let minY = gh;
    let maxX = 0;
    let maxY = 0;
    let area = 0;
    const greys: number[] = [];
    while (top > 0) {
      const cell = stack[--top]!;
      const cx = cell % gw;
      const cy = (cell - cx) / gw;
      area += 1;
      if (area % 5 === 1) greys.push(grid[cell]!);
      if (cx < minX) minX = cx;
      if (cx > maxX) maxX = cx;
      if (cy < minY) minY = cy;
      if (cy > maxY) maxY = cy;
      for (const next of [
        cx > 0 ? cell - 1 : -1,
        cx < gw - 1 ? cell + 1 : -1,
        cy > 0 ? cell - gw : -1,
        cy < gh - 1 ? cell + gw : -1,
      ]) {
        if (next >= 0 && labels[next] === -1) {
          labels[next] = label;
          stack[top++] = next;
        }
      }
    }
    const boxW = maxX - minX + 1;
    const boxH = maxY - minY + 1;
    // A bubble is a solid shape of one colour, at least a short word wide and a line tall; glyphs
    // of text on the bare background are smaller than that (and letters do not touch).
    if (boxW * sx < MIN_BUBBLE_WIDTH * metadata.width || boxH * sy < MIN_BUBBLE_HEIGHT * metadata.width) continue;
    if (area < 0.55 * boxW * boxH) continue;
    const middle = median([...greys]);
    if (greys.filter((grey) => Math.abs(grey - middle) <= 16).length < 0.6 * greys.length) continue;
    // Text the colour of the background leaves holes in the shape; bubbles are convex across,
    // so each row is filled between its outermost cells, then eroded by a cell.
    const filled = new Uint8Array(boxW * boxH);
    for (let y = minY; y <= maxY; y++) {
      let first = -1;
      let last = -1;
      for (let x = minX; x <= maxX; x++) {
        if (labels[y * gw + x] !== label) continue;
        if (first === -1) first = x;
        last = x;
      }
      for (let x = first; first !== -1 && x <= last; x++) filled[(y - minY) * boxW + (x - minX)] = 1;
    }
    const inside = (x: number, y: number) => x >= 0 && x < boxW && y >= 0 && y < boxH && filled[y * boxW + x] === 1;
    // One cell of margin around the shape, so the bubble's anti-aliased outline is painted over too.
    const maskW = boxW + 2;
    const maskH = boxH + 2;
    const mask = Buffer.alloc(maskW * maskH);
    for (let y = 0; y < boxH; y++) {
      for (let x = 0; x < boxW; x++) {
        if (inside(x, y) && inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1))
          mask[(y + 1) * maskW + x + 1] = 255;
      }
    }
    const left = Math.max(0, Math.floor((minX - 1) * sx));
    const topPx = Math.max(0, Math.floor((minY - 1) * sy));
    const right = Math.min(metadata.width, Math.ceil((maxX + 2) * sx));
    const bottom = Math.min(metadata.height, Math.ceil((maxY + 2) * sy));
    bubbles.push({
      x: left,
      y: topPx,
      width: right - left,
      height: bottom - topPx,
      fill: middle,
      mask: { data: mask, width: maskW, height: maskH },
    });
  }
  return { width: metadata.width, height: metadata.height, background, bubbles };
}

/** The background's text is light when the background is dark (dark mode): invert, then whiten. */
function whitenBackground(image: ReturnType<typeof sharp>, fill: number): ReturnType<typeof sharp> {
  const dark = fill < 128;
  const gain = 255 / Math.max(dark ? 255 - fill : fill, 32);
  // sharp applies linear() before negate() whatever the call order, so fold the inversion in.
  return dark ? image.linear(gain, 255 - 255 * gain).negate({ alpha: false }) : image.linear(gain, 0);
}

/** How far from its fill a pixel must be to count as ink when telling light text from dark. */
const INK_DIFFERENCE = 48;

/**
 * One bubble, text black on white: which way its text goes is decided by its ink (more pixels
 * well above the fill than below means light text), not by the fill alone, since a mid-blue bubble
 * is as bright as a grey one. Pixels outside the bubble's shape (corners, outline) turn white.
 */
export function whitenBubble(grey: Buffer, alpha: Buffer, fill: number): Buffer {
  let lighter = 0;
  let darker = 0;
  for (let index = 0; index < grey.length; index++) {
    if (alpha[index]! < 128) continue;
    const value = grey[index]!;
    if (value > fill + INK_DIFFERENCE) lighter += 1;
    else if (value < fill - INK_DIFFERENCE) darker += 1;
  }
  const lightText = lighter > darker;
  const gain = 255 / Math.max(lightText ? 255 - fill : fill, 32);
  const pixels = Buffer.alloc(grey.length);
  for (let index = 0; index < grey.length; index++) {
    const value = grey[index]!;
    // Outside the shape (corners, the outline) is background, which is white by now.
    pixels[index] =
      alpha[index]! < 128 ? 255 : Math.min(255, Math.max(0, Math.round((lightText ? 255 - value : value) * gain)));
  }
  return pixels;
}

/** The picture OCR reads: grey, every region's text black on white, small screenshots upscaled. */
export async function prepareForOcr(input: Buffer): Promise<PreparedImage> {
  const found = await findBubbles(input);
  const grey = await sharp(input).removeAlpha().greyscale().png().toBuffer();
  const base = await whitenBackground(sharp(grey), found.background).png().toBuffer();
  const overlays = await Promise.all(
    found.bubbles.map(async (bubble) => {
      const alpha = await sharp(bubble.mask.data, {
        raw: { width: bubble.mask.width, height: bubble.mask.height, channels: 1 },
      })
        .resize({ width: bubble.width, height: bubble.height, fit: "fill", kernel: "nearest" })
        .extractChannel(0)
        .raw()
        .toBuffer();
      const crop = await sharp(grey)
        .extract({ left: bubble.x, top: bubble.y, width: bubble.width, height: bubble.height })
        .extractChannel(0)
        .raw()
        .toBuffer();
      const pixels = whitenBubble(crop, alpha, bubble.fill);
      return {
        input: pixels,
        raw: { width: bubble.width, height: bubble.height, channels: 1 as const },
        left: bubble.x,
        top: bubble.y,
      };
    }),
  );
  const scale = found.width < SMALL_WIDTH ? 2 : 1;
  let pipeline = sharp(overlays.length ? await sharp(base).composite(overlays).png().toBuffer() : base);
  if (scale !== 1) pipeline = pipeline.resize({ width: found.width * scale, kernel: "lanczos3" });
  const image = await pipeline.greyscale().png().toBuffer();
  return {
    image,
    scale,
    width: found.width,
    height: found.height,
    background: found.background,
    bubbles: found.bubbles.map((bubble) => ({
      x: bubble.x,
      y: bubble.y,
      width: bubble.width,
      height: bubble.height,
      fill: bubble.fill,
    })),
  };
}
