import type { Gray } from './gray.js';

/**
 * Turn a brightness image (0 black .. 255 white) into ink darkness relative to the
 * local paper colour. Phone photos have shadows and uneven light, photocopies a grey
 * or dark-edged background; dividing by an estimate of the paper brightness makes a
 * tick in a shadow as dark as one in full light.
 *
 * The paper estimate is a max filter over blocks (ink is thin, paper is everywhere),
 * smoothed and interpolated back to full size. Blocks are sized so that a table line
 * or a character never fills one.
 */
export function inkDarkness(bright: Gray, block = 24): Gray {
  const { width: w, height: h, data } = bright;
  const bw = Math.max(1, Math.ceil(w / block));
  const bh = Math.max(1, Math.ceil(h / block));
  const bmax = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    const y0 = by * block;
    const y1 = Math.min(h, y0 + block);
    for (let bx = 0; bx < bw; bx++) {
      const x0 = bx * block;
      const x1 = Math.min(w, x0 + block);
      // The paper level is the most common brightness of the block (ink is thin, paper is
      // everywhere), not its brightest pixels: the bright halo a phone's sharpening leaves
      // along every line and a speck of glare would set the paper too bright, and the
      // paper's own grain would then read as faint ink everywhere.
      const hist = new Uint32Array(256);
      let n = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * w;
        for (let x = x0; x < x1; x += 2) {
          hist[data[row + x]!]!++;
          n++;
        }
      }
      // Counts in a window of 9 levels, so the grain of the paper does not split its peak.
      let best = 255;
      let bestCount = -1;
      let win = 0;
      for (let c = 255; c >= -4; c--) {
        if (c >= 0) win += hist[c]!;
        if (c + 9 <= 255) win -= hist[c + 9]!;
        const centre = c + 4;
        if (centre <= 255 && win > bestCount) {
          bestCount = win;
          best = centre;
        }
      }
      const v = n > 0 ? best : 255;
      bmax[by * bw + bx] = v;
    }
  }
  // A block that sits entirely on ink (a solid fill, a thick border) would pull the paper
  // level down; take the max over the 3x3 neighbourhood, then smooth with a 3x3 mean.
  const grown = neighbourhood(bmax, bw, bh, Math.max);
  const smooth = meanFilter(grown, bw, bh);
  const out = new Uint8Array(w * h);
  // Where each column falls between block centres, computed once for all rows.
  const cx0 = new Int32Array(w);
  const cx1 = new Int32Array(w);
  const ctx = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / block - 0.5));
    cx0[x] = Math.floor(fx);
    cx1[x] = Math.min(bw - 1, cx0[x]! + 1);
    ctx[x] = fx - cx0[x]!;
  }
  for (let y = 0; y < h; y++) {
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(bh - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const x0 = cx0[x]!;
      const x1 = cx1[x]!;
      const tx = ctx[x]!;
      const a = smooth[y0 * bw + x0]!;
      const b = smooth[y0 * bw + x1]!;
      const c = smooth[y1 * bw + x0]!;
      const d = smooth[y1 * bw + x1]!;
      const paper = Math.max(24, (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty);
      const v = data[y * w + x]!;
      const dark = ((paper - v) / paper) * 255;
      out[y * w + x] = dark <= 0 ? 0 : dark >= 255 ? 255 : dark;
    }
  }
  return { width: w, height: h, data: out };
}

function neighbourhood(src: Float32Array, w: number, h: number, f: (...v: number[]) => number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = src[y * w + x]!;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          acc = f(acc, src[yy * w + xx]!);
        }
      }
      out[y * w + x] = acc;
    }
  }
  return out;
}

function meanFilter(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          s += src[yy * w + xx]!;
          n++;
        }
      }
      out[y * w + x] = s / n;
    }
  }
  return out;
}
