import { Writable } from 'node:stream';
import { Command } from 'commander';
import { pollAdit, type AditPollReport } from '../adit/poller';
import { makeBlobStore } from '../blob/store';
import { loadCapsuleSchema } from '../capsule/schema';
import { loadConfig } from '../config';
import { makePool } from '../db/pool';
import { makeLogger } from '../log/logger';
import { maskText } from '../log/privacy';
import { closeSecurityServerAgent } from '../xroad/agent';
import type { CliContext } from './context';
import { describeDbError } from './errors';
import { enqueue } from './intake';

/**
 * `dhx adit poll [--json]` (README, "Commands"; docs/adit.md): one ADIT poll by hand — getDocumentList v2,
 * getDocument v3, store and queue for intake, markDocumentViewed v1 — as the worker role runs it every
 * ADIT_POLL_SECONDS. Exit 0 when the poll went through, 1 otherwise.
 */

function describe(r: AditPollReport): string[] {
  switch (r.kind) {
    case 'busy':
      return ['another process is polling ADIT now (advisory lock held); nothing done'];
    case 'failed':
      return [
        `ADIT poll failed at ${r.stage}${r.code ? ` (${r.code})` : ''}: ${r.error}`,
        ...r.stored.filter((s) => !r.marked.includes(s.aditDocumentId)).map((s) => `  stored ${s.aditDocumentId} → ${s.id} (${s.state}); not marked viewed, the next poll marks it`),
      ];
    case 'ok':
      return [
        `${r.listed} documents from ADIT, ${r.stored.filter((s) => s.inserted).length} stored, ${r.marked.length} marked viewed`,
        ...r.stored.map((s) => `  ${s.aditDocumentId} → ${s.id} ${s.state}${s.inserted ? '' : ' (stored before; marked now)'}`),
      ];
    default:
      return r satisfies never;
  }
}

export function makeAditCommand(ctx: CliContext): Command {
  const cmd = new Command('adit')
    .description('ADIT, the state portal\'s document service: documents from people (docs/adit.md)')
    .configureOutput({ writeOut: (s) => ctx.stdout(s.replace(/\n$/, '')), writeErr: (s) => ctx.stderr(s.replace(/\n$/, '')) });
  cmd
    .command('poll')
    .description('Poll ADIT once: getDocumentList v2, getDocument v3, store each and queue it for intake, markDocumentViewed v1')
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean }) => {
      const config = loadConfig(ctx.env);
      if (!config.adit.service) {
        ctx.stderr('dhx adit poll: ADIT_SERVICE is not set');
        ctx.setExitCode(2);
        return;
      }
      const pool = makePool({ databaseUrl: config.databaseUrl, max: 3, applicationName: 'dhx adit poll' });
      const log = makeLogger({
        level: config.logLevel === 'info' ? 'warn' : config.logLevel,
        destination: new Writable({ write: (c: Buffer, _e, cb) => (ctx.stderr(c.toString().replace(/\n$/, '')), cb()) }),
      });
      try {
        const report = await pollAdit({
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
        // ADIT's messages may name a person ("User does not exist: EE3…"): masked like the logs.
        if (o.json) ctx.stdout(maskText(JSON.stringify(report, null, 2)));
        else for (const line of describe(report)) (report.kind === 'ok' ? ctx.stdout : ctx.stderr)(maskText(line));
        ctx.setExitCode(report.kind === 'ok' ? 0 : 1);
      } catch (err) {
        ctx.stderr(`dhx adit poll: ${describeDbError(err, config.databaseUrl)}`);
        ctx.setExitCode(1);
      } finally {
        closeSecurityServerAgent(config);
        await pool.end();
      }
    });
  return cmd;
}
