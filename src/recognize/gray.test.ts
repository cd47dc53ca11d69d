import { describe, expect, it } from 'vitest';
import { enlarge, type Gray } from './gray.js';

describe('enlarge', () => {
  it('scales each way by the factor, keeping flat areas flat and edges in place', () => {
    const img: Gray = { width: 2, height: 1, data: Uint8Array.from([0, 200]) };
    const big = enlarge(img, 2);
    expect([big.width, big.height]).toEqual([4, 2]);
    // Pixel centres aligned: the outer halves keep their value, the inner ones blend.
    expect([...big.data.subarray(0, 4)]).toEqual([0, 50, 150, 200]);
    expect([...big.data.subarray(4, 8)]).toEqual([0, 50, 150, 200]);
    const flat = enlarge({ width: 3, height: 2, data: new Uint8Array(6).fill(77) }, 3);
    expect(flat.data.every((v) => v === 77)).toBe(true);
    expect(enlarge({ width: 0, height: 0, data: new Uint8Array(0) }, 2).data).toHaveLength(0);
  });
});
