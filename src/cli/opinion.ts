import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { configuredBlobStore } from '../blob/store';
import { findCase } from '../cases/repo';
import { loadConfig, type Config } from '../config';
import { makePool } from '../db/pool';
import { checkedPersonalCode, createOpinion, OpinionError, opinionsOfCase } from '../outbound/opinion';
import { openCommandQueue } from '../jobs/command';
import { QueueName } from '../jobs/queues';
import { enqueueSend } from '../outbound/queue';
import { isVerdict } from '../outbound/states';
import type { CliContext } from './context';
import { describeDbError } from './errors';

/**
 * `dhx opinion send --case ID --verdict toetav|mitte-toetav --file F [--file …] [--note TEXT] [--json]`
 * (README, "Commands"): builds SKA's opinion as a reply to the case's request, stores it, queues it for
 * sending. With Redis away the row stays `queued` and the send scheduler of `dhx serve` finds it.
 */

/** Queues one outgoing document; throws when Redis does not answer. */
async function enqueueOnce(config: Config, id: string): Promise<void> {
  const q = await openCommandQueue(QueueName.send, config.redisUrl, config.queuePrefix);
  if (!q.queue) throw new Error('Redis does not answer');
  try {
    await enqueueSend(q.queue, id);
  } finally {
    await q.close();
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function makeOpinionCommand(ctx: CliContext): Command {
  const cmd = new Command('opinion').description("SKA's opinions: to the case's KOV, or to a person through ADIT (--via adit)");
  cmd
    .command('send')
    .description('Build the opinion on a case as a reply to its request and queue it for sending')
    .requiredOption('--case <id>', 'case id or case number')
    .requiredOption('--verdict <verdict>', 'toetav | mitte-toetav')
    .requiredOption('--file <path>', 'a file of the opinion (repeatable; the first is the main one)', collect)
    .option('--note <text>', 'a note for the recipient (in the record abstract)')
    .option('--via <transport>', 'adit: to a person (--to) through ADIT instead of to the KOV')
    .option('--to <personalCode>', 'with --via adit: the personal code of the person (a parent or guardian)')
    .option('--json', 'print JSON')
    .action(async (opts: { case: string; verdict: string; file: string[]; note?: string; via?: string; to?: string; json?: boolean }) => {
      if (!isVerdict(opts.verdict)) {
        ctx.stderr(`dhx opinion send: --verdict must be toetav or mitte-toetav, not '${opts.verdict}'`);
        ctx.setExitCode(2);
        return;
      }
      if (opts.via !== undefined && opts.via !== 'adit') {
        ctx.stderr(`dhx opinion send: --via must be adit, not '${opts.via}'`);
        ctx.setExitCode(2);
        return;
      }
      if ((opts.via === 'adit') !== (opts.to !== undefined)) {
        ctx.stderr('dhx opinion send: --via adit and --to PERSONAL_CODE go together');
        ctx.setExitCode(2);
        return;
      }
      if (opts.to !== undefined) {
        try {
          checkedPersonalCode(opts.to);
        } catch (err) {
          ctx.stderr(`dhx opinion send: --to: ${(err as Error).message}`);
          ctx.setExitCode(1);
          return;
        }
      }
      const files: Array<{ name: string; content: Buffer }> = [];
      for (const f of opts.file) {
        try {
          files.push({ name: path.basename(f), content: fs.readFileSync(f) });
        } catch (err) {
          ctx.stderr(`dhx opinion send: cannot read ${f}: ${(err as Error).message}`);
          ctx.setExitCode(1);
          return;
        }
      }
      const config = loadConfig(ctx.env);
      const pool = makePool({ databaseUrl: config.databaseUrl, max: 2, applicationName: 'dhx opinion send' });
      try {
        const created = await createOpinion(
          {
            pool,
            store: configuredBlobStore(config, pool),
            org: { code: config.xroad.memberCode, name: config.intake.orgName, unit: config.intake.orgUnit },
            log: pino({ level: 'silent' }),
            enqueue: (id) => enqueueOnce(config, id),
          },
          { caseRef: opts.case, verdict: opts.verdict, files, ...(opts.note ? { note: opts.note } : {}), ...(opts.to !== undefined ? { toPerson: opts.to } : {}) },
        );
        if (opts.json) ctx.stdout(JSON.stringify({ ...created, state: 'queued' }, null, 2));
        else {
          ctx.stdout(`opinion ${created.id} on case ${created.caseNumber} to ${created.recipientPerson ? `${created.recipientPerson} through ADIT` : created.recipient}: queued`);
          if (!created.enqueued) ctx.stdout('(Redis did not answer: the send scheduler of dhx serve will pick it up)');
        }
        ctx.setExitCode(0);
      } catch (err) {
        ctx.stderr(`dhx opinion send: ${err instanceof OpinionError ? err.message : describeDbError(err, config.databaseUrl)}`);
        ctx.setExitCode(1);
      } finally {
        await pool.end();
      }
    });
  cmd
    .command('list')
    .description("A case's opinions: state, verdict, when delivered, whether on time against the case's due date")
    .requiredOption('--case <id>', 'case id or case number')
    .option('--json', 'print a JSON array')
    .action(async (opts: { case: string; json?: boolean }) => {
      const config = loadConfig(ctx.env);
      const pool = makePool({ databaseUrl: config.databaseUrl, max: 1, applicationName: 'dhx opinion list' });
      try {
        const caseId = (await findCase(pool, opts.case))?.id;
        if (!caseId) {
          ctx.stderr(`dhx opinion list: no case ${opts.case}`);
          ctx.setExitCode(1);
          return;
        }
        const items = await opinionsOfCase(pool, caseId);
        if (opts.json) ctx.stdout(JSON.stringify(items, null, 2));
        else if (!items.length) ctx.stdout('no opinion yet');
        else
          for (const o of items) {
            const when = o.deliveredAt ? `delivered ${o.deliveredAt}` : `created ${o.createdAt}`;
            const due = o.dueAt ? (o.onTime === null ? `, due ${o.dueAt}` : `, due ${o.dueAt}: ${o.onTime ? 'on time' : 'late'}`) : '';
            ctx.stdout(`${o.id}  ${o.state.padEnd(9)} ${o.verdict ?? '-'}  ${when}${due}`);
          }
        ctx.setExitCode(0);
      } catch (err) {
        ctx.stderr(`dhx opinion list: ${describeDbError(err, config.databaseUrl)}`);
        ctx.setExitCode(1);
      } finally {
        await pool.end();
      }
    });
  return cmd;
}
