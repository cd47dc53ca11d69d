import type { Gray, Mask } from './gray.js';
import { otsuSplit } from './otsu.js';

/** Ink mask: darkness at or above `threshold` (0..255). */
export function threshold(img: Gray, level: number): Mask {
  const out = new Uint8Array(img.width * img.height);
  const d = img.data;
  for (let i = 0; i < d.length; i++) out[i] = d[i]! >= level ? 1 : 0;
  return { width: img.width, height: img.height, data: out };
}

/**
 * Otsu's threshold on the darkness histogram, bounded so that a nearly empty page
 * (all paper) or a very dark photo still gives a usable ink level.
 */
export function otsuLevel(img: Gray, min = 40, max = 140): number {
  const hist = new Float64Array(256);
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) hist[d[i]!]!++;
  const level = otsuSplit(hist)?.level ?? min;
  return Math.min(max, Math.max(min, level));
}

/**
 * Long straight strokes along one axis: a binary opening with a line of `minRun`
 * pixels, done as run lengths (linear time, unlike a morphological opening).
 * `thin` holds ink that is thin across the axis (line candidates); a run may cross
 * up to `maxThick` pixels of other ink (where a perpendicular line crosses) and
 * `tolerance` pixels of paper (a line broken by a photocopy). Before measuring runs
 * the masks are smeared by `tolerance` pixels across the axis, so a line skewed by a
 * few degrees still reads as one run. Ink pixels of accepted runs on the row itself are
 * kept, crossings included, so a ruled line stays one connected stroke.
 *
 * Bridged ink counts against a run (a line of text is joined through its characters)
 * unless it lies on `crossings`, the rules already found along the other axis: a
 * vertical rule of the 39-row ballot crosses 41 horizontal rules, a fifth of its
 * length when the rules are thick, and must not be taken for text.
 */
export function lineMask(
  thin: Mask,
  ink: Mask,
  axis: 'h' | 'v',
  minRun: number,
  tolerance: number,
  maxThick: number,
  crossings: Mask | null = null,
): Mask {
  const { width: w, height: h } = thin;
  const smear = (m: Uint8Array): Uint8Array => smearAcross(m, w, h, axis, tolerance);
  return runsAlong(
    { thin: smear(thin.data), ink: smear(ink.data), cross: crossings ? smear(crossings.data) : null },
    ink,
    axis,
    minRun,
    tolerance,
    maxThick,
  );
}

/** Masks smeared across the axis (see `smearAcross`), as `runsAlong` reads them. */
interface Smeared {
  readonly thin: Uint8Array;
  readonly ink: Uint8Array;
  readonly cross: Uint8Array | null;
}

/**
 * Lines (rows of pixels for horizontal rules, columns for vertical ones) that already
 * hold a rule, and the shorter run that suffices on them (see `gridLines`).
 */
interface Ruled {
  readonly lines: Uint8Array;
  readonly minRun: number;
}

/** Lines of `m` across `axis` holding a set pixel, or lying within `r` lines of one. */
function ruledLines(m: Mask, axis: 'h' | 'v', r: number): Uint8Array {
  const { width: w, height: h, data } = m;
  const across = axis === 'h' ? h : w;
  const held = new Uint8Array(across);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) if (data[row + x]) held[axis === 'h' ? y : x] = 1;
  }
  const out = new Uint8Array(across);
  for (let a = 0; a < across; a++) {
    if (!held[a]) continue;
    for (let b = Math.max(0, a - r); b <= Math.min(across - 1, a + r); b++) out[b] = 1;
  }
  return out;
}

