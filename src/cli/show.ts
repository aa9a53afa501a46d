import { Command } from 'commander';
import { loadConfig } from '../config';
import { makePool } from '../db/pool';
import type { CliContext } from './context';
import { describeDbError } from './errors';
import { intakeFieldsOf, outboundDocument } from './intake-show';
import { recordReveal, REVEAL_HELP } from './output';

/** `dhx show ID [--json]`: one document by id (a receiptId we gave is an inbound id). DESIGN.md §4. */
export function makeShowCommand(ctx: CliContext): Command {
  return new Command('show')
    .description('Show one document by id (a receiptId is an inbound capsule id)')
    .argument('<id>', 'document id')
    .option('--json', 'print JSON')
    .option('--reveal', REVEAL_HELP)
    .action(async (id: string, opts: { json?: boolean; reveal?: boolean }) => {
      const config = loadConfig(ctx.env);
      const pool = makePool({ databaseUrl: config.databaseUrl, max: 1, applicationName: 'dhx show' });
      try {
        if (!/^[0-9a-f-]{36}$/i.test(id)) {
          ctx.stderr(`dhx show: ${id} is not a document id`);
          ctx.setExitCode(1);
          return;
        }
        const r = await pool.query(
          `SELECT c.id, c.state, c.consignment_id, c.client, c.sender, c.recipient, c.recipient_system, c.received_at,
                  c.attempts, c.failure_code, c.failure_message, c.size, c.blob_sha256,
                  (SELECT json_agg(json_build_object('state', h.state, 'at', h.at) ORDER BY h.at, h.id) FROM inbound_state_history h WHERE h.capsule_id = c.id) AS history
             FROM inbound_capsules c WHERE c.id = $1`,
          [id],
        );
        const row = r.rows[0];
        const reveal = { reveal: opts.reveal === true };
        const outbound = row ? undefined : await outboundDocument(pool, id, reveal);
        if (opts.reveal && (row || outbound)) await recordReveal(ctx, pool, { type: row ? 'inbound' : 'outbound', id, detail: { command: 'show' } });
        if (outbound) {
          ctx.stdout(opts.json ? JSON.stringify(outbound, null, 2) : Object.entries(outbound).map(([k, v]) => `${k.padEnd(14)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : (v ?? '-')}`).join('\n'));
          ctx.setExitCode(0);
          return;
        }
        if (!row) {
          ctx.stderr(`dhx show: no document ${id}`);
          ctx.setExitCode(1);
          return;
        }
        const doc = {
          id: row.id,
          direction: 'inbound',
          state: row.state,
          consignmentId: row.consignment_id,
          attempts: row.attempts,
          faultCode: row.failure_code,
          failureMessage: row.failure_message,
          client: row.client,
          sender: row.sender,
          recipient: row.recipient_system ? `${row.recipient_system}.${row.recipient}` : row.recipient,
          receivedAt: (row.received_at as Date).toISOString(),
          size: Number(row.size),
          sha256: row.blob_sha256,
          ...(await intakeFieldsOf(pool, id, reveal)),
          history: row.history ?? [],
        };
        if (opts.json) ctx.stdout(JSON.stringify(doc, null, 2));
        else {
          for (const [k, v] of Object.entries(doc)) if (k !== 'history') ctx.stdout(`${k.padEnd(14)} ${Array.isArray(v) ? v.length : (v ?? '-')}`);
          for (const h of doc.history as Array<{ state: string; at: string }>) ctx.stdout(`  ${h.at}  ${h.state}`);
        }
        ctx.setExitCode(0);
      } catch (err) {
        ctx.stderr(`dhx show: ${describeDbError(err, config.databaseUrl)}`);
        ctx.setExitCode(1);
      } finally {
        await pool.end();
      }
    });
}
