import { Command } from 'commander';
import { loadConfig } from '../config';
import { makePool } from '../db/pool';
import { inboundView } from '../inbound/views';
import { outboundDocument } from '../outbound/views';
import type { CliContext } from './context';
import { describeDbError } from './errors';
import { intakeFieldsOf } from './intake-show';
import { recordReveal, REVEAL_HELP } from './output';

/** `dhx show ID [--json]`: one document by id (a receiptId we gave is an inbound id). README, "Commands". */
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
        const row = await inboundView(pool, id);
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
          transport: row.transport,
          dhlId: row.dhl_id,
          aditDocumentId: row.adit_document_id,
          attempts: row.attempts,
          faultCode: row.failure_code,
          failureMessage: row.failure_message,
          client: row.client,
          sender: row.sender,
          recipient: row.recipient_system ? `${row.recipient_system}.${row.recipient}` : row.recipient,
          receivedAt: row.received_at.toISOString(),
          size: Number(row.size),
          sha256: row.blob_sha256,
          ...(await intakeFieldsOf(pool, id, reveal)),
          history: row.history ?? [],
        };
        if (opts.json) ctx.stdout(JSON.stringify(doc, null, 2));
        else {
          for (const [k, v] of Object.entries(doc)) if (k !== 'history') ctx.stdout(`${k.padEnd(14)} ${Array.isArray(v) ? v.length : (v ?? '-')}`);
          for (const f of doc.files) {
            const text = f.textError ? `text ${f.textError}` : `text ${f.textChars} chars`;
            ctx.stdout(`  file ${f.name}  ${f.size} B  ${f.mimeType}${f.from ? `  from ${f.from}` : ''}  ${text}`);
            for (const g of f.signatures ?? []) ctx.stdout(`    signed by ${g.signer ?? '?'} at ${g.signedAt ?? '?'}  digest ${g.digest}`);
          }
          for (const h of doc.history) ctx.stdout(`  ${h.at}  ${h.state}`);
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
