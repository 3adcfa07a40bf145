import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_HASH_PATTERN, passwordProblem, verifyPassword } from '../../../../services/security/passwords.ts';
import { DEMO_ACCOUNTS } from '../../../../services/demo/demo-accounts.ts';

describe('passwords', () => {
  const hash = hashPassword('s3cret-pw');

  it('are stored as salted scrypt hashes: never the password, a new salt each time', () => {
    expect(hash).toMatch(PASSWORD_HASH_PATTERN);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hash).not.toContain('s3cret');
    expect(hashPassword('s3cret-pw')).not.toBe(hash);
  });

  it('verify the right password only; no account (null) and a malformed hash match nothing', () => {
    expect(verifyPassword('s3cret-pw', hash)).toBe(true);
    expect(verifyPassword('s3cret-pX', hash)).toBe(false);
    expect(verifyPassword('s3cret-pw', null)).toBe(false);
    expect(verifyPassword('plain-text', 'plain-text')).toBe(false);
    // A hash asking for absurd memory is refused, not computed.
    expect(verifyPassword('x', 'scrypt$1073741824$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==')).toBe(false);
  });

  it('the rule: 8+ characters, two kinds, not containing the 工号', () => {
    expect(passwordProblem('abc123', '1001')).toMatch(/至少8位/);
    expect(passwordProblem('abcdefgh', '1001')).toMatch(/两类/);
    expect(passwordProblem('zhang1001x', '1001')).toMatch(/工号/);
    expect(passwordProblem('Zhang-2026', '1001')).toBeNull();
  });

  it('each demo account’s shown password matches its hash', () => {
    for (const a of DEMO_ACCOUNTS) expect(verifyPassword(a.password, a.passwordHash ?? null)).toBe(true);
  });
});
