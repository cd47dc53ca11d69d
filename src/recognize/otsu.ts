/** Otsu's split of a 256-bin histogram. */
export interface OtsuSplit {
  /** The last bin of the dark class. */
  readonly level: number;
  /** Mean of the dark and of the bright class. */
  readonly darkMean: number;
  readonly brightMean: number;
}

/** The level that maximises the between-class variance; null for a histogram with one class only. */
export function otsuSplit(hist: ArrayLike<number>): OtsuSplit | null {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    total += hist[i]!;
    sum += i * hist[i]!;
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let split: OtsuSplit | null = null;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      split = { level: t, darkMean: mB, brightMean: mF };
    }
  }
  return split;
}
