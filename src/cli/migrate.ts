import { Command } from 'commander';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { makePool } from '../db/pool';
import type { CliContext } from './context';
import { describeDbError } from './errors';

export function makeMigrateCommand(ctx: CliContext): Command {
  return new Command('migrate')
    .description('Apply the database migrations to DATABASE_URL (safe to run from several processes at once)')
    .option('--json', 'print {"applied": [...]} as JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig(ctx.env);
      const pool = makePool({ databaseUrl: config.databaseUrl, max: 2, applicationName: 'dhx migrate' });
      try {
        const applied = await migrate(pool);
        if (opts.json) ctx.stdout(JSON.stringify({ applied }));
        else ctx.stdout(applied.length ? applied.map((m) => `applied ${m}`).join('\n') : 'database is up to date');
        ctx.setExitCode(0);
      } catch (err) {
        ctx.stderr(`dhx migrate: ${describeDbError(err, config.databaseUrl)}`);
        ctx.setExitCode(1);
      } finally {
        await pool.end();
      }
    });
}
