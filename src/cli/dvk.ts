import { Writable } from 'node:stream';
import { Command } from 'commander';
import { makeBlobStore } from '../blob/store';
import { loadCapsuleSchema } from '../capsule/schema';
import { loadConfig } from '../config';
import { makePool } from '../db/pool';
import { pollDvk, type PollReport } from '../dvk/poller';
import { makeLogger } from '../log/logger';
import { closeSecurityServerAgent } from '../xroad/agent';
import type { CliContext } from './context';
import { makeDvkOptionsCommand } from './dvk-options';
import { describeDbError } from './errors';
import { enqueue } from './intake';

/**
 * `dhx dvk poll` (README, "Commands"; docs/dvk.md): one DVK poll by hand — receiveDocuments, store and queue
 * for intake, markDocumentsReceived — as the daemon's worker role runs it every DVK_POLL_SECONDS.
 */

function describe(r: PollReport): string[] {
  switch (r.kind) {
    case 'busy':
      return ['another process is polling DVK now (advisory lock held); nothing done'];
    case 'failed':
      return [
        `DVK poll failed at ${r.stage}: ${r.error}`,
        ...r.stored.map((s) => `  stored ${s.dhlId} → ${s.id} (${s.state}${s.inserted ? '' : ', stored before'}); not marked, the next poll marks it`),
      ];
    case 'ok':
      return [
        `${r.polled} documents from DVK, ${r.stored.filter((s) => s.inserted).length} stored, ${r.marked.length} marked${r.skipped ? `, ${r.skipped} skipped (no DecId)` : ''}`,
        ...r.stored.map((s) => `  ${s.dhlId} → ${s.id} ${s.state}${s.inserted ? '' : ' (stored before; marked again)'}`),
      ];
    default:
      return r satisfies never;
  }
}

export function makeDvkCommand(ctx: CliContext): Command {
  const cmd = new Command('dvk')
    .description('The DVK interface (receive side): documents fetched from RIA\'s DVK (docs/dvk.md)')
    .configureOutput({ writeOut: (s) => ctx.stdout(s.replace(/\n$/, '')), writeErr: (s) => ctx.stderr(s.replace(/\n$/, '')) });
  cmd
    .command('poll')
    .description('Poll DVK once: receiveDocuments v4, store each capsule and queue it for intake, markDocumentsReceived v3')
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean }) => {
      const config = loadConfig(ctx.env);
      if (!config.dvk.url) {
        ctx.stderr('dhx dvk poll: DVK_URL is not set');
        ctx.setExitCode(1);
        return;
      }
      const pool = makePool({ databaseUrl: config.databaseUrl, max: 3, applicationName: 'dhx dvk poll' });
      const log = makeLogger({
        level: config.logLevel === 'info' ? 'warn' : config.logLevel,
        destination: new Writable({ write: (c: Buffer, _e, cb) => (ctx.stderr(c.toString().replace(/\n$/, '')), cb()) }),
      });
      try {
        const report = await pollDvk({
          pool,
          store: makeBlobStore(config.dataDir),
          schema: await loadCapsuleSchema(),
          config,
          limits: config.capsule,
          log,
          enqueue: async (ids) => {
            if (!(await enqueue(config, ids))) ctx.stderr('Redis unreachable: the intake reconciler will queue the stored documents');
          },
        });
        if (o.json) ctx.stdout(JSON.stringify(report, null, 2));
        else for (const line of describe(report)) (report.kind === 'ok' ? ctx.stdout : ctx.stderr)(line);
        ctx.setExitCode(report.kind === 'ok' ? 0 : 1);
      } catch (err) {
        ctx.stderr(`dhx dvk poll: ${describeDbError(err, config.databaseUrl)}`);
        ctx.setExitCode(1);
      } finally {
        closeSecurityServerAgent(config);
        await pool.end();
      }
    });
  cmd.addCommand(makeDvkOptionsCommand(ctx));
  return cmd;
}
