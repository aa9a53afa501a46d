import { Command } from 'commander';
import { makeApp } from '../app';
import { loadConfig } from '../config';
import { makeLogger } from '../log/logger';
import type { CliContext } from './context';
import { installLastResort } from './last-resort';

/** `dhx serve`: the daemon. SIGTERM/SIGINT stop it in reverse order of start (src/jobs/release.ts). */
export function makeServeCommand(ctx: CliContext): Command {
  return new Command('serve')
    .description('Run the adapter: HTTP (POST /dhx, GET /dhx?wsdl, /health, /metrics, /api/opinions, /admin) and the workers (intake, reconciler, deadline watch, sending, address book refresh, retention, the DVK and ADIT pollers when configured)')
    .option('--role <role>', 'http | worker | all', 'all')
    .action(async (opts: { role: string }) => {
      if (!['http', 'worker', 'all'].includes(opts.role)) {
        ctx.stderr(`dhx serve: --role must be http, worker or all (got ${opts.role})`);
        ctx.setExitCode(2);
        return;
      }
      const config = loadConfig(ctx.env);
      const log = makeLogger({ level: config.logLevel });
      const app = await makeApp({ config, log, role: opts.role as 'http' | 'worker' | 'all' });
      const lastResort = installLastResort({ log, stop: () => app.stop() });
      if (opts.role !== 'worker') {
        const port = await app.start();
        log.info({ port, role: opts.role }, 'dhx-adapter listening');
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          log.info({ signal }, 'stopping');
          app.stop().then(resolve, resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      lastResort.uninstall();
      ctx.setExitCode(0);
    });
}
