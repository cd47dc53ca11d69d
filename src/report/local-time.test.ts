import { describe, expect, it } from 'vitest';
import { parseZonedDateTime } from '../election/zoned-time.js';
import { deadlineText, localMinutes } from './local-time.js';

describe('deadlineText', () => {
  it('writes a midnight deadline as 24:00 of the last day, the way the notice does', () => {
    const closes = parseZonedDateTime('2024-01-23T24:00:00', 'Asia/Shanghai')!;
    expect(localMinutes(closes, 'Asia/Shanghai')).toBe('2024-01-24 00:00');
    expect(deadlineText(closes, 'Asia/Shanghai')).toBe('2024-01-23 24:00');
  });

  it('leaves any other time as it is', () => {
    const closes = parseZonedDateTime('2024-01-23T18:00', 'Asia/Shanghai')!;
    expect(deadlineText(closes, 'Asia/Shanghai')).toBe('2024-01-23 18:00');
  });
});
