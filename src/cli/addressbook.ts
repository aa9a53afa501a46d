import { Command } from 'commander';
import { loadConfig, type Config } from '../config';
import { makePool, type Pool } from '../db/pool';
import { addressBookSource, refreshAddressBook, resolveRoute, showAddressBook, type Route } from '../addressbook/addressbook';
import type { CliContext } from './context';
import { describeDbError } from './errors';

/**
 * `dhx addressbook refresh|show|resolve CODE` (README, "Commands"): the DHX address book, over
 * src/addressbook/addressbook.ts.
 */

const iso = (d: Date | undefined): string => (d ? d.toISOString() : 'open');

export function describeRoute(r: Route): string {
  switch (r.kind) {
    case 'direct':
      return `${r.code} ${r.name}: direct → ${r.service.xRoadInstance}/${r.service.memberClass}/${r.service.memberCode}/${r.service.subsystemCode}`;
    case 'intermediary':
      return (
        `${r.code} ${r.name}: via intermediary ${r.intermediaryName} → ` +
        `${r.service.xRoadInstance}/${r.service.memberClass}/${r.service.memberCode}/${r.service.subsystemCode}` +
        ` (recipient ${r.recipient}${r.recipientSystem ? `, recipientSystem ${r.recipientSystem}` : ''}; represented ${iso(r.validFrom)} – ${iso(r.validUntil)})`
      );
    case 'none':
      return `${r.code}: none — ${r.reason}`;
    default:
      return r satisfies never;
  }
}

export function makeAddressBookCommand(ctx: CliContext): Command {
  const withPool = async (name: string, fn: (pool: Pool, config: Config) => Promise<void>): Promise<void> => {
    const config = loadConfig(ctx.env);
    const pool = makePool({ databaseUrl: config.databaseUrl, max: 2, applicationName: `dhx addressbook ${name}` });
    try {
      await fn(pool, config);
    } catch (err) {
      ctx.stderr(`dhx addressbook ${name}: ${describeDbError(err, config.databaseUrl)}`);
      ctx.setExitCode(1);
    } finally {
      await pool.end();
    }
  };
  const cmd = new Command('addressbook')
    .description('The DHX address book: who takes DHX documents, directly or through an intermediary (DHX §7)')
    .configureOutput({ writeOut: (s) => ctx.stdout(s.replace(/\n$/, '')), writeErr: (s) => ctx.stderr(s.replace(/\n$/, '')) });
  cmd
    .command('refresh')
    .description('Rebuild it now from XROAD_GLOBAL_CONF and the intermediaries\' representationList')
    .option('--json', 'print the result as JSON')
    .action((o: { json?: boolean }) =>
      withPool('refresh', async (pool, config) => {
        const r = await refreshAddressBook(pool, addressBookSource(config));
        if (o.json) ctx.stdout(JSON.stringify(r, null, 2));
        else if (!r.ok) ctx.stderr(`dhx addressbook refresh: ${r.error}; the previous address book is kept`);
        else {
          ctx.stdout(`${r.members} DHX addresses, ${r.intermediaries.length} intermediaries, ${r.representees} representees`);
          for (const i of r.intermediaries) {
            ctx.stdout(i.ok ? `  ${i.intermediary}: ${i.representees} representees` : `  ${i.intermediary}: unreachable (${i.error}); previous entries kept`);
          }
        }
        ctx.setExitCode(r.ok ? 0 : 1);
      }),
    );
  cmd
    .command('show')
    .description('List the address book: DHX members, intermediaries and their representees, last refresh')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withPool('show', async (pool, config) => {
        const view = await showAddressBook(pool, { instance: config.xroad.instance });
        if (o.json) {
          ctx.stdout(JSON.stringify(view, null, 2));
        } else {
          const l = view.lastRefresh;
          ctx.stdout(l ? `last refresh ${l.finishedAt.toISOString()} from ${l.source}: ${l.ok ? 'ok' : `failed (${l.error ?? ''})`}` : 'never refreshed (dhx addressbook refresh)');
          ctx.stdout(`${view.members.length} DHX addresses:`);
          for (const m of view.members) ctx.stdout(`  ${m.memberClass}/${m.memberCode}/${m.subsystem}\t${m.name}`);
          ctx.stdout(`${view.intermediaries.length} intermediaries:`);
          for (const i of view.intermediaries) {
            ctx.stdout(`  ${i.id}\t${i.name}${i.lastError ? `\t(last call failed: ${i.lastError})` : ''}`);
            for (const r of i.representees) {
              ctx.stdout(`    ${r.memberCode}\t${r.name}\t${r.system ?? '-'}\t${iso(r.startDate)} – ${iso(r.endDate)}${r.active ? '' : '\t(not active)'}`);
            }
          }
        }
        ctx.setExitCode(0);
      }),
    );
  cmd
    .command('resolve')
    .description('Explain how a document reaches an organisation: direct / via intermediary X / none')
    .argument('<code>', 'registry code')
    .option('--system <system>', 'a particular DHX subsystem or representee system')
    .option('--json', 'print JSON')
    .action((code: string, o: { system?: string; json?: boolean }) =>
      withPool('resolve', async (pool, config) => {
        const route = await resolveRoute(pool, code, { instance: config.xroad.instance, ...(o.system ? { system: o.system } : {}) });
        ctx.stdout(o.json ? JSON.stringify(route, null, 2) : describeRoute(route));
        ctx.setExitCode(route.kind === 'none' ? 1 : 0);
      }),
    );
  return cmd;
}
