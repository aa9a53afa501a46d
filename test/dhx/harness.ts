import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { makeLogger } from '../../src/log/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';
import { track } from '../helpers/resources';

/** A running adapter on a free port with its own database, blob folder and queue prefix. */
export interface Harness {
  app: App;
  db: TestDatabase;
  url: string;
  config: Config;
  dataDir: string;
  prefix: string;
  /** The environment the adapter was configured from (for running `dhx` commands against it). */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** `role` as `dhx serve --role`: `http` (default) or `all` with the intake and send workers. */
export async function startAdapter(env: NodeJS.ProcessEnv = {}, role: 'http' | 'all' = 'http'): Promise<Harness> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-data-'));
  const prefix = randomPrefix();
  const fullEnv = { DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DHX_QUEUE_PREFIX: prefix, ...env };
  const config = loadConfig(fullEnv);
  const log = makeLogger({ level: config.logLevel, destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const app = await makeApp({ config, log, queuePrefix: prefix, role });
  const port = await app.start(0, '127.0.0.1');
  let stopped = false;
  track('adapter', app, () => stopped);
  return {
    app,
    db,
    url: `http://127.0.0.1:${port}`,
    config,
    dataDir,
    prefix,
    env: fullEnv,
    async close() {
      await app.stop();
      stopped = true;
      const r = testRedis();
      await cleanupPrefix(r, prefix);
      await r.quit();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SwaOptions {
  cid?: string;
  /** How the part's Content-ID is written (default `<doc>`). */
  contentIdHeader?: string;
  encoding?: 'base64' | 'binary';
  upperCaseHeaders?: boolean;
}

/** A SOAP-with-Attachments request: the envelope as root part, the capsule as a second part. */
export function swaBody(envelope: string, attachment: Buffer | undefined, o: SwaOptions = {}): { body: Buffer; contentType: string } {
  const boundary = `MIMEBoundary_${Math.random().toString(16).slice(2)}`;
  const h = (name: string): string => (o.upperCaseHeaders ? name.toUpperCase() : name);
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\n${h('Content-Type')}: text/xml; charset=UTF-8\r\n${h('Content-Transfer-Encoding')}: 8bit\r\n${h('Content-ID')}: <rootpart>\r\n\r\n`),
    Buffer.from(envelope),
    Buffer.from('\r\n'),
  ];
  if (attachment) {
    const encoding = o.encoding ?? 'base64';
    const content = encoding === 'base64' ? Buffer.from(attachment.toString('base64').replace(/.{76}/g, '$&\r\n')) : attachment;
    parts.push(
      Buffer.from(
        `--${boundary}\r\n${h('Content-Type')}: application/octet-stream\r\n${h('Content-Transfer-Encoding')}: ${encoding}\r\n${h('Content-ID')}: ${o.contentIdHeader ?? `<${o.cid ?? 'doc'}>`}\r\n\r\n`,
      ),
      content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    contentType: `multipart/related; type="text/xml"; start="<rootpart>"; boundary="${boundary}"`,
  };
}

export async function post(url: string, body: Buffer | string, contentType: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/dhx`, { method: 'POST', body, headers: { 'content-type': contentType } });
  return { status: res.status, text: await res.text() };
}

/** receiptId, or the fault code, from a sendDocument answer. */
export function outcome(text: string): { receiptId?: string; faultCode?: string; faultString?: string; soapFault?: string } {
  const pick = (tag: string): string | undefined => new RegExp(`<(?:\\w+:)?${tag}>([^<]*)</(?:\\w+:)?${tag}>`).exec(text)?.[1];
  const receiptId = pick('receiptId');
  const faultCode = pick('faultCode');
  const faultString = pick('faultString');
  const soapFault = pick('faultstring');
  return { ...(receiptId ? { receiptId } : {}), ...(faultCode ? { faultCode } : {}), ...(faultString ? { faultString } : {}), ...(soapFault ? { soapFault } : {}) };
}

/** A sendDocument envelope with the given parties (test-only template; the adapter builds XML with a builder). */
export function sendDocumentEnvelope(o: {
  client: string;
  clientSubsystem?: string;
  service: string;
  serviceSubsystem?: string;
  consignmentId: string;
  version?: string;
  recipient?: string;
  recipientSystem?: string;
  cid?: string;
}): string {
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:prod="http://dhx.x-road.eu/producer">
  <soapenv:Header>
    <xrd:protocolVersion>4.0</xrd:protocolVersion>
    <xrd:id>${o.consignmentId}-msg</xrd:id>
    <xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>${o.client}</id:memberCode><id:subsystemCode>${o.clientSubsystem ?? 'DHX'}</id:subsystemCode></xrd:client>
    <xrd:service id:objectType="SERVICE"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>${o.service}</id:memberCode><id:subsystemCode>${o.serviceSubsystem ?? 'DHX'}</id:subsystemCode><id:serviceCode>sendDocument</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>
  </soapenv:Header>
  <soapenv:Body>
    <prod:sendDocument>
      <prod:DHXVersion>${o.version ?? '1.0'}</prod:DHXVersion>
      ${o.recipient ? `<prod:recipient>${o.recipient}</prod:recipient>` : ''}
      ${o.recipientSystem ? `<prod:recipientSystem>${o.recipientSystem}</prod:recipientSystem>` : ''}
      <prod:consignmentId>${o.consignmentId}</prod:consignmentId>
      <prod:documentAttachment>cid:${o.cid ?? 'doc'}</prod:documentAttachment>
    </prod:sendDocument>
  </soapenv:Body>
</soapenv:Envelope>`;
}
