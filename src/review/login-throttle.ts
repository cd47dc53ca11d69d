/**
 * Failed-login counting per user name (the per-IP limit is @fastify/rate-limit on the route):
 * after `maxFailures` failures within `windowMs` the name is locked for `lockMs`, whoever tries it.
 * In memory: a restart forgets, which only gives an attacker one more small batch of tries.
 */
export interface ThrottlePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();

  constructor(
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the name may not try now. */
  locked(name: string): boolean {
    const until = this.lockedUntil.get(name.toLowerCase());
    if (until === undefined) return false;
    if (this.now() >= until) {
      this.lockedUntil.delete(name.toLowerCase());
      return false;
    }
    return true;
  }

  fail(name: string): void {
    const key = name.toLowerCase();
    const now = this.now();
    const recent = (this.failures.get(key) ?? []).filter((at) => now - at < this.policy.windowMs);
    recent.push(now);
    if (recent.length >= this.policy.maxFailures) {
      this.lockedUntil.set(key, now + this.policy.lockMs);
      this.failures.delete(key);
    } else this.failures.set(key, recent);
    // Names tried by a scanner must not grow the map without bound.
    if (this.failures.size > 10_000) this.failures.clear();
  }

  succeed(name: string): void {
    this.failures.delete(name.toLowerCase());
  }
}
