/**
 * The one micro-batcher: items handed over within one turn of the event loop, and those arriving while
 * `maxInFlight` batches are being written, are passed on together — one round trip for the items of a
 * busy moment instead of one each (BullMQ addBulk for receipts' intake jobs, the receipt committer's
 * multi-row insert). Each caller's promise settles with its own item's result.
 *
 * - `maxItems`: at most this many items per batch.
 * - `maxInFlight`: at most this many batches at once; the others wait and gather.
 * - `keyOf`: a batch never holds two items with one key; the later waits for the next batch.
 * - `singlyOnFailure`: when a batch fails, each of its items is passed on alone, so one bad item cannot
 *   cost the others theirs; otherwise every caller of the batch gets the batch's error.
 */
export interface Batcher<T, R> {
  add(item: T): Promise<R>;
}

export function makeBatcher<T, R = void>(
  flush: (items: T[]) => Promise<R[] | void>,
  o: { maxItems?: number; maxInFlight?: number; keyOf?: (item: T) => string; singlyOnFailure?: boolean } = {},
): Batcher<T, R> {
  const maxItems = o.maxItems ?? 200;
  const maxInFlight = o.maxInFlight ?? Infinity;
  interface Pending {
    item: T;
    resolve: (r: R) => void;
    reject: (err: unknown) => void;
  }
  const waiting: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settle = async (batch: Pending[]): Promise<void> => {
    const results = (await flush(batch.map((p) => p.item))) as R[] | undefined;
    batch.forEach((p, i) => p.resolve(results?.[i] as R));
  };

  async function write(batch: Pending[]): Promise<void> {
    try {
      await settle(batch);
    } catch (err) {
      if (!o.singlyOnFailure || batch.length === 1) {
        for (const p of batch) p.reject(err);
        return;
      }
      await Promise.all(batch.map((p) => settle([p]).catch((e: unknown) => p.reject(e))));
    }
  }

  function take(): Pending[] {
    if (!o.keyOf) return waiting.splice(0, maxItems);
    const keys = new Set<string>();
    const batch: Pending[] = [];
    for (let i = 0; i < waiting.length && batch.length < maxItems; ) {
      const p = waiting[i]!;
      const key = o.keyOf(p.item);
      if (keys.has(key)) {
        i++;
        continue;
      }
      keys.add(key);
      batch.push(p);
      waiting.splice(i, 1);
    }
    return batch;
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = take();
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