/** The run measurement of `lineMask`, on masks already smeared (so callers can share them). */
function runsAlong(
  s: Smeared,
  ink: Mask,
  axis: 'h' | 'v',
  minRun: number,
  tolerance: number,
  maxThick: number,
  ruled: Ruled | null = null,
): Mask {
  const { width: w, height: h } = ink;
  const raw = ink.data;
  const out = new Uint8Array(w * h);
  const along = axis === 'h' ? w : h;
  const across = axis === 'h' ? h : w;
  const step = axis === 'h' ? 1 : w;
  const lineStride = axis === 'h' ? w : 1;
  const { thin: sThin, ink: sInk, cross: sCross } = s;
  const maxGap = Math.max(1, Math.round(tolerance));
  for (let a = 0; a < across; a++) {
    const base = a * lineStride;
    let start = -1;
    let lastOn = -1;
    let bridged = 0;
    let bridgedTotal = 0;
    for (let i = 0; i <= along; i++) {
      let on = false;
      if (i < along) {
        const j = base + i * step;
        if (sThin[j]) {
          on = true;
          bridged = 0;
        } else if (start >= 0 && sInk[j] && bridged < maxThick) {
          on = true;
          bridged++;
          if (!sCross?.[j]) bridgedTotal++;
        }
      }
      if (on) {
        if (start < 0) start = i;
        lastOn = i;
      } else if (start >= 0 && (i === along || i - lastOn > maxGap)) {
        // A ruled line crosses a few perpendicular lines; a line of text (thin strokes
        // joined through the ink of its characters) needs bridging all along.
        const len = lastOn - start + 1;
        const long = len >= minRun || (ruled !== null && ruled.lines[a] === 1 && len >= ruled.minRun);
        if (long && bridgedTotal <= len * 0.15) {
          for (let k = start; k <= lastOn; k++) if (raw[base + k * step]) out[base + k * step] = 1;
        }
        start = -1;
        bridged = 0;
        bridgedTotal = 0;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * OR of a mask over `r` pixels either side across `axis` (up and down for horizontal
 * lines, left and right for vertical ones). Masks are mostly empty, so each set pixel
 * writes its neighbours: one read per pixel, where OR-ing whole rows took 2r.
 */
export function smearAcross(m: Uint8Array, w: number, h: number, axis: 'h' | 'v', r: number): Uint8Array {
  if (r <= 0) return m;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    if (axis === 'h') {
      const lo = Math.max(0, y - r) * w;
      const hi = Math.min(h - 1, y + r) * w;
      for (let x = 0; x < w; x++) {
        if (!m[row + x]) continue;
        for (let o = lo + x; o <= hi + x; o += w) out[o] = 1;
      }
    } else {
      for (let x = 0; x < w; x++) {
        if (!m[row + x]) continue;
        const x1 = Math.min(w - 1, x + r);
        for (let xx = Math.max(0, x - r); xx <= x1; xx++) out[row + xx] = 1;
      }
    }
  }
  return out;
}

export function union(a: Mask, b: Mask): Mask {
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! | b.data[i]!;
  return { width: a.width, height: a.height, data: out };
}

/**
 * Grow a mask by `r` pixels in a square (separable max filter). Both passes walk the
 * image in memory order: the vertical one keeps, per column, the last set row above
 * (going down) and the next set row below (going up).
 */
export function dilate(m: Mask, r: number): Mask {
  const { width: w, height: h } = m;
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let prev = -1e9;
    for (let x = 0; x < w; x++) {
      if (m.data[row + x]) prev = x;
      if (x - prev <= r) tmp[row + x] = 1;
    }
    let next = 1e9;
    for (let x = w - 1; x >= 0; x--) {
      if (m.data[row + x]) next = x;
      if (next - x <= r) tmp[row + x] = 1;
    }
  }
  const out = new Uint8Array(w * h);
  const near = new Float64Array(w).fill(-1e9);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (tmp[row + x]) near[x] = y;
      if (y - near[x]! <= r) out[row + x] = 1;
    }
  }
  near.fill(1e9);
  for (let y = h - 1; y >= 0; y--) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (tmp[row + x]) near[x] = y;
      if (near[x]! - y <= r) out[row + x] = 1;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Keep only ink that is thin across `axis`: a table line is a few pixels thick, while
 * a shadow, a desk edge or a solid fill is thick and must not become a "line".
 */
export function thinAcross(ink: Mask, axis: 'h' | 'v', maxThick: number): Mask {
  const { width: w, height: h, data } = ink;
  const out = new Uint8Array(w * h);
  if (axis === 'h') {
    for (let x = 0; x < w; x++) {
      let y = 0;
      while (y < h) {
        if (!data[y * w + x]) {
          y++;
          continue;
        }
        const s = y;
        while (y < h && data[y * w + x]) y++;
        if (y - s <= maxThick) for (let k = s; k < y; k++) out[k * w + x] = 1;
      }
    }
  } else {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let x = 0;
      while (x < w) {
        if (!data[row + x]) {
          x++;
          continue;
        }
        const s = x;
        while (x < w && data[row + x]) x++;
        if (x - s <= maxThick) for (let k = s; k < x; k++) out[row + k] = 1;
      }
    }
  }
  return { width: w, height: h, data: out };
}

