import type { Pool } from '../../src/db/pool';

/** The pool as a step sees it, with the text of every statement sent through `query` recorded in `texts`. */
export function countedPool(pool: Pool): { pool: Pool; texts: string[] } {
  const texts: string[] = [];
  const proxy = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (q: string | { text: string }, ...rest: unknown[]) => {
          texts.push(typeof q === 'string' ? q : q.text);
          return (target.query as (...a: unknown[]) => unknown).call(target, q, ...rest);
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { pool: proxy, texts };
}
