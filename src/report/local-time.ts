import { formatLocal, localDay } from '../election/zoned-time.js';

/** A time as officials read it: the election's wall clock, to the minute. */
export function localMinutes(instant: Date, tz: string): string {
  return formatLocal(instant, tz).slice(0, 16);
}

/** The deadline the way the notice states it: midnight is "24:00" of the last day, not "00:00" of the next. */
export function deadlineText(closesAt: Date, tz: string): string {
  const text = localMinutes(closesAt, tz);
  if (!text.endsWith(' 00:00')) return text;
  return `${localDay(new Date(closesAt.getTime() - 1), tz)} 24:00`;
}
