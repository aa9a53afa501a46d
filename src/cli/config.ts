import { Command } from 'commander';
import { describeConfig, loadConfigWithSources, SETTINGS } from '../config';
import type { CliContext } from './context';

export function makeConfigCommand(ctx: CliContext): Command {
  return new Command('config')
    .description('Check the configuration and print each setting with its source (env > DHX_CONFIG file > default); secrets redacted')
    .option('--json', 'print a JSON array of {name, value, source}')
    .action((opts: { json?: boolean }) => {
      const rows = describeConfig(loadConfigWithSources(ctx.env));
      if (opts.json) ctx.stdout(JSON.stringify(rows, null, 2));
      else {
        for (const r of rows) {
          const value = r.value ?? '(unset)';
          ctx.stdout(`${r.name}=${value}  (${r.source}; ${SETTINGS[r.name].help})`);
        }
      }
      ctx.setExitCode(0);
    });
}
