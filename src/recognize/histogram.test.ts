import { describe, expect, it } from 'vitest';
import { histogramQuantile } from './histogram.js';

function histOf(values: readonly number[]): Uint32Array {
  const h = new Uint32Array(256);
  for (const v of values) h[v]!++;
  return h;
}

describe('histogramQuantile', () => {
  it('gives the smallest level whose cumulative count reaches the share', () => {
    const values = [0, 0, 0, 10, 10, 20, 20, 20, 200, 255];
    const h = histOf(values);
    expect(histogramQuantile(h, values.length, 0.25)).toBe(0);
    expect(histogramQuantile(h, values.length, 0.3)).toBe(0);
    expect(histogramQuantile(h, values.length, 0.31)).toBe(10);
    expect(histogramQuantile(h, values.length, 0.5)).toBe(10);
    expect(histogramQuantile(h, values.length, 0.6)).toBe(20);
    expect(histogramQuantile(h, values.length, 0.9)).toBe(200);
    expect(histogramQuantile(h, values.length, 1)).toBe(255);
  });

  it('gives 0 for an empty histogram', () => {
    expect(histogramQuantile(new Uint32Array(256), 0, 0.5)).toBe(0);
  });
});
