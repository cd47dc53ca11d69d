import { label } from './components.js';
import { blockMax, blockSums, type Gray, type Mask } from './gray.js';
import { otsuSplit } from './otsu.js';
import { histogramQuantile } from './histogram.js';

/**
 * The sheet of paper in a photo: the large bright region that stands out from the
 * desk, fabric or hand around it. Returned as a mask at full size, or null when the
 * image has no such contrast (a scan is all paper). Everything outside the sheet is
 * ignored, because normalized desk texture looks like a field of faint ink.
 */
export function pageRegion(bright: Gray, found?: readonly SheetBlob[]): Mask | null {
  const blobs = found ?? sheetBlobs(bright);
  if (blobs.length === 0) return null;
  const f = blobs[0]!.factor;
  const { width: w, height: h } = blobs[0]!.mask;
  const sheet = new Uint8Array(w * h);
  for (const b of blobs) for (let i = 0; i < sheet.length; i++) sheet[i]! |= b.mask.data[i]!;
  // Grow by one block so the sheet's own edge and a table near it stay inside.
  const grown = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let on = 0;
      for (let dy = -1; dy <= 1 && !on; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w && sheet[yy * w + xx]) {
            on = 1;
            break;
          }
        }
      }
      grown[y * w + x] = on;
    }
  }
  const out = new Uint8Array(bright.width * bright.height);
  for (let y = 0; y < bright.height; y++) {
    const sy = Math.min(h - 1, Math.floor(y / f));
    for (let x = 0; x < bright.width; x++)
      out[y * bright.width + x] = grown[sy * w + Math.min(w - 1, Math.floor(x / f))]!;
  }
  return { width: bright.width, height: bright.height, data: out };
}

/** Darkness level of the paper's own noise: the median darkness inside the sheet. */
export function paperNoise(dark: Gray, sheet: Mask | null): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < dark.data.length; i += 7) {
    if (sheet && !sheet.data[i]) continue;
    hist[dark.data[i]!]!++;
    n++;
  }
  return histogramQuantile(hist, n, 0.6);
}

/** A sheet found by `sheetBlobs`: a mask at 1/`factor` of the page size, holes filled. */
export interface SheetBlob {
  readonly mask: Mask;
  readonly factor: number;
}

/**
 * The sheets of paper at 1/8 scale: components brighter than Otsu's split between
 * paper and surroundings, each with its holes (print, a shadowed corner) filled. Two or
 * three slips laid side by side under the phone are separate sheets; besides the biggest,
 * a component counts when it is at least a quarter of its size (smaller bright things
 * are glare, a window, a cup). Empty when the image has no such contrast.
 */
export function sheetBlobs(bright: Gray): SheetBlob[] {
  const f = 8;
  const { width: w, height: h, sums } = blockSums(bright, f);
  if (w < 8 || h < 8) return [];
  const small = new Float32Array(w * h);
  const hist = new Float64Array(256);
  for (let i = 0; i < small.length; i++) {
    small[i] = sums[i]! / (f * f);
    hist[Math.round(small[i]!)]!++;
  }
  // Otsu split between paper and surroundings.
  const split = otsuSplit(hist);
  if (!split) return [];
  const { level: t, darkMean: mDark, brightMean: mBright } = split;
  const total = small.length;
  const brightFrac = 1 - hist.slice(0, t + 1).reduce((a, b) => a + b, 0) / total;
  if (mBright - mDark < 35 || brightFrac < 0.04 || brightFrac > 0.97) return [];
  const m = new Uint8Array(w * h);
  for (let i = 0; i < m.length; i++) m[i] = small[i]! > t ? 1 : 0;
  const lab = label({ width: w, height: h, data: m });
  if (lab.components.length === 0) return [];
  const biggest = lab.components.reduce((a, b) => (b.area > a.area ? b : a));
  const sheets = lab.components.filter((c) => c.area >= Math.max(biggest.area * 0.25, total * 0.015));
  let peaks: Uint8Array | null = null;
  const peak = (): Uint8Array => (peaks ??= blockMax(bright, f));
  return sheets.map((c) => {
    // The sheet, with its holes (dark print, a shadowed corner inside it) filled.
    const inv = new Uint8Array(w * h);
    for (let i = 0; i < inv.length; i++) inv[i] = lab.labels[i] === c.label ? 0 : 1;
    const holes = label({ width: w, height: h, data: inv });
    // A dark region reaching the image border is the surroundings, unless paper shows
    // between its ink almost everywhere: then it is print (a ruled table cut by the
    // frame of a scan or a tight crop averages darker than the margin, but each of its
    // blocks still holds paper-white pixels; a desk, a hand or a copier's dark edge
    // does not).
    const blocks = new Uint32Array(holes.components.length + 1);
    const papery = new Uint32Array(holes.components.length + 1);
    const paper = mBright - 10;
    for (let i = 0; i < inv.length; i++) {
      const k = holes.labels[i]!;
      if (!k) continue;
      blocks[k]!++;
      if (peak()[i]! >= paper) papery[k]!++;
    }
    const outside = new Set<number>();
    for (const k of holes.components) {
      const atBorder = k.x0 === 0 || k.y0 === 0 || k.x1 === w - 1 || k.y1 === h - 1;
      if (atBorder && papery[k.label]! < blocks[k.label]! * PRINTED_SHARE) outside.add(k.label);
    }
    const sheet = new Uint8Array(w * h);
    for (let i = 0; i < sheet.length; i++)
      sheet[i] = holes.labels[i] && outside.has(holes.labels[i]!) ? 0 : 1;
    return { mask: { width: w, height: h, data: sheet }, factor: f };
  });
}

/** Share of a border-touching dark region's blocks that must hold paper-white pixels for it to be print. */
const PRINTED_SHARE = 0.8;
