/**
 * Wall-clock times in a named time zone. The deadline is written the way the
 * notice states it ("2024-01-23", China time), so we convert it to an instant
 * here instead of asking whoever writes the config to work out offsets.
 */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `tz` from UTC at `instant`, in minutes (Asia/Shanghai → +480). */
export function zoneOffsetMinutes(instant: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * Parse an ISO date-time. With an explicit offset or Z it is taken as is;
 * without one it is a wall-clock time in `tz` ("24:00" means the end of that day).
 * Returns null when the text is not a date-time.
 */
export function parseZonedDateTime(text: string, tz: string): Date | null {
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = LOCAL.exec(text);
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((v) => v ?? undefined) as string[];
  const hour = Number(h);
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return null;
  if (hour > 24 || Number(mi) > 59 || Number(s) > 59 || (hour === 24 && (Number(mi) > 0 || Number(s) > 0)))
    return null;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s));
  // Two passes settle the offset even across a DST change.
  let guess = wall - zoneOffsetMinutes(new Date(wall), tz) * 60_000;
  guess = wall - zoneOffsetMinutes(new Date(guess), tz) * 60_000;
  return new Date(guess);
}

/** Calendar day (YYYY-MM-DD) of an instant in `tz`, used to group intake per day. */
export function localDay(instant: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** "2024-01-23 23:59:59" in `tz`, for humans. */
export function formatLocal(instant: Date, tz: string): string {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return f.format(instant);
}
