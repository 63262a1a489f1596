// Finds the conversation in a chat screenshot the way a person sees it: areas of one flat colour
// (a bubble's fill, a wallpaper, a bar) are grown on a coarse grid with a small step tolerance, so
// gradients and doodle wallpapers stay background; full-width bands at the top and bottom are the
// status bar, header and composer; centred shapes are day separators and notices; small round
// ones are avatars; small shapes hanging off a bubble's edge are reactions. What is left, anchored
// to a side, is a bubble, and its side and fill colour say who wrote it. Big glyphs on the bare
// background beside a side are emoji sent on their own.
import sharp from "sharp";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Bubble extends Rect {
  /** Fill colour (RGB). */
  fill: [number, number, number];
  side: "left" | "right";
  /** 0..1: how sure the side is (position and fill colour agree, and far from the middle). */
  sideConfidence: number;
  /** The bubble's shape on the grid (1 inside), `maskWidth` cells across, covering the rect. */
  mask: Uint8Array;
  maskWidth: number;
  maskHeight: number;
}

export interface Layout {
  width: number;
  height: number;
  /** The conversation area, between the header and the composer (image pixels). */
  chat: { top: number; bottom: number };
  bubbles: Bubble[];
  /** Big glyphs beside a side outside any bubble: emoji (or a sticker) sent on their own. */
  glyphs: (Rect & { side: "left" | "right" })[];
  /** Typical height of one line of message text, in image pixels (from one-line bubbles). */
  lineHeight: number;
}

/** Cells across the analysis grid (narrower images use their own pixels). */
const GRID_WIDTH = 420;
/**
 * Largest colour difference from where a flat area started (per channel). Bubbles differ from the
 * background by as little as 14 (light grey on white), and the anti-aliased edge between them
 * is half-way: so an area must not stray further than this from its first cell. A gradient
 * wallpaper falls into bands, which span the width and so are never bubbles.
 */
const STEP = 6;
/** A bubble is at least this wide, as a share of the image width. */
const MIN_WIDTH = 0.07;

interface Component {
  label: number;
  count: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  sum: [number, number, number];
}

const colourAt = (data: Buffer, cell: number) => [data[cell * 3]!, data[cell * 3 + 1]!, data[cell * 3 + 2]!] as const;

const colourDistance = (a: readonly number[], b: readonly number[]) =>
  Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!));

