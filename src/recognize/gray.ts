/**
 * A single-channel 8-bit raster. In the recognizer the channel is "ink darkness":
 * 0 is paper, 255 is full ink, so sums and coverages read directly as amounts of ink.
 */
export interface Gray {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A 0/1 mask of the same shape as a Gray. */
export interface Mask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function emptyMask(width: number, height: number): Mask {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Copy a rectangle (clipped to the image) into a new raster. */
export function crop(img: Gray, x: number, y: number, w: number, h: number): Gray {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(img.width, Math.round(x + w));
  const y1 = Math.min(img.height, Math.round(y + h));
  const cw = Math.max(0, x1 - x0);
  const ch = Math.max(0, y1 - y0);
  const out = new Uint8Array(cw * ch);
  for (let yy = 0; yy < ch; yy++) {
    const src = (y0 + yy) * img.width + x0;
    out.set(img.data.subarray(src, src + cw), yy * cw);
  }
  return { width: cw, height: ch, data: out };
}

/**
 * Enlarge `f` times each way (an integer factor) with bilinear interpolation, pixel
 * centres aligned: small digits made big enough for OCR keep their strokes smooth.
 */
export function enlarge(img: Gray, f: number): Gray {
  const w = img.width * f;
  const h = img.height * f;
  const out = new Uint8Array(w * h);
  if (img.width === 0 || img.height === 0) return { width: w, height: h, data: out };
  // Source position and weight of each output column, shared by every row.
  const xs0 = new Int32Array(w);
  const xs1 = new Int32Array(w);
  const fxs = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    const sx = Math.min(img.width - 1, Math.max(0, (x + 0.5) / f - 0.5));
    xs0[x] = Math.floor(sx);
    xs1[x] = Math.min(img.width - 1, xs0[x]! + 1);
    fxs[x] = sx - xs0[x]!;
  }
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / f - 0.5));
    const r0 = Math.floor(sy) * img.width;
    const r1 = Math.min(img.height - 1, Math.floor(sy) + 1) * img.width;
    const fy = sy - Math.floor(sy);
    for (let x = 0; x < w; x++) {
      const fx = fxs[x]!;
      const a = img.data[r0 + xs0[x]!]! * (1 - fx) + img.data[r0 + xs1[x]!]! * fx;
      const b = img.data[r1 + xs0[x]!]! * (1 - fx) + img.data[r1 + xs1[x]!]! * fx;
      out[y * w + x] = Math.round(a * (1 - fy) + b * fy);
    }
  }
  return { width: w, height: h, data: out };
}

/** Rotate by a multiple of 90° clockwise. */
export function rotate90(img: Gray, quarterTurns: number): Gray {
  const q = ((quarterTurns % 4) + 4) % 4;
  if (q === 0) return img;
  const { width: w, height: h, data } = img;
  if (q === 2) {
    const out = new Uint8Array(w * h);
    for (let i = 0, n = w * h; i < n; i++) out[n - 1 - i] = data[i]!;
    return { width: w, height: h, data: out };
  }
  const out = new Uint8Array(w * h);
  // Output is h wide and w tall.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x]!;
      if (q === 1) out[x * h + (h - 1 - y)] = v;
      else out[(w - 1 - x) * h + y] = v;
    }
  }
  return { width: h, height: w, data: out };
}

/**
 * The raster as it is meant to be seen, given its EXIF orientation (1..8; anything else is
 * taken as 1): mirrored, rotated or both. Done here on the one-byte raster rather than by
 * libvips on the decoded colour image, which for a rotation holds a second full-size copy
 * of it (46 MB more for a 16 MP photo).
 */
export function orient(img: Gray, orientation: number): Gray {
  // Per orientation: mirrored left to right first, then this many quarter turns clockwise.
  const steps: Record<number, readonly [boolean, number]> = {
    2: [true, 0],
    3: [false, 2],
    4: [true, 2],
    5: [true, 3],
    6: [false, 1],
    7: [true, 1],
    8: [false, 3],
  };
  const step = steps[orientation];
  if (!step) return img;
  return rotate90(step[0] ? mirrorX(img) : img, step[1]);
}

/** Mirrored left to right. */
function mirrorX(img: Gray): Gray {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) out[row + x] = data[row + w - 1 - x]!;
  }
  return { width: w, height: h, data: out };
}

/**
 * Sum of each `f` x `f` block of `img` (the last partial row and column of blocks are
 * dropped): the core of every pooling step. Exact in 32-bit integers up to f = 256.
 */
export function blockSums(img: Gray, f: number): { width: number; height: number; sums: Uint32Array } {
  const w = Math.floor(img.width / f);
  const h = Math.floor(img.height / f);
  const sums = new Uint32Array(w * h);
  const src = img.data;
  for (let y = 0; y < h * f; y++) {
    const orow = ((y / f) | 0) * w;
    const irow = y * img.width;
    for (let bx = 0; bx < w; bx++) {
      let sum = 0;
      for (let i = irow + bx * f, end = i + f; i < end; i++) sum += src[i]!;
      sums[orow + bx]! += sum;
    }
  }
  return { width: w, height: h, sums };
}

/**
 * The brightest pixel of each f x f block, the blocks laid out as `blockSums` lays them
 * (the same loop, kept apart: both run on every page, and a shared loop would call the
 * reduction as a function for every block row).
 */
export function blockMax(img: Gray, f: number): Uint8Array {
  const w = Math.floor(img.width / f);
  const h = Math.floor(img.height / f);
  const out = new Uint8Array(w * h);
  const src = img.data;
  for (let y = 0; y < h * f; y++) {
    const orow = ((y / f) | 0) * w;
    const irow = y * img.width;
    for (let bx = 0; bx < w; bx++) {
      let m = out[orow + bx]!;
      for (let i = irow + bx * f, end = i + f; i < end; i++) if (src[i]! > m) m = src[i]!;
      out[orow + bx] = m;
    }
  }
  return out;
}
