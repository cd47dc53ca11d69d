import { describe, expect, it } from 'vitest';
import { formatLocal, localDay, parseZonedDateTime } from './zoned-time.js';

describe('zoned time', () => {
  it('reads wall-clock times in the election time zone', () => {
    expect(parseZonedDateTime('2024-01-23T24:00:00', 'Asia/Shanghai')?.toISOString()).toBe(
      '2024-01-23T16:00:00.000Z',
    );
    expect(parseZonedDateTime('2024-01-23', 'Asia/Shanghai')?.toISOString()).toBe('2024-01-22T16:00:00.000Z');
    expect(parseZonedDateTime('2024-07-01T12:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2024-07-01T10:00:00.000Z',
    );
  });
  it('takes explicit offsets as they are and refuses nonsense', () => {
    expect(parseZonedDateTime('2024-01-23T23:59:59+08:00', 'UTC')?.toISOString()).toBe(
      '2024-01-23T15:59:59.000Z',
    );
    expect(parseZonedDateTime('2024-13-01', 'Asia/Shanghai')).toBeNull();
    expect(parseZonedDateTime('2024-01-01T24:30', 'Asia/Shanghai')).toBeNull();
    expect(parseZonedDateTime('soon', 'Asia/Shanghai')).toBeNull();
  });
  it('groups instants by the local day', () => {
    expect(localDay(new Date('2024-01-22T17:00:00Z'), 'Asia/Shanghai')).toBe('2024-01-23');
    expect(formatLocal(new Date('2024-01-23T15:59:59Z'), 'Asia/Shanghai')).toBe('2024-01-23 23:59:59');
  });
});
