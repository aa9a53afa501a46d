import { Command } from 'commander';
import { makeBlobStore } from '../blob/store';
import { loadConfig } from '../config';
import { listAudit } from '../db/audit';
import { runDoctor } from '../operator/doctor';
import { openReplayQueues } from '../operator/queues';
import { planReplay, replayPlanned, type Direction, type ReplayOutcome, type ReplaySelector } from '../operator/replay';
import { runCleanup } from '../operator/retention';
import type { CliContext } from './context';
import { withPool } from './errors';
import { actorOf } from './output';

/**
 * Operators' commands (docs/operations.md): `dhx replay`, `dhx audit list`, `dhx doctor`, `dhx cleanup`.
 * Thin shells over src/operator/ and src/db/audit.ts, which the dashboard calls too.
 */

function command(ctx: CliContext, name: string): Command {
  return new Command(name).configureOutput({
    writeOut: (t) => ctx.stdout(t.replace(/\n$/, '')),
    writeErr: (t) => ctx.stderr(t.replace(/\n$/, '')),
  });
}

function usage(ctx: CliContext, text: string): void {
  ctx.stderr(text);
  ctx.setExitCode(2);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `--since`: a date (YYYY-MM-DD, UTC midnight), an ISO 8601 time, or an age: `36h`, `7d`. */
export function parseSince(text: string, now = new Date()): Date | undefined {
  const rel = /^(\d{1,5})([hd])$/.exec(text);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'h' ? 3_600_000 : 86_400_000));
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const SINCE_HELP = 'a date YYYY-MM-DD, an ISO time, or an age like 36h or 7d';

interface ReplayOptions {
  allFailed?: boolean;
  direction?: string;
  code?: string;
  since?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  actor?: string;
}

export function makeReplayCommand(ctx: CliContext): Command {
  return command(ctx, 'replay')
    .description(
      'Send stopped documents on again (audit-logged): an inbound capsule (failed, parked) through intake from the stage it stopped at; ' +
        'an outgoing document (failed, ambiguous) to the receiver again with the same consignmentId and a new retry schedule. ' +
        '--all-failed takes failed and parked inbound and failed outbound documents; ambiguous ones only by id or with --code.',
    )
    .argument('[id]', 'an inbound capsule id or an outgoing document id')
    .option('--all-failed', 'every stopped document (with the filters below)')
    .option('--direction <in|out>', 'only inbound (in) or outbound (out) documents')
    .option('--code <code>', 'only documents with this failure code (also takes ambiguous outbound ones)')
    .option('--since <when>', `only documents that stopped since: ${SINCE_HELP}`)
    .option('--dry-run', 'list what would happen; change nothing')
    .option('--yes', 'do not ask (needed without a terminal when more than one document would change)')
    .option('--actor <name>', 'who decides (default $DHX_ACTOR or $USER)')
    .option('--json', 'print a JSON array')
    .action(async (id: string | undefined, o: ReplayOptions) => {
      if ((id === undefined) === (o.allFailed !== true) || (id !== undefined && !UUID.test(id))) return usage(ctx, 'dhx replay: give one document id or --all-failed');
      if (o.direction !== undefined && o.direction !== 'in' && o.direction !== 'out') return usage(ctx, 'dhx replay: --direction is in or out');
      if (o.code !== undefined && !/^[A-Za-z0-9_.:-]{1,100}$/.test(o.code)) return usage(ctx, 'dhx replay: --code is a failure code such as PARSE_FAILED or DHX.InvalidAddressee');
      const since = o.since === undefined ? undefined : parseSince(o.since);
      if (o.since !== undefined && !since) return usage(ctx, `dhx replay: --since is ${SINCE_HELP}`);
      const direction: Direction | undefined = o.direction === 'in' ? 'inbound' : o.direction === 'out' ? 'outbound' : undefined;
      const selector: ReplaySelector = { ...(id ? { id } : { allFailed: true }), ...(direction ? { direction } : {}), ...(o.code ? { code: o.code } : {}), ...(since ? { since } : {}) };
      await withPool(ctx, 'replay', async (pool, config) => {
        const plan = await planReplay(pool, selector);
        if (id && !plan.length) {
          ctx.stderr(`dhx replay: no document ${id}${direction ? ` (${direction})` : ''}`);
          ctx.setExitCode(1);
          return;
        }
        const changing = plan.filter((p) => p.to !== null);
        if (o.dryRun) {
          if (o.json) ctx.stdout(JSON.stringify(plan.map((p) => ({ ...p, dryRun: true })), null, 2));
          else {
            for (const p of plan) ctx.stdout(p.to ? `${p.id}\t${p.direction}\t${p.from} → ${p.to}\t${p.failureCode ?? '-'}` : `${p.id}\t${p.direction}\t${p.refusal ?? ''}`);
            ctx.stdout(`dry run: ${changing.length} document(s) would be replayed; nothing changed`);
          }
          ctx.setExitCode(plan.some((p) => p.to === null) ? 1 : 0);
          return;
        }
        if (!o.yes && changing.length > 0) {
          if (ctx.terminal) {
            for (const p of changing) ctx.stderr(`  ${p.id}  ${p.direction}  ${p.from} → ${p.to}  ${p.failureCode ?? ''}`);
            if (!(await ctx.terminal.confirm(`Replay ${changing.length} document(s)?`))) {
              ctx.stderr('dhx replay: nothing changed');
              ctx.setExitCode(1);
              return;
            }
          } else if (!id && changing.length > 1) {
            ctx.stderr(`dhx replay: ${changing.length} documents would change; without a terminal give --yes to do it or --dry-run to see them first`);
            ctx.setExitCode(2);
            return;
          }
        }
        const queues = changing.length ? await openReplayQueues(config) : { close: async () => undefined };
        let results: ReplayOutcome[];
        try {
          const progress = ctx.terminal && plan.length > 1 ? (done: number, total: number) => ctx.terminal?.progress(done, total, 'replaying') : undefined;
          results = await replayPlanned(pool, plan, actorOf(ctx, o.actor), queues, progress);
        } finally {
          await queues.close();
        }
        if (o.json) ctx.stdout(JSON.stringify(results, null, 2));
        else {
          for (const r of results) ctx.stdout(r.state ? `${r.id}: ${r.direction} ${r.from} → ${r.state}${r.enqueued ? '' : ' (Redis unreachable: the daemon queues it)'}` : `${r.id}: ${r.refused}`);
          if (!results.length) ctx.stdout('nothing to replay');
        }
        ctx.setExitCode(results.some((r) => r.refused) ? 1 : 0);
      });
    });
}

