/**
 * Line positions from projections of an upright line mask. Pure: takes per-row (or
 * per-column) counts of line pixels and returns the centres of the lines.
 */
export interface Line {
  readonly pos: number;
  /** Fraction of the table's extent the line covers (1 = full length). */
  readonly strength: number;
}

/**
 * `profile[i]` = line pixels on row i; `extent` = length a full line would have.
 * A line is a run of rows whose count reaches `minFraction` of the extent; rows of one
 * thick or slightly tilted line are merged, and lines closer than `minGap` are one line.
 */
export function linesFromProfile(
  profile: ArrayLike<number>,
  extent: number,
  minFraction = 0.35,
  minGap = 6,
): Line[] {
  const lines: Line[] = [];
  const n = profile.length;
  // Every column crosses the horizontal rules (and every row the vertical ones): that
  // floor, thick with many heavy rules, is not a line; measure above it.
  const sorted = Array.from(profile).sort((a, b) => a - b);
  const floor = sorted[Math.floor(n / 2)] ?? 0;
  const p = Array.from(profile, (v) => Math.max(0, v - floor));
  const full = Math.max(1, extent - floor);
  let i = 0;
  while (i < n) {
    if (p[i]! < full * minFraction) {
      i++;
      continue;
    }
    let wsum = 0;
    let sum = 0;
    let peak = 0;
    while (i < n && p[i]! >= full * minFraction * 0.5) {
      wsum += p[i]! * i;
      sum += p[i]!;
      peak = Math.max(peak, p[i]!);
      i++;
    }
    const pos = wsum / sum;
    const prev = lines[lines.length - 1];
    if (prev && pos - prev.pos < minGap) {
      if (peak / full > prev.strength) lines[lines.length - 1] = { pos, strength: Math.min(1, peak / full) };
      continue;
    }
    lines.push({ pos, strength: Math.min(1, peak / full) });
  }
  return lines;
}

/** Sum of a band of rows (axis 'h') or columns (axis 'v') of a 0/1 or 0/255 raster, as counts of set pixels. */
export function profile(data: Uint8Array, width: number, height: number, axis: 'h' | 'v'): Float64Array {
  if (axis === 'h') {
    const p = new Float64Array(height);
    for (let y = 0; y < height; y++) {
      let s = 0;
      const row = y * width;
      for (let x = 0; x < width; x++) if (data[row + x]! > 127) s++;
      p[y] = s;
    }
    return p;
  }
  const p = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) if (data[row + x]! > 127) p[x]!++;
  }
  return p;
}
