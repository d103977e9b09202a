import { describe, expect, it } from 'vitest';
import { consulKeyProblem, loginPasswordProblem, secretProblem } from './rules';
import { generateSecrets, loginPassword, randomString } from './secrets';

describe('secrets', () => {
  it('admin passwords always satisfy the login rule', () => {
    for (let i = 0; i < 500; i++) expect(loginPasswordProblem(loginPassword())).toBeUndefined();
  });

  it('every generated secret passes its own validation and differs between calls', () => {
    const a = generateSecrets();
    const b = generateSecrets();
    for (const [k, v] of Object.entries(a)) {
      expect(secretProblem(v)).toBeUndefined();
      expect(v).not.toBe(b[k as keyof typeof b]);
      expect(v).not.toContain("'");
    }
    expect(consulKeyProblem(a.CONSUL_ENCRYPT)).toBeUndefined();
    expect(a.MYSQL_PASS).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  it('draws from the whole alphabet', () => {
    expect(new Set(randomString(2000, 'abcd'))).toEqual(new Set('abcd'));
  });
});
