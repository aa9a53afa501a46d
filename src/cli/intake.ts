import { Command } from 'commander';
import type { Config } from '../config';
import { CATEGORIES, SUB_KINDS, isCategory, isSubKind } from '../cases/categories';
import { classifyByOperator } from '../intake/operator';
import { listCases, showCase, stats, statsCsv } from '../cases/views';
import { EmptyQueryError, searchCases, searchQuery } from '../cases/search';
import { listFailed } from '../intake/reports';
import { openCommandQueue } from '../jobs/command';
import { intakeJobId, QueueName, requeue } from '../jobs/queues';
import type { CliContext } from './context';
import { withPool } from './errors';
import { actorOf, recordReveal, REVEAL_HELP } from './output';

/**
 * Intake commands (README, "Commands"): `dhx classify`, `dhx failed list`,
 * `dhx cases list|show|search`, `dhx stats`. Thin shells over src/intake; decisions are audit-logged there.
 */

/** Enqueues ids for intake; when Redis is away the reconciler picks the rows up later (they are pending). */
export async function enqueue(config: Config, ids: string[]): Promise<boolean> {
  const q = await openCommandQueue(QueueName.intake, config.redisUrl, config.queuePrefix);
  if (!q.queue) return false;
  try {
    // A finished job of the capsule is replaced, a waiting one left, a delayed one made due now.
    for (const id of ids) await requeue(q.queue, { data: { id }, jobId: intakeJobId(id) }, { promoteDelayed: true });
    return true;
  } catch {
    return false;
  } finally {
    await q.close();
  }
}