export interface GridLines {
  readonly h: Mask;
  readonly v: Mask;
  /**
   * Every rule with the parts a mark cut off it (see `gridLines`): the line pixels to
   * wipe from the ink before marks are measured. Made on demand, for the reading kept.
   */
  readonly completed: () => Mask;
}

/**
 * Horizontal and vertical rules of a grid: each axis found once on its own, then once
 * more with the other axis's rules as known crossings (see `lineMask`), so a rule
 * crossed by many thick rules is not lost as "text". A rule may be broken by gaps of
 * up to `gapAlong` pixels of paper (the gaps where cells with borders of their own meet,
 * as HTML's border="1" draws them; dashes).
 */
export function gridLines(
  hInk: Mask,
  vInk: Mask,
  minRunH: number,
  minRunV: number,
  tolerance: number,
  maxThick: number,
  gapAlong = tolerance,
): GridLines {
  const { width: w, height: hgt } = hInk;
  // The thin and ink masks of each axis are smeared once and serve both of its searches.
  const hS = {
    thin: smearAcross(thinAcross(hInk, 'h', maxThick).data, w, hgt, 'h', tolerance),
    ink: smearAcross(hInk.data, w, hgt, 'h', tolerance),
  };
  const vS = {
    thin: smearAcross(thinAcross(vInk, 'v', maxThick).data, w, hgt, 'v', tolerance),
    ink: smearAcross(vInk.data, w, hgt, 'v', tolerance),
  };
  const h1 = runsAlong({ ...hS, cross: null }, hInk, 'h', minRunH, gapAlong, maxThick);
  const vCross = smearAcross(h1.data, w, hgt, 'v', tolerance);
  const v = runsAlong({ ...vS, cross: vCross }, vInk, 'v', minRunV, gapAlong, maxThick);
  const hCross = smearAcross(v.data, w, hgt, 'h', tolerance);
  const h = runsAlong({ ...hS, cross: hCross }, hInk, 'h', minRunH, gapAlong, maxThick);
  // A mark drawn over a rule (the vertex of a tick on the rule below its row) interrupts
  // the rule, and the part beyond it, between the mark and the table's edge, may be
  // shorter than a rule must be: it is no rule to the search, but it is still a rule's
  // ink, not the mark's. On a line that holds a rule, a run a few rule widths long is
  // taken as more of it where the rule was not found: it fills gaps along a rule, and
  // never widens one (the arm of a tick drawn alongside a rule stays the tick's).
  const completed = (): Mask => {
    const short = 2 * maxThick;
    const beyond = (axis: 'h' | 'v'): Mask => {
      const found = axis === 'h' ? h : v;
      const runs = runsAlong(
        axis === 'h' ? { ...hS, cross: hCross } : { ...vS, cross: vCross },
        axis === 'h' ? hInk : vInk,
        axis,
        Infinity,
        gapAlong,
        maxThick,
        { lines: ruledLines(found, axis, tolerance), minRun: short },
      );
      const near = smearAcross(found.data, w, hgt, axis, tolerance + 1);
      const out = new Uint8Array(w * hgt);
      for (let i = 0; i < out.length; i++) out[i] = found.data[i]! | (runs.data[i]! & (near[i]! ^ 1));
      return { width: w, height: hgt, data: out };
    };
    return union(beyond('h'), beyond('v'));
  };
  return { h, v, completed };
}
