import type { Logger } from 'pino';
import type { Category, SubKind } from '../../cases/categories';
import { writeAudit } from '../../db/audit';
import type { Pool } from '../../db/pool';
import { classifyByOperator } from '../../intake/operator';
import { intakeJobId, requeue, type TypedQueue } from '../../jobs/queues';
import { replayDocument } from '../../operator/replay';
import { markDelivered } from '../../outbound/operator';
import { requeueSend, type SendQueue } from '../../outbound/queue';

/**
 * The dashboard's actions: the same operator functions the CLI calls (`replayDocument` of
 * src/operator/replay.ts as `dhx replay`, `classifyByOperator`, `markDelivered`; each writes its history
 * and audit rows), then the id queued so the work runs now. The one place the dashboard changes anything.
 */

export interface AdminQueues {
  intake?: TypedQueue<'intake'>;
  send?: SendQueue;
}

export type ActionResult = { kind: 'ok'; state: string } | { kind: 'refused'; reason: string };

export interface AdminActions {
  replay(direction: 'inbound' | 'outbound', id: string, actor: string): Promise<ActionResult>;
  classify(id: string, category: Category, subKind: SubKind | undefined, actor: string): Promise<ActionResult>;
  markDelivered(id: string, actor: string, note?: string): Promise<ActionResult>;
  /** An operator asked to see a document's personal codes and restricted names: audited before it is shown. */
  reveal(subjectType: 'inbound' | 'outbound' | 'case', id: string, actor: string): Promise<void>;
}

export function makeAdminActions(deps: { pool: Pool; queues: AdminQueues; log: Logger }): AdminActions {
  async function queueIntake(id: string): Promise<void> {
    if (!deps.queues.intake) return;
    // Redis away: the row is in a pending state, so the intake reconciler queues it later.
    await requeue(deps.queues.intake, { data: { id }, jobId: intakeJobId(id) }, { promoteDelayed: true }).catch((err: unknown) =>
      deps.log.warn({ capsuleId: id, err }, 'intake enqueue failed; the reconciler will pick the capsule up'),
    );
  }
  const result = (r: { kind: 'ok'; state: string } | { kind: 'refused'; reason: string }): ActionResult =>
    r.kind === 'ok' ? { kind: 'ok', state: r.state } : { kind: 'refused', reason: r.reason };

  return {
    async replay(direction, id, actor) {
      // The send queue is given after the commit, not to the replay: a Redis failure then is not a failed
      // replay (the row is queued in PostgreSQL and the send scheduler finds it).
      const r = await replayDocument(deps.pool, id, actor, { intake: async ([x]) => (await queueIntake(x!), true) }, direction);
      if (r.refused !== undefined || r.state === undefined) return { kind: 'refused', reason: r.refused ?? `${id} was not replayed` };
      if (direction === 'outbound' && deps.queues.send) {
        await requeueSend(deps.queues.send, id, 0).catch((err: unknown) =>
          deps.log.warn({ outboundId: id, err }, 'send enqueue failed; the send scheduler will pick the document up'),
        );
      }
      return { kind: 'ok', state: r.state };
    },
    async classify(id, category, subKind, actor) {
      const r = await classifyByOperator(deps.pool, id, category, subKind, actor);
      if (r.kind === 'ok') await queueIntake(id);
      return result(r);
    },
    async markDelivered(id, actor, note) {
      return result(await markDelivered(deps.pool, id, actor, note));
    },
    async reveal(subjectType, id, actor) {
      await writeAudit(deps.pool, { actor, action: 'reveal', subjectType, subjectId: id, detail: { via: 'dashboard' } });
    },
  };
}