/** Help and usage errors go through the context, as the program's own do (subcommands inherit this). */
function command(ctx: CliContext, name: string): Command {
  return new Command(name).configureOutput({
    writeOut: (t) => ctx.stdout(t.replace(/\n$/, '')),
    writeErr: (t) => ctx.stderr(t.replace(/\n$/, '')),
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function makeClassifyCommand(ctx: CliContext): Command {
  return command(ctx, 'classify')
    .description(`Decide the category of a capsule waiting in triage; the pipeline continues (audit-logged). Categories: ${CATEGORIES.join(', ')}`)
    .argument('<id>', 'inbound capsule id (the receiptId)')
    .argument('<category>', CATEGORIES.join(' | '))
    .option('--sub-kind <kind>', `KLAT opinion sub-kind: ${SUB_KINDS.join(' | ')}`)
    .option('--actor <name>', 'who decides (default $DHX_ACTOR or $USER)')
    .option('--json', 'print JSON')
    .action(async (id: string, category: string, o: { subKind?: string; actor?: string; json?: boolean }) => {
      if (!UUID.test(id) || !isCategory(category) || (o.subKind !== undefined && (!isSubKind(o.subKind) || category !== 'klat_arvamus'))) {
        ctx.stderr(`dhx classify: usage: dhx classify ID CATEGORY [--sub-kind K]; CATEGORY is one of ${CATEGORIES.join(', ')}; --sub-kind (${SUB_KINDS.join(', ')}) only with klat_arvamus`);
        ctx.setExitCode(2);
        return;
      }
      await withPool(ctx, 'classify', async (pool, config) => {
        const r = await classifyByOperator(pool, id, category, o.subKind as Parameters<typeof classifyByOperator>[3], actorOf(ctx, o.actor));
        if (r.kind === 'refused') {
          ctx.stderr(`dhx classify: ${r.reason}`);
          ctx.setExitCode(1);
          return;
        }
        const queued = await enqueue(config, [id]);
        ctx.stdout(
          o.json
            ? JSON.stringify({ id, category, subKind: o.subKind ?? null, state: r.state, enqueued: queued })
            : `${id}: ${category}${o.subKind ? ` (${o.subKind})` : ''}, ${r.state}; ${queued ? 'queued for intake' : 'Redis unreachable: the reconciler will continue it'}`,
        );
        ctx.setExitCode(0);
      });
    });
}

export function makeFailedCommand(ctx: CliContext): Command {
  const cmd = command(ctx, 'failed').description('Documents that stopped: inbound failed/parked, outbound failed/ambiguous');
  cmd
    .command('list')
    .description('List them, oldest first')
    .option('--json', 'print a JSON array')
    .action((o: { json?: boolean }) =>
      withPool(ctx, 'failed list', async (pool) => {
        const rows = await listFailed(pool);
        if (o.json) ctx.stdout(JSON.stringify(rows, null, 2));
        else if (!rows.length) ctx.stdout('nothing failed');
        else for (const r of rows) ctx.stdout(`${r.id}\t${r.direction}\t${r.state}\t${r.faultCode ?? '-'}\t${r.attempts}\t${r.faultMessage ?? ''}`);
        ctx.setExitCode(0);
      }),
    );
  return cmd;
}

export function makeCasesCommand(ctx: CliContext): Command {
  const cmd = command(ctx, 'cases').description('Case records opened by intake');
  cmd
    .command('list')
    .description('List cases, newest first')
    .option('--overdue', 'only open cases past their due date')
    .option('--json', 'print a JSON array')
    .option('--reveal', REVEAL_HELP)
    .action((o: { overdue?: boolean; json?: boolean; reveal?: boolean }) =>
      withPool(ctx, 'cases list', async (pool) => {
        const rows = await listCases(pool, { overdue: o.overdue === true, reveal: o.reveal === true });
        if (o.reveal) {
          const restricted = rows.filter((c) => c.accessRestricted).map((c) => c.id);
          await recordReveal(ctx, pool, { type: 'cases', id: '*', detail: { command: 'cases list', restrictedCases: restricted } });
        }
        if (o.json) ctx.stdout(JSON.stringify(rows, null, 2));
        else if (!rows.length) ctx.stdout(o.overdue ? 'no overdue cases' : 'no cases');
        else for (const c of rows) ctx.stdout(`${c.caseNumber}\t${c.category}\t${c.kovName}\tdue ${c.dueAt ?? '-'}\t${c.deadlineStatus}\t${c.title}`);
        ctx.setExitCode(0);
      }),
    );
  cmd
    .command('show')
    .description('One case with its documents')
    .argument('<id>', 'case id or case number')
    .option('--json', 'print JSON')
    .option('--reveal', REVEAL_HELP)
    .action((id: string, o: { json?: boolean; reveal?: boolean }) =>
      withPool(ctx, 'cases show', async (pool) => {
        const c = await showCase(pool, id, { reveal: o.reveal === true });
        if (!c) {
          ctx.stderr(`dhx cases show: no case ${id}`);
          ctx.setExitCode(1);
          return;
        }
        if (o.reveal) await recordReveal(ctx, pool, { type: 'case', id: c.id, detail: { command: 'cases show', caseNumber: c.caseNumber } });
        if (o.json) ctx.stdout(JSON.stringify(c, null, 2));
        else {
          for (const [k, v] of Object.entries(c)) if (k !== 'documents') ctx.stdout(`${k.padEnd(17)} ${v ?? '-'}`);
          for (const d of c.documents) ctx.stdout(`  ${d.at}  ${d.direction.padEnd(8)} ${d.kind.padEnd(8)} ${d.state.padEnd(8)} ${d.id}  ${d.title}`);
        }
        ctx.setExitCode(0);
      }),
    );
  cmd
    .command('search')
    .description('Find cases by words in their titles, documents\' metadata and the text of their files (docs/intake.md, "Search")')
    .argument('<query>', 'words (folded: "ohutus" finds "õhutus"); "a phrase" in quotes, -word to exclude, or')
    .option('--json', 'print a JSON array of {caseId, caseNumber, category, matchedIn}')
    .option('--limit <n>', 'at most this many cases (1–1000, default 50)')
    .option('--reveal', REVEAL_HELP)
    .action(async (query: string, o: { json?: boolean; limit?: string; reveal?: boolean }) => {
      const limit = o.limit === undefined ? 50 : Number(o.limit);
      let bad = !Number.isInteger(limit) || limit < 1 || limit > 1000;
      try {
        searchQuery(query);
      } catch (err) {
        if (!(err instanceof EmptyQueryError)) throw err;
        bad = true;
      }
      if (bad) {
        ctx.stderr('dhx cases search: usage: dhx cases search QUERY [--json] [--limit N]; QUERY must hold a word, N is 1–1000');
        ctx.setExitCode(2);
        return;
      }
      await withPool(ctx, 'cases search', async (pool) => {
        const hits = await searchCases(pool, query, { limit, reveal: o.reveal === true });
        if (o.reveal) await recordReveal(ctx, pool, { type: 'cases', id: '*', detail: { command: 'cases search', cases: hits.map((h) => h.caseId) } });
        if (o.json) ctx.stdout(JSON.stringify(hits, null, 2));
        else if (!hits.length) ctx.stdout('no case matches');
        else {
          ctx.stdout(`${'case'.padEnd(18)} ${'category'.padEnd(16)} matched in`);
          // A file name is the sender's text: control characters are not written to a terminal.
          // eslint-disable-next-line no-control-regex
          const printable = (t: string): string => t.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
          for (const h of hits) ctx.stdout(`${h.caseNumber.padEnd(18)} ${h.category.padEnd(16)} ${printable(h.matchedIn.join(', '))}`);
        }
        ctx.setExitCode(0);
      });
    });
  return cmd;
}

export function makeStatsCommand(ctx: CliContext): Command {
  return command(ctx, 'stats')
    .description('Requests by month × category × KOV, and cases answered on time vs late')
    .option('--from <date>', 'first receipt date, YYYY-MM-DD (Tallinn)')
    .option('--to <date>', 'last receipt date, YYYY-MM-DD (Tallinn)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV: one row per month × category × KOV with requests, answered on time, late, open past due, open (as /admin/report.csv)')
    .action(async (o: { from?: string; to?: string; json?: boolean; csv?: boolean }) => {
      if ((o.from && !DATE.test(o.from)) || (o.to && !DATE.test(o.to))) {
        ctx.stderr('dhx stats: --from and --to are dates, YYYY-MM-DD');
        ctx.setExitCode(2);
        return;
      }
      if (o.json && o.csv) {
        ctx.stderr('dhx stats: --json and --csv exclude each other');
        ctx.setExitCode(2);
        return;
      }
      await withPool(ctx, 'stats', async (pool) => {
        const s = await stats(pool, { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
        if (o.json) ctx.stdout(JSON.stringify(s, null, 2));
        else if (o.csv) ctx.stdout(statsCsv(s).replace(/\n$/, ''));
        else {
          ctx.stdout(`requests ${s.from ?? '…'} – ${s.to ?? '…'}`);
          for (const r of s.requests) ctx.stdout(`  ${r.month}  ${r.category.padEnd(15)} ${r.kovCode} ${r.kovName}  ${r.count}`);
          if (!s.requests.length) ctx.stdout('  none');
          ctx.stdout(`due cases: ${s.opinions.onTime} answered on time, ${s.opinions.late} late, ${s.opinions.overdueOpen} open past due, ${s.opinions.open} open`);
          ctx.stdout(`waiting in triage: ${s.triage}`);
        }
        ctx.setExitCode(0);
      });
    });
}
