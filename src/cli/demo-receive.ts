import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { XMLBuilder } from 'fast-xml-parser';
import { Redis } from 'ioredis';
import pg from 'pg';
import { makeApp } from '../app';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { makePool } from '../db/pool';
import { makeLogger } from '../log/logger';
import { NS } from '../xroad/header';
import type { CliContext } from './context';
import { describeDbError } from './errors';

/**
 * Demo step: KOVs send their requests to the adapter's `POST /dhx` as an X-Road security server would,
 * over a real HTTP connection, into a temporary database and blob folder that are removed afterwards.
 */

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

function envelope(kov: string, ska: string, consignmentId: string): string {
  const id = (member: string, extra: Record<string, string> = {}): Record<string, unknown> => ({
    'id:xRoadInstance': 'ee-dev',
    'id:memberClass': 'GOV',
    'id:memberCode': member,
    'id:subsystemCode': 'DHX',
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`id:${k}`, v])),
  });
  return builder.build({
    'soapenv:Envelope': {
      '@_xmlns:soapenv': NS.soapEnv,
      '@_xmlns:xrd': NS.xroad,
      '@_xmlns:id': NS.id,
      '@_xmlns:prod': NS.dhx,
      'soapenv:Header': {
        'xrd:protocolVersion': '4.0',
        'xrd:id': randomUUID(),
        'xrd:client': { '@_id:objectType': 'SUBSYSTEM', ...id(kov) },
        'xrd:service': { '@_id:objectType': 'SERVICE', ...id(ska, { serviceCode: 'sendDocument', serviceVersion: 'v1' }) },
      },
      'soapenv:Body': {
        'prod:sendDocument': { 'prod:DHXVersion': '1.0', 'prod:consignmentId': consignmentId, 'prod:documentAttachment': 'cid:doc' },
      },
    },
  }) as string;
}

function swa(env: string, capsule: Buffer): { body: Buffer; contentType: string } {
  const b = `demo-${randomBytes(6).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-ID: <root>\r\n\r\n${env}\r\n`),
    Buffer.from(`--${b}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <doc>\r\n\r\n`),
    Buffer.from(capsule.toString('base64').replace(/.{76}/g, '$&\r\n')),
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { body, contentType: `multipart/related; type="text/xml"; start="<root>"; boundary=${b}` };
}

/** The demo's queue keys go with its database. */
async function removeQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis down: nothing was queued either.
  } finally {
    redis.disconnect();
  }
}

/** Sends each capsule file (sender code → path) to a temporary adapter; returns how many results were unexpected. */
export async function demoReceive(ctx: CliContext, dir: string, requests: Array<{ sender: string; file: string; label: string }>): Promise<number> {
  const base = loadConfig(ctx.env);
  const dbName = `dhx_demo_${randomBytes(5).toString('hex')}`;
  const adminUrl = new URL(base.databaseUrl);
  const dbUrl = new URL(base.databaseUrl);
  dbUrl.pathname = `/${dbName}`;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
  } catch (err) {
    ctx.stdout(`   skipped: ${describeDbError(err, base.databaseUrl)}`);
    await admin.end().catch(() => undefined);
    return 0;
  }
  let failures = 0;
  const dataDir = path.join(dir, 'adapter-data');
  try {
    const migratePool = makePool({ databaseUrl: dbUrl.toString(), max: 1 });
    await migrate(migratePool);
    await migratePool.end();
    const config = loadConfig({ ...ctx.env, DATABASE_URL: dbUrl.toString(), DATA_DIR: dataDir, DHX_QUEUE_PREFIX: dbName });
    const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    const app = await makeApp({ config, log });
    try {
      const port = await app.start(0, '127.0.0.1');
      for (const r of requests) {
        const consignmentId = randomUUID();
        const { body, contentType } = swa(envelope(r.sender, config.xroad.memberCode, consignmentId), fs.readFileSync(r.file));
        const res = await fetch(`http://127.0.0.1:${port}/dhx`, { method: 'POST', body, headers: { 'content-type': contentType } });
        const text = await res.text();
        const receipt = /<dhx:receiptId>([^<]+)</.exec(text)?.[1];
        if (!receipt) failures++;
        ctx.stdout(`   ${receipt ? `receipt ${receipt}` : `NO RECEIPT (${/faultString>([^<]*)/.exec(text)?.[1] ?? res.status})`}  ← ${r.label} from ${r.sender}`);
        if (receipt) {
          const again = await fetch(`http://127.0.0.1:${port}/dhx`, { method: 'POST', body, headers: { 'content-type': contentType } });
          const dup = /faultCode>([^<]+)</.exec(await again.text())?.[1];
          if (dup !== 'DHX.Duplicate') failures++;
        }
      }
      const stored = await app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_capsules WHERE state = 'received'`);
      ctx.stdout(`   ${stored.rows[0]?.n ?? 0} capsule(s) stored durably before their receipts; each resend answered DHX.Duplicate`);
    } finally {
      await app.stop();
      await removeQueueKeys(config.redisUrl, dbName);
    }
  } catch (err) {
    failures++;
    ctx.stdout(`   failed: ${(err as Error).message}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  return failures;
}
