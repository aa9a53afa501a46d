import type { Logger } from 'pino';
import type { ReadResult } from '../capsule/read';
import { failureCodeOfDb } from '../db/failure';
import { withTransaction } from '../db/tx';
import { failureKind, type FailureCode } from '../errors';
import { InboundState, PENDING_STATES } from './categories';
import { storableFailure } from './failures';
import { loadInbound, loadInboundForRun, transition, type InboundRow } from './repo';
import { classifyStage, discardContext, extractStage, parseStage, receiptStage, routeStage, type IntakeContext, type IntakeDeps } from './stages';

/**
 * Runs a capsule's stages until it reaches a terminal state (done, triage, parked, failed). Safe to run
 * for the same id any number of times, at once or one after another: each stage checks its state.
 */
export async function runIntake(d: IntakeDeps, id: string, ctx: RunContext = {}): Promise<InboundState | undefined> {
  try {
    for (let step = 0; step < 20; step++) {
      // After a committed step the new state is known; otherwise (another run did it, or nothing to do) reload.
      let row: InboundRow | undefined;
      if (ctx.moved && ctx.row) row = { ...ctx.row, state: ctx.moved };
      else {
        const loaded = await loadInboundForRun(d.pool, id);
        if (loaded) {
          const { content, ...rest } = loaded;
          row = rest;
          ctx.capsuleBytes = content ?? undefined;
        }
      }
      ctx.moved = undefined;
      if (!row) return undefined;
      ctx.row = row;
      const state = row.state;
      switch (state) {
        case InboundState.received:
          await parseStage(d, id, ctx);
          break;
        case InboundState.parsed:
          await classifyStage(d, id, ctx);
          break;
        case InboundState.classified:
          await extractStage(d, id, ctx);
          break;
        case InboundState.extracted:
          await routeStage(d, id, ctx);
          break;
        case InboundState.routed:
          await receiptStage(d, id, ctx);
          break;
        case InboundState.done:
        case InboundState.triage:
        case InboundState.parked:
        case InboundState.failed:
          return state;
        default:
          return state satisfies never;
      }
    }
    return (await loadInbound(d.pool, id))?.state;
  } finally {
    if (ctx.extraction) ctx.read = ctx.extraction.result;
    await discardContext(d, ctx);
  }
}

/** A run's context, and what it read of the capsule before a stage failed (before it was parsed, its only record). */
interface RunContext extends IntakeContext {
  read?: ReadResult;
}

export type IntakeOutcome =
  | { kind: 'finished'; state: InboundState | undefined }
  | { kind: 'retry'; code: FailureCode; delayMs: number; attempt: number }
  | { kind: 'waiting'; code: FailureCode }
  | { kind: 'stopped'; code: FailureCode; state: 'failed' | 'parked' };

/**
 * One attempt with the failure policy (STYLE habit 2; the code's set in src/errors.ts decides, the thrown
 * error mapped by failureCodeOfDb, src/db/failure.ts): a RETRYABLE code backs off exponentially
 * (`backoffMs · 2^(n-1)`) for `attempts` tries, then waits for the reconciler; PERMANENT → `failed` with
 * code and message; AMBIGUOUS → `parked` for an operator (dhx failed list / dhx replay).
 */
export async function attemptIntake(d: IntakeDeps, id: string, log: Logger): Promise<IntakeOutcome> {
  const ctx: RunContext = {};
  try {
    return { kind: 'finished', state: await runIntake(d, id, ctx) };
  } catch (err) {
    const code = failureCodeOfDb(err);
    // Logged and stored alike: personal codes masked, a restricted document's names left out.
    const message = await storableFailure(d.pool, id, err, ctx.read);
    const kind = failureKind(code);
    log.warn({ capsuleId: id, code, kind, err: message }, 'intake stage failed');
    switch (kind) {
      case 'retryable': {
        try {
          const r = await d.pool.query<{ attempts: number }>(
            `UPDATE inbound_capsules SET attempts = attempts + 1, failure_code = $2, failure_message = $3,
                    next_attempt_at = now() + make_interval(secs => $4::double precision / 1000 * power(2, attempts))
              WHERE id = $1 RETURNING attempts`,
            [id, code, message, d.intake.backoffMs],
          );
          const attempt = r.rows[0]?.attempts ?? 1;
          if (attempt >= d.intake.attempts) return { kind: 'waiting', code };
          return { kind: 'retry', code, attempt, delayMs: d.intake.backoffMs * 2 ** (attempt - 1) };
        } catch {
          // The database itself is away: the row stays as it was and the reconciler takes it up later.
          return { kind: 'waiting', code };
        }
      }
      case 'permanent':
      case 'ambiguous': {
        const to = kind === 'permanent' ? InboundState.failed : InboundState.parked;
        await withTransaction(d.pool, async (client) => {
          await client.query('UPDATE inbound_capsules SET attempts = attempts + 1 WHERE id = $1', [id]);
          await transition(client, id, PENDING_STATES, to, {}, { code, message });
        });
        return { kind: 'stopped', code, state: to };
      }
      default:
        return kind satisfies never;
    }
  }
}