export async function findLayout(input: Buffer): Promise<Layout> {
  const metadata = await sharp(input).metadata();
  const width = metadata.width;
  const height = metadata.height;
  const gw = Math.min(width, GRID_WIDTH);
  // JPEG noise would break a flat fill into specks; a small median takes it out and keeps edges.
  // (On a lossless picture it would only round off the thin strokes a doodle wallpaper is drawn
  // with, gluing them to the bubbles they touch.)
  const { data, info } = await (metadata.format === "jpeg" ? sharp(input).median(3) : sharp(input))
    .removeAlpha()
    // Nearest neighbour: averaging would blend a bubble's edge into the wallpaper step by step.
    .resize({ width: gw, kernel: "nearest" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const gh = info.height;
  const sx = width / gw;
  const sy = height / gh;
  const cells = gw * gh;
  const at = (cell: number) => [data[cell * 3]!, data[cell * 3 + 1]!, data[cell * 3 + 2]!] as const;

  // Flat areas: neighbours whose colours differ by at most STEP belong together.
  // Areas start only from cells like their neighbours, never from an edge or a letter's stroke:
  // an area is everything within STEP of its first cell's colour.
  const flat = new Uint8Array(cells);
  for (let y = 1; y < gh - 1; y++) {
    for (let x = 1; x < gw - 1; x++) {
      const cell = y * gw + x;
      const offset = cell * 3;
      let same = true;
      for (const next of [offset - 3, offset + 3, offset - 3 * gw, offset + 3 * gw]) {
        if (
          Math.abs(data[next]! - data[offset]!) > 3 ||
          Math.abs(data[next + 1]! - data[offset + 1]!) > 3 ||
          Math.abs(data[next + 2]! - data[offset + 2]!) > 3
        ) {
          same = false;
          break;
        }
      }
      if (same) flat[cell] = 1;
    }
  }
  const labels = new Int32Array(cells).fill(-1);
  const components: Component[] = [];
  const stack = new Int32Array(cells);
  for (let start = 0; start < cells; start++) {
    if (labels[start] !== -1 || !flat[start]) continue;
    const label = components.length;
    const component: Component = { label, count: 0, minX: gw, minY: gh, maxX: 0, maxY: 0, sum: [0, 0, 0] };
    components.push(component);
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    const seed = at(start);
    while (top > 0) {
      const cell = stack[--top]!;
      const cx = cell % gw;
      const cy = (cell - cx) / gw;
      component.count += 1;
      component.sum[0] += data[cell * 3]!;
      component.sum[1] += data[cell * 3 + 1]!;
      component.sum[2] += data[cell * 3 + 2]!;
      if (cx < component.minX) component.minX = cx;
      if (cx > component.maxX) component.maxX = cx;
      if (cy < component.minY) component.minY = cy;
      if (cy > component.maxY) component.maxY = cy;
      for (let side = 0; side < 4; side++) {
        const next =
          side === 0
            ? cx > 0
              ? cell - 1
              : -1
            : side === 1
              ? cx < gw - 1
                ? cell + 1
                : -1
              : side === 2
                ? cy > 0
                  ? cell - gw
                  : -1
                : cy < gh - 1
                  ? cell + gw
                  : -1;
        if (next === -1 || labels[next] !== -1) continue;
        const offset = next * 3;
        // Within STEP of the area's first colour (per channel), without allocating per cell.
        if (
          Math.abs(data[offset]! - seed[0]) > STEP ||
          Math.abs(data[offset + 1]! - seed[1]) > STEP ||
          Math.abs(data[offset + 2]! - seed[2]) > STEP
        )
          continue;
        labels[next] = label;
        stack[top++] = next;
      }
    }
  }
  const fillOf = (component: Component) =>
    component.sum.map((value) => Math.round(value / component.count)) as [number, number, number];

  // Bars: flat areas across the whole width near the top (status bar, header) or bottom (composer).
  // They follow one another from the edge, and end in a sharp edge (a gradient's band does not).
  // (A row or two past the bar is looked at too: a thin border line may come first.)
  const sharpEdge = (component: Component, row: number, direction: 1 | -1) => {
    const fill = fillOf(component);
    for (let step = 0; step < 3; step++) {
      const y = row + step * direction;
      if (y < 0 || y >= gh) return true;
      let differing = 0;
      for (let x = 0; x < gw; x++) if (colourDistance(at(y * gw + x), fill) > 3 * STEP) differing += 1;
      if (differing > 0.6 * gw) return true;
    }
    return false;
  };
  const bars = components
    .filter((component) => {
      const tall = component.maxY - component.minY + 1;
      return component.minX <= 1 && component.maxX >= gw - 2 && tall <= 0.3 * gh && component.count >= 0.25 * gw * tall;
    })
    .sort((a, b) => a.minY - b.minY);
  let chatTop = 0;
  for (const bar of bars) {
    if (bar.minY > chatTop + 3 || bar.maxY >= 0.3 * gh) continue;
    if (sharpEdge(bar, bar.maxY + 1, 1)) chatTop = Math.max(chatTop, bar.maxY + 1);
  }
  let chatBottom = gh;
  for (const bar of [...bars].reverse()) {
    if (bar.maxY < chatBottom - 4 || bar.minY <= 0.7 * gh) continue;
    if (sharpEdge(bar, bar.minY - 1, -1)) chatBottom = Math.min(chatBottom, bar.minY);
  }

  // The shape of each candidate, rows filled between their outermost cells (text leaves holes).
  const candidates: (Rect & { component: Component; fill: [number, number, number]; solid: number })[] = [];
  for (const component of components) {
    const boxW = component.maxX - component.minX + 1;
    const boxH = component.maxY - component.minY + 1;
    if (boxW * sx < MIN_WIDTH * width || boxH < 4 || boxH * sy < 0.018 * width) continue;
    if (component.minX === 0 || component.maxX === gw - 1) continue;
    if (component.minY < chatTop || component.maxY >= chatBottom) continue;
    // Rows much narrower than the bubble at its top or bottom are something touching it (a
    // reaction, a badge) and are cut off; the bubble is the run of full-width rows.
    const spans: { first: number; last: number; count: number }[] = [];
    for (let y = component.minY; y <= component.maxY; y++) {
      let first = -1;
      let last = -1;
      let count = 0;
      for (let x = component.minX; x <= component.maxX; x++) {
        if (labels[y * gw + x] !== component.label) continue;
        if (first === -1) first = x;
        last = x;
        count += 1;
      }
      spans.push({ first, last, count });
    }
    const widest = Math.max(...spans.map((span) => (span.first === -1 ? 0 : span.last - span.first + 1)));
    let runStart = -1;
    let best: [number, number] = [0, -1];
    spans.forEach((span, index) => {
      const full = span.first !== -1 && span.last - span.first + 1 >= 0.55 * widest;
      if (full && runStart === -1) runStart = index;
      if ((!full || index === spans.length - 1) && runStart !== -1) {
        const end = full ? index : index - 1;
        if (end - runStart > best[1] - best[0]) best = [runStart, end];
        runStart = -1;
      }
    });
    const kept = spans.slice(best[0], best[1] + 1);
    if (kept.length < 4 || kept.length * sy < 0.018 * width) continue;
    const left = Math.min(...kept.map((span) => span.first));
    const right = Math.max(...kept.map((span) => span.last));
    const keptWidth = right - left + 1;
    const filled = kept.reduce((sum, span) => sum + span.last - span.first + 1, 0);
    const count = kept.reduce((sum, span) => sum + span.count, 0);
    const solid = filled / (keptWidth * kept.length);
    if (solid < 0.8 || count < 0.45 * keptWidth * kept.length) continue;
    // Something is written in it: letters leave holes in the fill (a plain patch of wallpaper has none),
    // and they stand out from it (a doodle's faint strokes around a patch of wallpaper do not).
    if (filled - count < 0.02 * filled) continue;
    const fillColour = fillOf(component);
    let strong = 0;
    for (let row = best[0]; row <= best[1]; row++) {
      const span = spans[row]!;
      const y = component.minY + row;
      for (let x = span.first; x <= span.last; x++) {
        const cell = y * gw + x;
        if (labels[cell] !== component.label && colourDistance(at(cell), fillColour) > 60) strong += 1;
      }
    }
    if (strong < Math.max(3, 0.01 * filled)) continue;
    // A bubble's fill differs from what surrounds it (a shape of the wallpaper's own colour is a hole in it).
    const middleRow = component.minY + ((best[0] + best[1]) >> 1);
    const around = [
      left > 1 ? at(middleRow * gw + left - 2) : null,
      right < gw - 2 ? at(middleRow * gw + right + 2) : null,
    ].filter((value) => value !== null);
    const fill = fillOf(component);
    if (around.length && around.every((colour) => colourDistance(colour, fill) < 12)) continue;
    candidates.push({
      x: left,
      y: component.minY + best[0],
      width: keptWidth,
      height: kept.length,
      component,
      fill,
      solid,
    });
  }

  const bubbles: (Bubble & { grid: Rect })[] = [];
  let composerTop = chatBottom;
  for (const candidate of candidates) {
    const gapLeft = candidate.x / gw;
    const gapRight = (gw - candidate.x - candidate.width) / gw;
    // Day separators, notices, the composer's field: centred, not anchored to a side.
    if (Math.abs(gapLeft - gapRight) < 0.035 && Math.min(gapLeft, gapRight) > 0.05) {
      // A wide field near the bottom is the composer: its icons are no emoji.
      if (candidate.width > 0.5 * gw && candidate.y > 0.7 * gh) composerTop = Math.min(composerTop, candidate.y);
      continue;
    }
    // Avatars: small and round (a one-word bubble is wider than it is tall). A short bubble
    // ("lol") can be as round, but has the fill of the other bubbles, an avatar a colour of its own.
    const round = (other: (typeof candidates)[number]) =>
      other.width / other.height > 0.7 &&
      other.width / other.height < 1.4 &&
      other.width / gw < 0.15 &&
      other.solid < 0.9;
    if (
      round(candidate) &&
      !candidates.some(
        (other) => other !== candidate && !round(other) && colourDistance(other.fill, candidate.fill) < 12,
      )
    )
      continue;
    // Reactions and badges hang off a bubble's edge: smaller, and overlapping a bigger candidate's box.
    const host = candidates.find(
      (other) =>
        other !== candidate &&
        other.width * other.height > 2 * candidate.width * candidate.height &&
        candidate.y <= other.y + other.height + 1 &&
        candidate.y + candidate.height >= other.y + other.height - 1 &&
        candidate.x < other.x + other.width &&
        candidate.x + candidate.width > other.x,
    );
    if (host) continue;
    const mask = new Uint8Array(candidate.width * candidate.height);
    for (let y = 0; y < candidate.height; y++) {
      let first = -1;
      let last = -1;
      for (let x = 0; x < candidate.width; x++) {
        if (labels[(candidate.y + y) * gw + candidate.x + x] !== candidate.component.label) continue;
        if (first === -1) first = x;
        last = x;
      }
      for (let x = first; first !== -1 && x <= last; x++) mask[y * candidate.width + x] = 1;
    }
    bubbles.push({
      x: Math.floor(candidate.x * sx),
      y: Math.floor(candidate.y * sy),
      width: Math.min(width - Math.floor(candidate.x * sx), Math.ceil(candidate.width * sx)),
      height: Math.min(height - Math.floor(candidate.y * sy), Math.ceil(candidate.height * sy)),
      fill: candidate.fill,
      side: gapLeft <= gapRight ? "left" : "right",
      sideConfidence: Math.min(1, Math.abs(gapLeft - gapRight) / 0.25),
      mask,
      maskWidth: candidate.width,
      maskHeight: candidate.height,
      grid: { x: candidate.x, y: candidate.y, width: candidate.width, height: candidate.height },
    });
  }

  // Fill colour tells sides apart where position cannot (a wide bubble sits near both edges):
  // bubbles of one fill take the side most of the clearly placed ones of that fill have.
  const groups: { fill: [number, number, number]; members: typeof bubbles }[] = [];
  for (const bubble of bubbles) {
    const group = groups.find((candidate) => colourDistance(candidate.fill, bubble.fill) < 24);
    if (group) group.members.push(bubble);
    else groups.push({ fill: bubble.fill, members: [bubble] });
  }
  for (const group of groups) {
    const votes = { left: 0, right: 0 };
    for (const member of group.members) votes[member.side] += member.sideConfidence;
    const total = votes.left + votes.right;
    if (total === 0) continue;
    const side = votes.left >= votes.right ? "left" : "right";
    const agreement = Math.max(votes.left, votes.right) / total;
    for (const member of group.members) {
      if (member.side !== side && member.sideConfidence < 0.35 && agreement > 0.8) {
        member.side = side;
        member.sideConfidence = agreement * 0.8;
      } else if (member.side === side && group.members.length > 1) {
        member.sideConfidence = Math.max(member.sideConfidence, Math.min(1, agreement));
      }
    }
  }

  // One line of text: the height of the smallest bubbles (a one-line bubble is about 2.2 lines tall).
  const heights = bubbles.map((bubble) => bubble.height).sort((a, b) => a - b);
  const oneLine = heights[Math.floor(heights.length * 0.15)] ?? 0.09 * width;
  const lineHeight = oneLine / 2.2;
  // Far flatter than a one-line bubble: a patch of wallpaper inside a doodle, not a message.
  for (let index = bubbles.length - 1; index >= 0; index--)
    if (bubbles[index]!.height < 0.6 * oneLine) bubbles.splice(index, 1);

  // Ink is looked for on an averaged grid: nearest-neighbour sampling steps over thin strokes
  // (the outline of the box drawn for a missing emoji), averaging keeps them as darker cells.
  const averaged = await sharp(input)
    .removeAlpha()
    .greyscale()
    .resize({ width: gw, height: gh, fit: "fill", kernel: "cubic" })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const glyphs = findGlyphs({
    data,
    averaged,
    gw,
    gh,
    sx,
    sy,
    labels,
    chatTop,
    chatBottom: composerTop,
    bubbles,
    components,
    lineHeight,
  });
  bubbles.sort((a, b) => a.y - b.y);
  return {
    width,
    height,
    chat: { top: Math.round(chatTop * sy), bottom: Math.round(chatBottom * sy) },
    // The grid box stays inside this module; callers get image pixels only.
    bubbles: bubbles.map((bubble) => ({
      x: bubble.x,
      y: bubble.y,
      width: bubble.width,
      height: bubble.height,
      fill: bubble.fill,
      side: bubble.side,
      sideConfidence: bubble.sideConfidence,
      mask: bubble.mask,
      maskWidth: bubble.maskWidth,
      maskHeight: bubble.maskHeight,
    })),
    glyphs,
    lineHeight,
  };
}

/**
 * Big, strongly contrasting glyphs on the background inside the conversation, beside a side and
 * in no bubble: an emoji sent on its own. Wallpaper doodles are faint; separators are centred;
 * "Delivered" under a bubble is small.
 */
function findGlyphs(input: {
  data: Buffer;
  /** Grey levels on the grid, averaged over each cell. */
  averaged: Buffer;
  gw: number;
  gh: number;
  sx: number;
  sy: number;
  labels: Int32Array;
  chatTop: number;
  chatBottom: number;
  bubbles: (Bubble & { grid: Rect })[];
  components: Component[];
  lineHeight: number;
}): (Rect & { side: "left" | "right" })[] {
  const { data, gw, sx, sy, labels, chatTop, chatBottom, bubbles, components } = input;
  // Cells in or on a bubble's box, painted once (looked up for every cell below).
  const covered = new Uint8Array(gw * input.gh);
  for (const bubble of bubbles) {
    const y1 = Math.min(input.gh - 1, bubble.grid.y + bubble.grid.height);
    const x1 = Math.min(gw - 1, bubble.grid.x + bubble.grid.width);
    for (let y = Math.max(0, bubble.grid.y - 1); y <= y1; y++)
      covered.fill(1, y * gw + Math.max(0, bubble.grid.x - 1), y * gw + x1 + 1);
  }
  const inBubble = (x: number, y: number) => covered[y * gw + x] === 1;
  // Ink: much darker or lighter than its surroundings (a box mean over about a line of text), so
  // a gradient does not count and faint wallpaper doodles do not either.
  const gh = input.gh;
  const lum = new Float64Array(gw * gh);
  for (let cell = 0; cell < lum.length; cell++) lum[cell] = input.averaged[cell]!;
  const integral = new Float64Array((gw + 1) * (gh + 1));
  for (let y = 0; y < gh; y++) {
    let row = 0;
    for (let x = 0; x < gw; x++) {
      row += lum[y * gw + x]!;
      integral[(y + 1) * (gw + 1) + x + 1] = integral[y * (gw + 1) + x + 1]! + row;
    }
  }
  const radius = Math.max(2, Math.round(input.lineHeight / sx));
  const localMean = (x: number, y: number) => {
    const x0 = Math.max(0, x - radius);
    const y0 = Math.max(0, y - radius);
    const x1 = Math.min(gw, x + radius + 1);
    const y1 = Math.min(gh, y + radius + 1);
    const total =
      integral[y1 * (gw + 1) + x1]! -
      integral[y0 * (gw + 1) + x1]! -
      integral[y1 * (gw + 1) + x0]! +
      integral[y0 * (gw + 1) + x0]!;
    return total / ((x1 - x0) * (y1 - y0));
  };
  const big = new Set(components.filter((component) => component.count > 0.02 * gw * gh).map((c) => c.label));
  const ink = new Uint8Array(gw * gh);
  for (let y = chatTop; y < chatBottom; y++) {
    for (let x = 0; x < gw; x++) {
      const cell = y * gw + x;
      if (inBubble(x, y)) continue;
      if (Math.abs(lum[cell]! - localMean(x, y)) > 70) ink[cell] = 1;
    }
  }
  // Where each side's bubbles begin: the middle value, as one odd bubble (a typing indicator
  // drawn where avatars go) must not move the column.
  const middle = (values: number[], otherwise: number) =>
    values.length ? values.sort((a, b) => a - b)[values.length >> 1]! : otherwise;
  const leftColumn = middle(
    bubbles.filter((bubble) => bubble.side === "left").map((bubble) => bubble.grid.x),
    gw,
  );
  const rightColumn = middle(
    bubbles.filter((bubble) => bubble.side === "right").map((bubble) => bubble.grid.x + bubble.grid.width),
    0,
  );
  // A thin line across the whole width near the top is the border under a header drawn in the
  // wallpaper's own colour (so not found as a bar): what is above it is the header.
  let headerEnd = chatTop;
  for (let y = Math.max(2, chatTop); y < Math.floor(0.25 * gh); y++) {
    let differing = 0;
    for (let x = 0; x < gw; x++) {
      const here = input.averaged[y * gw + x]!;
      if (
        Math.abs(here - input.averaged[(y - 2) * gw + x]!) > 8 &&
        Math.abs(here - input.averaged[(y + 2) * gw + x]!) > 8
      )
        differing += 1;
    }
    if (differing > 0.9 * gw) headerEnd = y + 1;
  }
  // Group ink cells that are near each other (a glyph's strokes, a few emoji side by side).
  const reach = Math.max(1, Math.round(input.lineHeight / sy / 3));
  const seen = new Uint8Array(ink.length);
  const found: (Rect & { side: "left" | "right" })[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    const queue = [start];
    seen[start] = 1;
    let minX = gw;
    let maxX = 0;
    let minY = input.gh;
    let maxY = 0;
    while (queue.length) {
      const cell = queue.pop()!;
      const cx = cell % gw;
      const cy = (cell - cx) / gw;
      minX = Math.min(minX, cx);
      maxX = Math.max(maxX, cx);
      minY = Math.min(minY, cy);
      maxY = Math.max(maxY, cy);
      for (let dy = -reach; dy <= reach; dy++) {
        for (let dx = -reach; dx <= reach; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || nx >= gw || ny < chatTop || ny >= chatBottom) continue;
          const next = ny * gw + nx;
          if (ink[next] && !seen[next]) {
            seen[next] = 1;
            queue.push(next);
          }
        }
      }
    }
    const w = (maxX - minX + 1) * sx;
    const h = (maxY - minY + 1) * sy;
    const gapLeft = minX / gw;
    const gapRight = (gw - maxX - 1) / gw;
    if (h < 1.15 * input.lineHeight || h > 5 * input.lineHeight || w < 0.5 * input.lineHeight) continue;
    if (Math.min(gapLeft, gapRight) > 0.3) continue;
    // Among the messages, not above the first or far below the last (header and composer icons).
    if (bubbles.length) {
      const first = Math.min(...bubbles.map((bubble) => bubble.grid.y));
      const last = Math.max(...bubbles.map((bubble) => bubble.grid.y + bubble.grid.height));
      const line = input.lineHeight / sy;
      // An emoji can come before the first bubble, but only below a header that was found;
      // otherwise it cannot be told from the header's icons.
      const top = headerEnd > 0 ? Math.max(headerEnd, first - 3 * line) : first;
      if (minY < top || maxY > last + 4 * line || (minY + maxY) / 2 > 0.92 * gh) continue;
    }
    // Avatars sit in the margin beside the contact's bubbles; an emoji sent alone sits where its
    // side's bubbles begin.
    if (maxX < leftColumn || minX > rightColumn) continue;
    if (minX <= 1 || maxX >= gw - 2) continue;
    // On the bare background: what surrounds it is wallpaper, not an avatar's or a bar's fill.
    let ring = 0;
    let onBackground = 0;
    for (let x = minX - 2; x <= maxX + 2; x++) {
      for (const y of [minY - 2, maxY + 2]) {
        if (x < 0 || x >= gw || y < 0 || y >= gh) continue;
        ring += 1;
        if (big.has(labels[y * gw + x]!) || inBubble(x, y)) onBackground += 1;
      }
    }
    if (ring === 0 || onBackground < 0.6 * ring) continue;
    // Between its strokes is the wallpaper's colour too (initials on an avatar have the avatar's
    // fill there). Compared by colour with the wallpaper above and below the same column, since
    // a glyph's strokes can enclose wallpaper (a face's outline, the box drawn for a missing emoji).
    let between = 0;
    let wallpaper = 0;
    for (let x = minX; x <= maxX; x++) {
      const above = minY >= 2 ? colourAt(data, (minY - 2) * gw + x) : null;
      const below = maxY + 2 < gh ? colourAt(data, (maxY + 2) * gw + x) : null;
      for (let y = minY; y <= maxY; y++) {
        if (ink[y * gw + x]) continue;
        between += 1;
        const here = colourAt(data, y * gw + x);
        const near = Math.min(above ? colourDistance(here, above) : 255, below ? colourDistance(here, below) : 255);
        if (near <= 4 * STEP) wallpaper += 1;
      }
    }
    if (between > 0 && wallpaper < 0.5 * between) continue;
    found.push({
      x: Math.floor(minX * sx),
      y: Math.floor(minY * sy),
      width: Math.ceil(w),
      height: Math.ceil(h),
      side: gapLeft < gapRight ? "left" : "right",
    });
  }
  // Emoji sent together ("😍😍") stand side by side on one row: one message, not one per glyph.
  found.sort((a, b) => a.x - b.x);
  const merged: typeof found = [];
  for (const glyph of found) {
    const row = merged.find(
      (other) =>
        other.side === glyph.side &&
        Math.min(other.y + other.height, glyph.y + glyph.height) - Math.max(other.y, glyph.y) >
          0.5 * Math.min(other.height, glyph.height) &&
        glyph.x - (other.x + other.width) < 1.5 * input.lineHeight,
    );
    if (!row) {
      merged.push({ ...glyph });
      continue;
    }
    const right = Math.max(row.x + row.width, glyph.x + glyph.width);
    const bottom = Math.max(row.y + row.height, glyph.y + glyph.height);
    row.y = Math.min(row.y, glyph.y);
    row.width = right - row.x;
    row.height = bottom - row.y;
  }
  return merged;
}
