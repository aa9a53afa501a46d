import fs from 'node:fs';
import path from 'node:path';
import { AMBIGUOUS, DhxError, FailureCode, PERMANENT, RETRYABLE, failureCodeOf, failureKind } from '../../src/errors';

/** Every .ts file under src/ but errors.ts itself, as text. */
function sourcesBesidesErrors(): string {
  const root = path.join(__dirname, '../../src');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && p !== path.join(root, 'errors.ts')) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out.join('\n');
}

describe('failure codes', () => {
  test('every code is exactly one of retryable, ambiguous, permanent', () => {
    for (const code of Object.values(FailureCode)) {
      const memberships = [RETRYABLE.has(code), AMBIGUOUS.has(code), PERMANENT.has(code)].filter(Boolean);
      expect({ code, memberships: memberships.length }).toEqual({ code, memberships: 1 });
    }
  });

  test('the sets hold only FailureCodes, and failureKind reads them', () => {
    const all = new Set<string>(Object.values(FailureCode));
    for (const set of [RETRYABLE, AMBIGUOUS, PERMANENT]) for (const code of set) expect(all.has(code)).toBe(true);
    for (const code of RETRYABLE) expect(failureKind(code)).toBe('retryable');
    for (const code of AMBIGUOUS) expect(failureKind(code)).toBe('ambiguous');
    for (const code of PERMANENT) expect(failureKind(code)).toBe('permanent');
  });

  test('every code is produced somewhere in src/ (a code only the sets name is not kept)', () => {
    const src = sourcesBesidesErrors();
    // failureCodeOfDb's DB_UNAVAILABLE, the client's outcomes, the stages' DhxErrors, config and rules' CONFIG_INVALID, ...
    const unused = Object.values(FailureCode).filter((code) => !src.includes(`FailureCode.${code}`));
    expect(unused).toEqual([]);
  });

  test('our own unnamed failure (INTERNAL) is ambiguous for intake and outbound alike: a person decides', () => {
    expect(failureKind(FailureCode.INTERNAL)).toBe('ambiguous');
  });

  test('a business fault from a receiver is final, a lost answer is ambiguous, a refused connection is retried', () => {
    expect(failureKind(FailureCode.DHX_VALIDATION)).toBe('permanent');
    expect(failureKind(FailureCode.RESPONSE_LOST)).toBe('ambiguous');
    expect(failureKind(FailureCode.NETWORK_ERROR)).toBe('retryable');
  });

  test('the code survives serialisation (errors crossing BullMQ lose their class)', () => {
    const err = new DhxError(FailureCode.DHX_DUPLICATE, 'already received');
    const roundTripped: unknown = JSON.parse(JSON.stringify({ ...err, message: err.message }));
    expect(failureCodeOf(roundTripped)).toBe('DHX_DUPLICATE');
    expect(failureCodeOf(new Error('boom'))).toBe('INTERNAL');
    expect(failureCodeOf({ code: 'ECONNREFUSED' })).toBe('INTERNAL');
  });
});
