import { compose, fragment, withCtes } from '../../src/db/statement';

describe('statement fragments', () => {
  test('each fragment numbers its own parameters; composed, they follow one another', () => {
    const s = compose(fragment('a = @1 AND b = @2', ['x', 2]), fragment(' OR c = @1 OR d = @1', [true]), fragment(' LIMIT 1'));
    expect(s.text).toBe('a = $1 AND b = $2 OR c = $3 OR d = $3 LIMIT 1');
    expect(s.values).toEqual(['x', 2, true]);
  });

  test('@10 and beyond are renumbered whole, and text without @digits is left alone (jsonb @>)', () => {
    const params = Array.from({ length: 11 }, (_, i) => i + 1);
    const s = compose(fragment('@1', ['first']), fragment(' @11 @10 @1 WHERE j @> k', params));
    expect(s.text).toBe('$1 $12 $11 $2 WHERE j @> k');
    expect(s.values).toEqual(['first', ...params]);
  });

  test('a parameter beyond the fragment’s own is an error when the statement is built', () => {
    expect(() => compose(fragment('x = @2', ['only one']))).toThrow(/@2 out of range/);
    expect(() => compose(fragment('x = @0', ['one']))).toThrow(/@0 out of range/);
  });

  test('withCtes: WITH, the CTEs joined by commas, then the final query', () => {
    const s = withCtes([fragment('m AS (SELECT @1::int AS n)', [1]), fragment('k AS (SELECT n + @1 AS n FROM m)', [2])], fragment('SELECT n FROM k WHERE n > @1', [0]));
    expect(s.text).toBe('WITH m AS (SELECT $1::int AS n),\nk AS (SELECT n + $2 AS n FROM m)\nSELECT n FROM k WHERE n > $3');
    expect(s.values).toEqual([1, 2, 0]);
  });
});
