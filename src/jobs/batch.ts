/**
 * Gathers items handed over within one turn of the event loop and passes them on together: one Redis
 * round trip (BullMQ addBulk) for all the receipts of a busy moment instead of one per receipt. Each
 * caller's promise settles with its batch.
 */
export interface Batcher<T> {
  add(item: T): Promise<void>;
}

export function makeBatcher<T>(flush: (items: T[]) => Promise<void>, maxItems = 200): Batcher<T> {
  let items: T[] = [];
  let waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  const run = (): void => {
    const batch = items;
    const settle = waiters;
    items = [];
    waiters = [];
    flush(batch).then(
      () => settle.forEach((w) => w.resolve()),
      (err: unknown) => settle.forEach((w) => w.reject(err)),
    );
  };
  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        if (items.length === 0) setImmediate(run);
        items.push(item);
        waiters.push({ resolve, reject });
        if (items.length >= maxItems) run();
      });
    },
  };
}
