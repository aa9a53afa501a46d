import type { Pool } from '../db/pool';
import { insertReceived, type ReceivedCapsule } from '../inbound/received';
import { makeBatcher } from '../jobs/batch';

/**
 * Group commit for receipts (docs/receive.md, "Group commit": row and blob committed before the receipt).
 * Rows that arrive while earlier ones are being written are gathered and committed together in one statement:
 * one round trip, one plan and one WAL flush for several receipts. Each caller still learns its own row's
 * fate, and a receipt is still only given after the commit that holds its row. A batch that fails is retried
 * row by row, so one bad row cannot cost the others their receipts.
 */

/** A received capsule's row (src/inbound/received.ts). */
export type InboundRow = ReceivedCapsule;

/** `inserted`: committed. `taken`: its duplicate key is held by another row (inside the window or not). */
export type CommitResult = 'inserted' | 'taken';

export interface ReceiptCommitter {
  commit(row: InboundRow): Promise<CommitResult>;
}

export function makeReceiptCommitter(pool: Pool, opts: { maxInFlight?: number; maxBatch?: number } = {}): ReceiptCommitter {
  // Rows handed over in the same turn of the event loop, or while maxInFlight batches are being written,
  // travel together. A batch never holds two rows with one duplicate key: the later one waits for the next
  // batch, so exactly one of concurrent sends of a consignment is inserted and the other sees it taken.
  // A failed batch is retried row by row, so each caller gets its own answer.
  const batcher = makeBatcher<InboundRow, CommitResult>(
    async (rows) => {
      const inserted = await insertReceived(pool, rows);
      return rows.map((r): CommitResult => (inserted.has(r.id) ? 'inserted' : 'taken'));
    },
    { maxItems: opts.maxBatch ?? 32, maxInFlight: opts.maxInFlight ?? 4, keyOf: (r) => r.dedupKey, singlyOnFailure: true },
  );
  return { commit: (row) => batcher.add(row) };
}
