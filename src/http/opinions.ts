import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Multipasta from 'multipasta/node';
import type { Logger } from 'pino';
import type { BlobStore } from '../blob/store';
import { BodyError, BodyFailure, bodyFailureStatus, readMultipart } from '../mime/body';
import { send, sendAndClose } from './edge';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { checkedPersonalCode, createOpinion, OpinionError, OpinionErrorCode, type OpinionFile } from '../outbound/opinion';
import { isVerdict } from '../outbound/states';
import { maskText } from '../log/privacy';

/**
 * `POST /api/opinions`: the HTTP twin of `dhx opinion send`. multipart/form-data with fields
 * `case`, `verdict` (toetav | mitte-toetav), optional `note`, and one or more file parts (the first is the
 * main component). Protected by ADMIN_TOKEN as a Bearer token (401 without it, or when none is set).
 * Answers 201 with the new outgoing document's id. Opinion files are small documents: they are held in
 * memory up to DHX_MAX_CAPSULE_BYTES in total.
 */

export interface OpinionApiDeps {
  config: Config;
  pool: Pool;
  store: BlobStore;
  log: Logger;
  enqueueSend?: (id: string) => Promise<void>;
}

const JSON_TYPE = 'application/json';

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), JSON_TYPE);
}

/** Bearer ADMIN_TOKEN, compared in constant time. */
export function bearerAllowed(config: Pick<Config, 'adminToken'>, authorization: string | undefined): boolean {
  const token = config.adminToken;
  const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  if (!token || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}


/**
 * The form, files held in memory: the body is limited to `maxBytes` as sent (BodyError TooLarge), and a
 * failure of any kind (framing, a silent or vanished client) frees the parser and the parts at once.
 */
async function readForm(req: IncomingMessage, limits: { maxBytes: number; idleMs: number }): Promise<{ fields: Map<string, string>; files: OpinionFile[] }> {
  const reader = readMultipart(req, req.headers, { ...limits, maxParts: 64 });
  const fields = new Map<string, string>();
  const files: OpinionFile[] = [];
  for await (const part of reader.parts) {
    if (part._tag === 'Field') {
      fields.set(part.info.name, Multipasta.decodeField(part.info, part.value));
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const c of part) chunks.push(Buffer.from(c as Uint8Array));
    const type = part.info.contentType;
    files.push({
      name: part.filename || part.info.name || `fail-${files.length + 1}`,
      content: Buffer.concat(chunks),
      ...(type && type !== 'application/octet-stream' ? { mimeType: type } : {}),
    });
  }
  return { fields, files };
}

/** A body failure answered (JSON), the connection closed: the rest of the body is not read. */
function refuseBody(req: IncomingMessage, res: ServerResponse, err: BodyError): void {
  if (err.failure === BodyFailure.Aborted) return void req.socket.destroy();
  const error = err.failure === BodyFailure.TooLarge ? `the form is larger than ${err.limit} bytes` : err.message;
  sendAndClose(req, res, bodyFailureStatus(err.failure), JSON.stringify({ error }), JSON_TYPE);
}

export async function handleOpinionRequest(req: IncomingMessage, res: ServerResponse, deps: OpinionApiDeps): Promise<void> {
  if (!bearerAllowed(deps.config, req.headers.authorization)) {
    // The body of a stranger is not read: the connection closes after the answer.
    sendAndClose(req, res, 401, JSON.stringify({ error: 'a Bearer token (ADMIN_TOKEN) is required' }), JSON_TYPE, { 'www-authenticate': 'Bearer' });
    return;
  }
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    sendAndClose(req, res, 415, JSON.stringify({ error: 'send multipart/form-data with case, verdict, note and file parts' }), JSON_TYPE);
    return;
  }
  let form: Awaited<ReturnType<typeof readForm>>;
  try {
    form = await readForm(req, { maxBytes: Math.min(deps.config.dhx.maxCapsuleBytes, deps.config.http.maxRequestBytes), idleMs: deps.config.http.idleTimeoutSeconds * 1000 });
  } catch (err) {
    if (err instanceof BodyError) return refuseBody(req, res, err);
    json(res, 400, { error: 'the form could not be read' });
    return;
  }
  const caseRef = form.fields.get('case');
  const verdict = form.fields.get('verdict');
  const note = form.fields.get('note');
  if (!caseRef) return json(res, 400, { error: 'field case is required' });
  if (!isVerdict(verdict)) return json(res, 400, { error: 'field verdict must be toetav or mitte-toetav' });
  if (form.files.length === 0) return json(res, 400, { error: 'at least one file is required' });
  const via = form.fields.get('via');
  const to = form.fields.get('to');
  if (via !== undefined && via !== 'adit') return json(res, 400, { error: 'field via must be adit' });
  if ((via === 'adit') !== (to !== undefined)) return json(res, 400, { error: 'fields via=adit and to (a personal code) go together' });
  if (to !== undefined) {
    try {
      checkedPersonalCode(to);
    } catch (err) {
      return json(res, 400, { error: `field to: ${(err as Error).message}`, code: OpinionErrorCode.INVALID_PERSONAL_CODE });
    }
  }
  try {
    const created = await createOpinion(
      {
        pool: deps.pool,
        store: deps.store,
        org: { code: deps.config.xroad.memberCode, name: deps.config.intake.orgName, unit: deps.config.intake.orgUnit },
        log: deps.log,
        ...(deps.enqueueSend ? { enqueue: deps.enqueueSend } : {}),
      },
      { caseRef, verdict, files: form.files, ...(note ? { note } : {}), ...(to !== undefined ? { toPerson: to } : {}) },
    );
    // The person's code is not echoed in full (docs/operations.md, "Privacy").
    json(res, 201, { ...created, ...(created.recipientPerson ? { recipientPerson: maskText(created.recipientPerson) } : {}), state: 'queued' });
  } catch (err) {
    if (err instanceof OpinionError) {
      json(res, err.code === OpinionErrorCode.CASE_NOT_FOUND ? 404 : err.code === OpinionErrorCode.INVALID_PERSONAL_CODE ? 400 : 422, { error: err.message, code: err.code });
      return;
    }
    throw err;
  }
}
