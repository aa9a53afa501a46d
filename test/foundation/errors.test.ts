import { AMBIGUOUS, DhxError, FailureCode, PERMANENT, RETRYABLE, failureCodeOf, failureKind } from '../../src/errors';

describe('failure codes', () => {
  test('every code is exactly one of retryable, ambiguous, permanent', () => {
    for (const code of Object.values(FailureCode)) {
      const memberships = [RETRYABLE.has(code), AMBIGUOUS.has(code), PERMANENT.has(code)].filter(Boolean);
      expect({ code, memberships: memberships.length }).toEqual({ code, memberships: 1 });
    }
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
