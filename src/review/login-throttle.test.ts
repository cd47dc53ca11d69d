import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('locks a name after too many failures within the window, then lets it try again', () => {
    let now = 0;
    const th = new LoginThrottle({ maxFailures: 3, windowMs: 60_000, lockMs: 300_000 }, () => now);
    th.fail('Alice');
    th.fail('alice');
    expect(th.locked('alice')).toBe(false);
    th.fail('ALICE');
    expect(th.locked('alice')).toBe(true);
    expect(th.locked('bob')).toBe(false);
    now = 299_999;
    expect(th.locked('alice')).toBe(true);
    now = 300_000;
    expect(th.locked('alice')).toBe(false);
  });

  it('forgets failures older than the window and after a success', () => {
    let now = 0;
    const th = new LoginThrottle({ maxFailures: 2, windowMs: 1000, lockMs: 5000 }, () => now);
    th.fail('a');
    now = 1500;
    th.fail('a');
    expect(th.locked('a')).toBe(false);
    th.succeed('a');
    th.fail('a');
    expect(th.locked('a')).toBe(false);
  });
});
