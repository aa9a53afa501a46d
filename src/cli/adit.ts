import { Command } from 'commander';
import { pollAdit, type AditPollReport } from '../adit/poller';
import { loadConfig } from '../config';
import type { CliContext } from './context';
import { notConfigured } from './errors';
import { runPollCommand } from './poll';

/**
 * `dhx adit poll [--json]` (README, "Commands"; docs/adit.md): one ADIT poll by hand — getDocumentList v2,
 * getDocument v3, store and queue for intake, markDocumentViewed v1 — as the worker role runs it every
 * ADIT_POLL_SECONDS. Exit 0 when the poll went through, 1 otherwise (ADIT_SERVICE unset too), 2 bad usage.
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
        notConfigured(ctx, 'adit poll', 'ADIT', 'ADIT_SERVICE', 'docs/adit.md');
        return;
      }
      await runPollCommand(ctx, config, { command: 'adit poll', ...(o.json ? { json: true } : {}), poll: pollAdit, describe });
    });
  return cmd;
}
