import { Command } from 'commander';
import { loadConfig } from '../config';
import { dvkClientOptions } from '../dvk/client';
import { getSendingOptions } from '../dvk/options';
import { closeSecurityServerAgent } from '../xroad/agent';
import type { CliContext } from './context';
import { notConfigured } from './errors';

/**
 * `dhx dvk options [CODE...] [--json]` (README, "Commands"; docs/dvk.md): getSendingOptions v3 — whether the
 * DVK interface answers and which of the codes (all, without codes) it can deliver to, and how. Exit 0 when
 * DVK answered, 1 when it did not (with the reason) or DVK_URL is unset, 2 bad usage.
 */
export function makeDvkOptionsCommand(ctx: CliContext): Command {
  return new Command('options')
    .description('Ask DVK (getSendingOptions v3) which institutions it can deliver to and how: all, or the CODEs given')
    .argument('[codes...]', 'registry codes of the institutions to ask about (none: all DVK knows)')
    .option('--json', 'print the result as JSON')
    .configureOutput({ writeOut: (s) => ctx.stdout(s.replace(/\n$/, '')), writeErr: (s) => ctx.stderr(s.replace(/\n$/, '')) })
    .action(async (codes: string[], o: { json?: boolean }) => {
      const config = loadConfig(ctx.env);
      if (!config.dvk.url) {
        notConfigured(ctx, 'dvk options', 'DVK', 'DVK_URL', 'docs/dvk.md');
        return;
      }
      try {
        const r = await getSendingOptions(dvkClientOptions(config), undefined, { codes });
        const unknown = r.kind === 'ok' ? codes.filter((c) => !r.institutions.some((i) => i.code === c)) : [];
        if (o.json) ctx.stdout(JSON.stringify(r.kind === 'ok' ? { ...r, unknown } : r, null, 2));
        if (r.kind === 'failed') {
          if (!o.json) ctx.stderr(`DVK did not answer getSendingOptions (${r.reason}): ${r.error}`);
          ctx.setExitCode(1);
          return;
        }
        if (!o.json) {
          ctx.stdout(`DVK answered: ${r.institutions.length} institution${r.institutions.length === 1 ? '' : 's'}`);
          for (const i of r.institutions) ctx.stdout(`  ${i.code}  ${i.name}  ${i.transports.join(', ') || '(no transport)'}${i.parent ? `  (under ${i.parent})` : ''}`);
          for (const c of unknown) ctx.stdout(`  ${c}  not known to DVK`);
        }
        ctx.setExitCode(0);
      } finally {
        closeSecurityServerAgent(config);
      }
    });
}
