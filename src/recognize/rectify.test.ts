import { describe, expect, it } from 'vitest';
import type { Quad } from './homography.js';
import { inFullView } from './rectify.js';

describe('inFullView', () => {
  const slip: Quad = [
    [120, 80],
    [900, 95],
    [890, 600],
    [110, 590],
  ];

  it('takes a sheet lying wholly inside the picture for paper edges', () => {
    expect(inFullView({ sheet: slip }, 1000, 700, 10)).toBe(true);
  });

  it('does not when a corner comes within the margin of the frame (the sheet may run out of the picture)', () => {
    const cut: Quad = [slip[0], slip[1], [890, 695], slip[3]];
    expect(inFullView({ sheet: cut }, 1000, 700, 10)).toBe(false);
    const left: Quad = [[4, 80], slip[1], slip[2], slip[3]];
    expect(inFullView({ sheet: left }, 1000, 700, 10)).toBe(false);
  });

  it('does not for a page read as it is: its edges are the frame', () => {
    expect(inFullView({ sheet: null }, 1000, 700, 10)).toBe(false);
  });
});
