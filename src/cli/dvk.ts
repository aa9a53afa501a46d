import { Command } from 'commander';
import { loadConfig } from '../config';
import { pollDvk, type PollReport } from '../dvk/poller';
import type { CliContext } from './context';
import { notConfigured } from './errors';
import { runPollCommand } from './poll';
import { makeDvkOptionsCommand } from './dvk-options';

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
    .description('The DVK interface: documents fetched from RIA\'s DVK, and whether DVK answers (docs/dvk.md)')
    .configureOutput({ writeOut: (s) => ctx.stdout(s.replace(/\n$/, '')), writeErr: (s) => ctx.stderr(s.replace(/\n$/, '')) });
  cmd
    .command('poll')
    .description('Poll DVK once: receiveDocuments v4, store each capsule and queue it for intake, markDocumentsReceived v3')
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean }) => {
      const config = loadConfig(ctx.env);
      if (!config.dvk.url) {
        notConfigured(ctx, 'dvk poll', 'DVK', 'DVK_URL', 'docs/dvk.md');
        return;
      }
      await runPollCommand(ctx, config, { command: 'dvk poll', ...(o.json ? { json: true } : {}), poll: pollDvk, describe });
    });
  cmd.addCommand(makeDvkOptionsCommand(ctx));
  return cmd;
}
