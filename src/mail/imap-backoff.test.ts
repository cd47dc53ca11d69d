import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './imap-backoff.js';

describe('reconnectDelayMs', () => {
  it('doubles from min up to max, jitter at most a quarter', () => {
    const range = { minSeconds: 1, maxSeconds: 300 };
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 8, 9, 50].map((a) => reconnectDelayMs(a, range, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 256000, 300000, 300000,
    ]);
    expect(reconnectDelayMs(2, range, () => 1)).toBe(5000);
    expect(reconnectDelayMs(20, range, () => 1)).toBe(300000);
  });
});
