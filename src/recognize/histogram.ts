/**
 * The level at which a 256-bin histogram of `count` samples reaches `share` of them,
 * counted up from 0: the smallest level whose cumulative count is at least
 * `share × count` (0 for an empty histogram). Paper levels, medians and noise floors of
 * darkness rasters are all read this way. Pure.
 */
export function histogramQuantile(hist: Uint32Array, count: number, share: number): number {
  let rest = count * share;
  let v = 0;
  while (v < 255 && (rest -= hist[v]!) > 0) v++;
  return v;
}
