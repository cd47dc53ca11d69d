import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

const cheap = { N: 1 << 12, r: 8, p: 1 };

describe('scrypt passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('监督局-2024-复核', cheap);
    expect(stored).toMatch(/^scrypt\$4096\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
    expect(await verifyPassword('监督局-2024-复核', stored)).toBe(true);
    expect(await verifyPassword('监督局-2024-复核 ', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash: the same password never stores the same way twice', async () => {
    const a = await hashPassword('same-password', cheap);
    const b = await hashPassword('same-password', cheap);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same-password', a)).toBe(true);
    expect(await verifyPassword('same-password', b)).toBe(true);
  });

  it('uses the default cost when none is given', async () => {
    expect(await hashPassword('x'.repeat(12))).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('refuses stored values that are not its hashes instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$0$8$1$00$00', 'bcrypt$1$2$3$4$5', 'scrypt$4096$8$1$abcd$1234'])
      expect(await verifyPassword('pw', bad)).toBe(false);
  });
});