export function makeAuditCommand(ctx: CliContext): Command {
  const cmd = command(ctx, 'audit').description('The audit log: every operator action from the CLI, the API and the dashboard');
  cmd
    .command('list')
    .description('Operator actions, newest first: when, who, what, subject, state before and after')
    .option('--since <when>', SINCE_HELP)
    .option('--actor <name>', 'only this actor (an OS user, a --actor name, dashboard:<name>, system:retention)')
    .option('--subject <id>', 'only actions about this document, case or other subject id')
    .option('--limit <n>', 'at most this many rows (default 100, at most 10000)')
    .option('--json', 'print a JSON array')
    .action(async (o: { since?: string; actor?: string; subject?: string; limit?: string; json?: boolean }) => {
      const since = o.since === undefined ? undefined : parseSince(o.since);
      if (o.since !== undefined && !since) return usage(ctx, `dhx audit list: --since is ${SINCE_HELP}`);
      if (o.limit !== undefined && !/^[1-9]\d{0,4}$/.test(o.limit)) return usage(ctx, 'dhx audit list: --limit is a number from 1 to 10000');
      if (o.limit !== undefined && Number(o.limit) > 10_000) return usage(ctx, 'dhx audit list: --limit is a number from 1 to 10000');
      await withPool(ctx, 'audit list', async (pool) => {
        const rows = await listAudit(pool, { ...(since ? { since } : {}), ...(o.actor ? { actor: o.actor } : {}), ...(o.subject ? { subject: o.subject } : {}), ...(o.limit ? { limit: Number(o.limit) } : {}) });
        if (o.json) ctx.stdout(JSON.stringify(rows, null, 2));
        else if (!rows.length) ctx.stdout('no operator actions');
        else {
          for (const r of rows) {
            const { from, to } = r.detail as { from?: unknown; to?: unknown };
            const change = from !== undefined || to !== undefined ? `${String(from ?? '-')} → ${String(to ?? '-')}` : '';
            ctx.stdout(`${r.at}\t${r.actor}\t${r.action}\t${r.subjectType} ${r.subjectId}\t${change}\t${JSON.stringify(r.detail)}`);
          }
        }
        ctx.setExitCode(0);
      });
    });
  return cmd;
}

export function makeDoctorCommand(ctx: CliContext): Command {
  return command(ctx, 'doctor')
    .description('Check configuration, PostgreSQL, Redis, the security server, the address book, pollers, queues and disk; exit 1 when a check fails')
    .option('--json', 'print {checks:[{name,status,detail}]}')
    .action(async (o: { json?: boolean }) => {
      const checks = await runDoctor({ env: ctx.env });
      if (o.json) ctx.stdout(JSON.stringify({ checks }, null, 2));
      else for (const c of checks) ctx.stdout(`${c.status.padEnd(4)}  ${c.name.padEnd(20)} ${c.detail}`);
      ctx.setExitCode(checks.some((c) => c.status === 'fail') ? 1 : 0);
    });
}

export function makeCleanupCommand(ctx: CliContext): Command {
  return command(ctx, 'cleanup')
    .description('Remove raw capsules of documents finished more than RETENTION_DAYS ago (audit-logged); rows and metadata stay')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .option('--actor <name>', 'who does it (default $DHX_ACTOR or $USER)')
    .option('--json', 'print JSON')
    .action(async (o: { dryRun?: boolean; actor?: string; json?: boolean }) => {
      const config = loadConfig(ctx.env);
      await withPool(ctx, 'cleanup', async (pool) => {
        const store = makeBlobStore(config.dataDir);
        const r = await runCleanup(pool, store, { retentionDays: config.retentionDays, actor: actorOf(ctx, o.actor), dryRun: o.dryRun === true });
        if (o.json) ctx.stdout(JSON.stringify(r, null, 2));
        else {
          if (config.retentionDays === 0) ctx.stdout('RETENTION_DAYS is 0: nothing is ever removed');
          for (const d of r.documents) ctx.stdout(`${d.id}\t${d.direction}`);
          ctx.stdout(`${o.dryRun ? 'dry run: would remove' : 'removed'} ${r.removed} raw capsule(s), ${r.bytes} bytes (RETENTION_DAYS ${r.retentionDays})`);
        }
        ctx.setExitCode(0);
      });
    });
}
