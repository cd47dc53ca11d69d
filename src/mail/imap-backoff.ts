/**
 * Delay before reconnect attempt `attempt` (0 = first retry): doubles from min to max.
 * A quarter of random jitter keeps several instances from hammering a recovering server in step.
 */
export function reconnectDelayMs(
  attempt: number,
  range: { readonly minSeconds: number; readonly maxSeconds: number },
  random: () => number = Math.random,
): number {
  const max = Math.max(range.minSeconds, range.maxSeconds) * 1000;
  const base = Math.min(max, range.minSeconds * 1000 * 2 ** Math.min(attempt, 30));
  return Math.round(Math.min(max, base * (1 + 0.25 * random())));
}
