import { Command } from 'commander';
import { markDelivered, type OutboundOperatorResult } from '../outbound/operator';
import { replayDocument } from '../operator/replay';
import { listOutbound } from '../outbound/views';
import { openCommandQueue } from '../jobs/command';
import { QueueName } from '../jobs/queues';
import { OutboundState } from '../outbound/states';
import type { CliContext } from './context';
import { withPool } from './errors';
import { actorOf } from './output';

/**
 * `dhx outbound list|resend|delivered`: outgoing documents and what an operator does with one
 * that stopped (src/outbound/operator.ts). Recorded in the history and the audit log.
 */


function report(ctx: CliContext, id: string, r: OutboundOperatorResult, json: boolean | undefined): void {
  if (json) ctx.stdout(JSON.stringify(r.kind === 'ok' ? { id, state: r.state, from: r.from } : { id, refused: r.reason }, null, 2));
  else ctx.stdout(r.kind === 'ok' ? `${id}: ${r.from} → ${r.state}` : `${id}: ${r.reason}`);
  ctx.setExitCode(r.kind === 'ok' ? 0 : 1);
}

export function makeOutboundCommand(ctx: CliContext): Command {
  const cmd = new Command('outbound').description('Outgoing documents: list, resend, confirm delivery');
  cmd
    .command('list')
    .description('Outgoing documents, newest change first')
    .option('--state <states>', `comma-separated: ${Object.values(OutboundState).join(', ')}`)
    .option('--json', 'print a JSON array')
    .action((o: { state?: string; json?: boolean }) =>
      withPool(ctx, 'outbound list', async (pool) => {
        const states = o.state?.split(',').map((s) => s.trim()).filter(Boolean);
        const bad = states?.filter((s) => !(Object.values(OutboundState) as string[]).includes(s)) ?? [];
        if (bad.length) {
          ctx.stderr(`dhx outbound list: unknown state ${bad.join(', ')}`);
          ctx.setExitCode(2);
          return;
        }
        const items = await listOutbound(pool, states ? { states } : {});
        if (o.json) ctx.stdout(JSON.stringify(items, null, 2));
        else for (const x of items) ctx.stdout(`${x.id}  ${x.kind.padEnd(7)} ${x.state.padEnd(9)} ${x.recipient}  attempts ${x.attempts}${x.faultCode ? `  ${x.faultCode}` : ''}${x.nextAttemptAt ? `  next ${x.nextAttemptAt}` : ''}`);
        ctx.setExitCode(0);
      }),
    );
  cmd
    .command('resend')
    .description('Send a failed or ambiguous document again: same consignmentId, a new retry schedule')
    .argument('<id>', 'outgoing document id')
    .option('--actor <name>', 'who does it (default DHX_ACTOR or USER)')
    .option('--json', 'print JSON')
    .action((id: string, o: { actor?: string; json?: boolean }) =>
      withPool(ctx, 'outbound resend', async (pool, config) => {
        // The same replay as `dhx replay ID`, limited to outgoing documents (src/operator/replay.ts).
        const q = await openCommandQueue(QueueName.send, config.redisUrl, config.queuePrefix);
        try {
          const r = await replayDocument(pool, id, actorOf(ctx, o.actor), q.queue ? { send: q.queue } : {}, 'outbound');
          report(ctx, id, r.state ? { kind: 'ok', state: r.state as OutboundState, from: r.from ?? '' } : { kind: 'refused', reason: r.refused ?? 'refused' }, o.json);
        } finally {
          await q.close();
        }
      }),
    );
  cmd
    .command('delivered')
    .description('Record that the receiver confirmed an ambiguous document arrived')
    .argument('<id>', 'outgoing document id')
    .option('--note <text>', 'how it was confirmed')
    .option('--actor <name>', 'who does it (default DHX_ACTOR or USER)')
    .option('--json', 'print JSON')
    .action((id: string, o: { note?: string; actor?: string; json?: boolean }) =>
      withPool(ctx, 'outbound delivered', async (pool) => report(ctx, id, await markDelivered(pool, id, actorOf(ctx, o.actor), o.note), o.json)),
    );
  return cmd;
}
