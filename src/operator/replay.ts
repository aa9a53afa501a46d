import type { Pool } from '../db/pool';
import { replayInbound } from '../intake/operator';
import { stoppedInbound } from '../inbound/stopped';
import { InboundState } from '../inbound/states';
import { resendOutbound } from '../outbound/operator';
import type { SendQueue } from '../outbound/queue';
import { OutboundState } from '../outbound/states';
import { stoppedOutbound } from '../outbound/stopped';

/**
 * One replay for both directions (docs/operations.md, "Replay"), called by `dhx replay` and the dashboard:
 * - inbound: a `failed` or `parked` capsule goes back to the last pending state it was in (attempts reset)
 *   and is queued for intake (src/intake/operator.ts `replayInbound`);
 * - outbound: a `failed` or `ambiguous` document goes back to `queued` with the same consignmentId and a
 *   new retry schedule (src/outbound/operator.ts `resendOutbound`).
 * Each change is recorded in the history and the audit log (who, from, to) by those functions.
 *
 * `--all-failed` takes failed and parked inbound capsules and failed outbound documents. An ambiguous
 * outbound document (the request left, no answer came) is a person's decision: it is taken by its id, or
 * with `--all-failed` only when a code is named (`--code RESPONSE_LOST`).
 */

export type Direction = 'inbound' | 'outbound';

export interface ReplaySelector {
  /** One document, looked up in both directions. */
  id?: string;
  /** Every stopped document the rules above allow (with the filters below). */
  allFailed?: boolean;
  direction?: Direction;
  /** Only documents with this failure code (inbound failure_code; outbound failure_code or the receiver's fault code). */
  code?: string;
  /** Only documents that stopped at or after this time. */
  since?: Date;
}

export interface ReplayPlanItem {
  id: string;
  direction: Direction;
  /** The state it is in now. */
  from: string;
  /** The state a replay puts it in; null when it would be refused. */
  to: string | null;
  failureCode: string | null;
  /** Why it cannot be replayed (its state), when it cannot. */
  refusal?: string;
}

/** What a replay changes, without changing anything (`--dry-run`, the dashboard's confirmation). */
export async function planReplay(pool: Pool, s: ReplaySelector): Promise<ReplayPlanItem[]> {
  const ids = s.id !== undefined ? [s.id] : undefined;
  const wantIn = s.direction !== 'outbound';
  const wantOut = s.direction !== 'inbound';
  const items: ReplayPlanItem[] = [];
  if (wantIn) {
    const filter = { ...(ids ? { ids } : {}), ...(s.code ? { code: s.code } : {}), ...(s.since ? { since: s.since } : {}) };
    for (const x of await stoppedInbound(pool, filter)) {
      const replayable = x.state === InboundState.failed || x.state === InboundState.parked;
      items.push({
        id: x.id,
        direction: 'inbound',
        from: x.state,
        to: replayable ? x.resumeAt : null,
        failureCode: x.failureCode,
        ...(replayable ? {} : { refusal: `capsule ${x.id} is ${x.state}, not failed or parked` }),
      });
    }
  }
  if (wantOut) {
    // Ambiguous documents only when asked for by id or by code (see above).
    const states = ids ? undefined : s.code ? [OutboundState.failed, OutboundState.ambiguous] : [OutboundState.failed];
    const filter = { ...(ids ? { ids } : {}), ...(states ? { states } : {}), ...(s.code ? { code: s.code } : {}), ...(s.since ? { since: s.since } : {}) };
    for (const x of await stoppedOutbound(pool, filter)) {
      const replayable = x.state === OutboundState.failed || x.state === OutboundState.ambiguous;
      items.push({
        id: x.id,
        direction: 'outbound',
        from: x.state,
        to: replayable ? OutboundState.queued : null,
        failureCode: x.failureCode ?? x.faultCode,
        ...(replayable ? {} : { refusal: `outgoing document ${x.id} is ${x.state}, not failed or ambiguous` }),
      });
    }
  }
  return items;
}

/** Where a replayed document is queued: intake ids (true when queued) and the send queue; absent ones are found by the periodic passes. */
export interface ReplayQueues {
  intake?: (ids: string[]) => Promise<boolean>;
  send?: SendQueue;
}

export interface ReplayOutcome {
  id: string;
  direction?: Direction;
  from?: string;
  /** The state it is in after the replay; absent when refused. */
  state?: string;
  refused?: string;
  /** Whether it was queued now (false: the reconciler or send scheduler takes it up). */
  enqueued: boolean;
}

/**
 * Replays one document, inbound or outbound (looked up in both unless `direction` says), as `actor`
 * (`alice`, `dashboard:alice`, …). Refused — nothing changed — when it is in neither, or not stopped.
 */
export async function replayDocument(pool: Pool, id: string, actor: string, queues: ReplayQueues, direction?: Direction): Promise<ReplayOutcome> {
  const [plan] = await planReplay(pool, { id, ...(direction ? { direction } : {}) });
  if (!plan) return { id, refused: direction === 'outbound' ? `no outgoing document ${id}` : direction === 'inbound' ? `no inbound capsule ${id}` : `no document ${id}`, enqueued: false };
  if (plan.direction === 'inbound') {
    const r = await replayInbound(pool, id, actor);
    if (r.kind === 'refused') return { id, direction: 'inbound', from: plan.from, refused: r.reason, enqueued: false };
    const enqueued = queues.intake ? await queues.intake([id]).catch(() => false) : false;
    return { id, direction: 'inbound', from: plan.from, state: r.state, enqueued };
  }
  const r = await resendOutbound(pool, id, actor, queues.send);
  if (r.kind === 'refused') return { id, direction: 'outbound', from: plan.from, refused: r.reason, enqueued: false };
  return { id, direction: 'outbound', from: r.from, state: r.state, enqueued: queues.send !== undefined };
}

/** Replays every replayable item of a plan in order; `progress` is told after each one. */
export async function replayPlanned(
  pool: Pool,
  plan: readonly ReplayPlanItem[],
  actor: string,
  queues: ReplayQueues,
  progress?: (done: number, total: number) => void,
): Promise<ReplayOutcome[]> {
  const out: ReplayOutcome[] = [];
  let done = 0;
  for (const item of plan) {
    out.push(item.to === null ? { id: item.id, direction: item.direction, from: item.from, refused: item.refusal ?? 'cannot be replayed', enqueued: false } : await replayDocument(pool, item.id, actor, queues, item.direction));
    progress?.(++done, plan.length);
  }
  return out;
}
