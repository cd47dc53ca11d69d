import type { Mask } from './gray.js';

export interface Component {
  readonly label: number;
  readonly area: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Labelling {
  readonly width: number;
  readonly height: number;
  /** Per pixel: 0 background, else 1 + index into `components`. */
  readonly labels: Int32Array;
  readonly components: readonly Component[];
}

/** 8-connected components (two-pass union-find), with bounding boxes and areas. */
export function label(mask: Mask): Labelling {
  const { width: w, height: h, data } = mask;
  const labels = new Int32Array(w * h);
  const parent: number[] = [0];
  const find = (a: number): number => {
    let r = a;
    while (parent[r]! !== r) r = parent[r]!;
    while (parent[a]! !== r) {
      const n = parent[a]!;
      parent[a] = r;
      a = n;
    }
    return r;
  };
  const unite = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!data[row + x]) continue;
      let l = 0;
      if (x > 0 && labels[row + x - 1]) l = labels[row + x - 1]!;
      if (y > 0) {
        const up = row - w + x;
        if (x > 0) {
          const ln = labels[up - 1]!;
          if (ln) l = l ? (l === ln ? l : unite(l, ln)) : ln;
        }
        const lu = labels[up]!;
        if (lu) l = l ? (l === lu ? l : unite(l, lu)) : lu;
        if (x < w - 1) {
          const ln = labels[up + 1]!;
          if (ln) l = l ? (l === ln ? l : unite(l, ln)) : ln;
        }
      }
      if (!l) {
        l = parent.length;
        parent.push(l);
      }
      labels[row + x] = l;
    }
  }
  const remap = new Int32Array(parent.length);
  const stats: { area: number; x0: number; y0: number; x1: number; y1: number }[] = [];
  for (let i = 1; i < parent.length; i++) {
    const r = find(i);
    if (!remap[r]) {
      stats.push({ area: 0, x0: w, y0: h, x1: -1, y1: -1 });
      remap[r] = stats.length;
    }
    remap[i] = remap[r]!;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const l = labels[row + x]!;
      if (!l) continue;
      const id = remap[l]!;
      labels[row + x] = id;
      const s = stats[id - 1]!;
      s.area++;
      if (x < s.x0) s.x0 = x;
      if (x > s.x1) s.x1 = x;
      if (y < s.y0) s.y0 = y;
      if (y > s.y1) s.y1 = y;
    }
  }
  return {
    width: w,
    height: h,
    labels,
    components: stats.map((s, i) => ({ label: i + 1, ...s })),
  };
}
