import { Command } from 'commander';
import { loadConfig } from '../config';
import type { Pool } from '../db/pool';
import { makePool } from '../db/pool';
import { addRepresentee, endRepresentee, listRepresentees } from '../addressbook/representees';
import type { CliContext } from './context';
import { describeDbError } from './errors';

/** `dhx representee add|list|end`: whom SKA serves as a DHX intermediary (representationList). */

function parseDate(s: string | undefined, name: string): Date | undefined {
  if (s === undefined) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`${name} '${s}' is not a date (e.g. 2026-12-01 or 2026-12-01T00:00:00+02:00)`);
  return d;
}

export function makeRepresenteeCommand(ctx: CliContext): Command {
  const withPool = async (fn: (pool: Pool) => Promise<void>): Promise<void> => {
    const config = loadConfig(ctx.env);
    const pool = makePool({ databaseUrl: config.databaseUrl, max: 1, applicationName: 'dhx representee' });
    try {
      await fn(pool);
    } catch (err) {
      ctx.stderr(`dhx representee: ${describeDbError(err, config.databaseUrl)}`);
      ctx.setExitCode(1);
    } finally {
      await pool.end();
    }
  };
  const cmd = new Command('representee').description('Organisations this adapter represents (DHX representationList)');
  cmd
    .command('add')
    .description('Start representing an organisation')
    .argument('<code>', 'registry code')
    .requiredOption('--name <name>', 'organisation name')
    .option('--system <system>', 'its DHX subsystem, when documents go to a subsystem')
    .option('--start <date>', 'from (default now)')
    .option('--end <date>', 'until (default open-ended)')
    .option('--json', 'print JSON')
    .action((code: string, o: { name: string; system?: string; start?: string; end?: string; json?: boolean }) =>
      withPool(async (pool) => {
        const start = parseDate(o.start, '--start');
        const end = parseDate(o.end, '--end');
        const r = await addRepresentee(pool, { memberCode: code, name: o.name, ...(o.system ? { system: o.system } : {}), ...(start ? { start } : {}), ...(end ? { end } : {}) });
        ctx.stdout(o.json ? JSON.stringify(r) : `representing ${r.memberCode} ${r.name}${r.system ? ` (system ${r.system})` : ''} from ${r.startDate.toISOString()}`);
        ctx.setExitCode(0);
      }),
    );
  cmd
    .command('list')
    .description('List representees (active and ended)')
    .option('--active', 'only the active ones')
    .option('--json', 'print a JSON array')
    .action((o: { active?: boolean; json?: boolean }) =>
      withPool(async (pool) => {
        const rows = await listRepresentees(pool, { activeOnly: o.active === true });
        if (o.json) ctx.stdout(JSON.stringify(rows, null, 2));
        else if (rows.length === 0) ctx.stdout('no representees');
        else for (const r of rows) ctx.stdout(`${r.memberCode}\t${r.name}\t${r.system ?? '-'}\t${r.startDate.toISOString()} – ${r.endDate?.toISOString() ?? 'open'}`);
        ctx.setExitCode(0);
      }),
    );
  cmd
    .command('end')
    .description('Stop representing an organisation now')
    .argument('<code>', 'registry code')
    .action((code: string) =>
      withPool(async (pool) => {
        const n = await endRepresentee(pool, code);
        if (n === 0) {
          ctx.stderr(`dhx representee: ${code} has no open representation`);
          ctx.setExitCode(1);
          return;
        }
        ctx.stdout(`ended ${n} representation(s) of ${code}`);
        ctx.setExitCode(0);
      }),
    );
  return cmd;
}
