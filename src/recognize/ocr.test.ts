import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigitReader, MAX_LINE_WIDTH } from './ocr.js';
import type { Gray } from './gray.js';

/** A strip of `n` vertical bars (ink on paper), `width` px wide and 30 px high. */
function bars(width: number, n: number): Gray {
  const data = new Uint8Array(width * 30);
  for (let k = 0; k < n; k++) {
    const x0 = Math.round(((k + 0.5) * width) / n);
    for (let y = 5; y < 25; y++) for (let x = x0; x < x0 + 3; x++) data[y * width + x] = 255;
  }
  return { width, height: 30, data };
}

/** Digits typed in black on white, as ink darkness. */
function typed(text: string): Gray {
  const canvas = createCanvas(40 + text.length * 24, 48);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  ctx.font = '32px sans-serif';
  ctx.fillText(text, 20, 36);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < data.length; i++) data[i] = 255 - rgba[i * 4]!;
  return { width: canvas.width, height: canvas.height, data };
}

describe('DigitReader', () => {
  let digits: DigitReader;
  beforeAll(async () => {
    digits = await DigitReader.create();
  });
  afterAll(async () => {
    await digits.close();
  });

  it('reads nothing from a line too wide for Tesseract, counts the failure, and keeps working', async () => {
    // Tesseract fails inside on lines wider than 16-bit coordinates; tesseract.js then
    // threw from a message listener, uncaught, and ended the process.
    const before = digits.usage();
    expect(await digits.words(bars(MAX_LINE_WIDTH + 2000, 40))).toEqual([]);
    expect(digits.usage().failures).toBe(before.failures + 1);
    // The next strip is read as usual.
    expect((await digits.words(typed('2738'))).map((w) => w.text)).toEqual(['2738']);
    expect(digits.usage().failures).toBe(before.failures + 1);
  });

  it('never enlarges a strip past the widest line Tesseract can take', async () => {
    const before = digits.usage();
    await digits.words(bars(12_000, 20), 3);
    expect(digits.usage().failures).toBe(before.failures);
  });
});
