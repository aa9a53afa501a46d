/**
 * Composing one SQL statement from fragments written by the modules that own the tables they touch.
 *
 * A fragment is SQL text with its own parameters, numbered `@1`, `@2`, … in the order of its `params`.
 * `compose` joins fragments in order and renumbers every fragment's `@N` to the `$M` it gets in the whole
 * statement, so a module writes its part without knowing which parameters the others use. Fragments
 * refer to each other by the names of their CTEs (a contract stated where the fragments are written);
 * this module knows no table.
 */

export interface Fragment {
  /** SQL text; parameters written `@1` … `@n`, numbered by position in `params`. */
  text: string;
  params: readonly unknown[];
}

export interface Statement {
  text: string;
  values: unknown[];
}

/** A fragment from text and its parameters. */
export const fragment = (text: string, params: readonly unknown[] = []): Fragment => ({ text, params });

/**
 * The statement made of `parts` in order (text joined as given): each fragment's `@N` becomes `$(N +
 * the number of parameters before it)`. A `@N` beyond the fragment's own parameters is an error, found
 * when the statement is built rather than by PostgreSQL.
 */
export function compose(...parts: Fragment[]): Statement {
  let text = '';
  const values: unknown[] = [];
  for (const part of parts) {
    const base = values.length;
    text += part.text.replace(/@(\d+)/g, (_m, n: string) => {
      const i = Number(n);
      if (i < 1 || i > part.params.length) throw new Error(`fragment parameter @${n} out of range (it has ${part.params.length})`);
      return `$${base + i}`;
    });
    values.push(...part.params);
  }
  return { text, values };
}

/**
 * `WITH a AS (...), b AS (...) <final>`: `ctes` are fragments of the form `name AS (...)`, joined with
 * commas; `final` is the statement's closing query.
 */
export function withCtes(ctes: Fragment[], final: Fragment): Statement {
  const parts: Fragment[] = [];
  ctes.forEach((c, i) => parts.push(i === 0 ? { text: `WITH ${c.text}`, params: c.params } : { text: `,\n${c.text}`, params: c.params }));
  parts.push({ text: `\n${final.text}`, params: final.params });
  return compose(...parts);
}
