import type { Pool } from '../db/pool';
import { insertReceived, type ReceivedCapsule } from '../inbound/received';

/**
 * Group commit for receipts (DESIGN.md §3: row and blob committed before the receipt). Rows that arrive
 * while earlier ones are being written are gathered and committed together in one statement: one round
 * trip, one plan and one WAL flush for several receipts. Each caller still learns its own row's fate, and
 * a receipt is still only given after the commit that holds its row. A batch that fails is retried row by
 * row, so one bad row cannot cost the others their receipts.
 */

/** A received capsule's row (src/inbound/received.ts). */
export type InboundRow = ReceivedCapsule;

/** `inserted`: committed. `taken`: its duplicate key is held by another row (inside the window or not). */
export type CommitResult = 'inserted' | 'taken';

export interface ReceiptCommitter {
  commit(row: InboundRow): Promise<CommitResult>;
}

interface Pending {
  row: InboundRow;
  resolve: (r: CommitResult) => void;
  reject: (err: unknown) => void;
}

export function makeReceiptCommitter(pool: Pool, opts: { maxInFlight?: number; maxBatch?: number } = {}): ReceiptCommitter {
  const maxInFlight = opts.maxInFlight ?? 4;
  const maxBatch = opts.maxBatch ?? 32;
  const waiting: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function write(batch: Pending[]): Promise<void> {
    try {
      const inserted = await insertReceived(pool, batch.map((p) => p.row));
      for (const p of batch) p.resolve(inserted.has(p.row.id) ? 'inserted' : 'taken');
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // Row by row, so each caller gets its own answer.
      await Promise.all(
        batch.map(async (p) => {
          try {
            p.resolve((await insertReceived(pool, [p.row])).has(p.row.id) ? 'inserted' : 'taken');
          } catch (e) {
            p.reject(e);
          }
        }),
      );
    }
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      // A batch never holds two rows with one duplicate key: the later one waits for the next batch, so
      // exactly one of concurrent sends of a consignment is inserted and the other sees it taken.
      const keys = new Set<string>();
      const batch: Pending[] = [];
      for (let i = 0; i < waiting.length && batch.length < maxBatch; ) {
        const p = waiting[i]!;
        if (keys.has(p.row.dedupKey)) {
          i++;
          continue;
        }
        keys.add(p.row.dedupKey);
        batch.push(p);
        waiting.splice(i, 1);
      }
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    commit(row) {
      return new Promise<CommitResult>((resolve, reject) => {
        waiting.push({ row, resolve, reject });
        // Rows handed over in the same turn of the event loop travel together.
        if (!scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
