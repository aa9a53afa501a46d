/**
 * One measured run for `bench/packages.ts`, in its own process so that its peak RSS is its own:
 *
 *   packages-run xml2js FILE                 read FILE, then xml2js.parseStringPromise
 *   packages-run reader FILE OUT_DIR         the adapter's one-pass reader: validate + extract (as bench/capsule-run.ts)
 *   packages-run soap-inline FILE URL        soap's client: sendDocument with the capsule base64-encoded inline in the body
 *   packages-run soap-attachment FILE URL    soap's client: sendDocument with the capsule in its `attachments` option
 *   packages-run adapter-send FILE URL       the adapter's sendDocument (src/xroad/dhx-client.ts): SwA, streamed
 *   packages-run soap-listen                 whether soap.listen takes a SwA request written by src/xroad/swa-body.ts
 *
 * Prints one JSON object. Peak RSS is VmHWM of /proc/self/status: the high-water mark of this process's
 * own memory since exec (not the parent's at fork), and it catches peaks inside synchronous work that a
 * timer sampling `process.memoryUsage` would miss.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as soap from 'soap';
import * as xml2js from 'xml2js';
import { readCapsule } from '../src/capsule/read';
import { loadCapsuleSchema } from '../src/capsule/schema';
import { sendDocument } from '../src/xroad/dhx-client';
import { requestHeader, sendDocumentEnvelope } from '../src/xroad/dhx-request';
import { soapEnvelope } from '../src/xroad/dhx-soap';
import { postSoap } from '../src/xroad/post';
import { swaRequestBody } from '../src/xroad/swa-body';

export interface RunReport {
  ok: boolean;
  ms?: number;
  peakRssMb: number;
  detail?: string;
  error?: string;
}

const MB = 1024 * 1024;
const WSDL = path.join(__dirname, '..', '..', 'wsdl', 'dhx.wsdl');
const CLIENT = { objectType: 'SUBSYSTEM' as const, xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70001975', subsystemCode: 'DHX' };
const SERVICE = { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '75006546', subsystemCode: 'DHX' };

function peakRssMb(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage.rss() / MB;
}

function since(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * dhx.wsdl imports swaref.xsd, xroad.xsd and representation.xsd by http: URL. There is no network here,
 * so soap's WSDL loader gets an empty local schema of the same namespace for each (the request's header
 * is added as XML, and swaRef is a string anyway).
 */
function wsdlOptions(): { wsdl_options: { overrideImportLocation: (location: string) => string } } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-wsdl-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const namespaces: Record<string, string> = {
    'swaref.xsd': 'http://ws-i.org/profiles/basic/1.1/xsd',
    'xroad.xsd': 'http://x-road.eu/xsd/xroad.xsd',
    'representation.xsd': 'http://x-road.eu/xsd/representation.xsd',
  };
  return {
    wsdl_options: {
      overrideImportLocation: (location: string) => {
        const name = path.basename(new URL(location).pathname);
        const ns = namespaces[name];
        if (!ns) throw new Error(`unexpected import ${location}`);
        const file = path.join(dir, name);
        fs.writeFileSync(file, `<?xml version="1.0"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="${ns}"/>`);
        return file;
      },
    },
  };
}

/** The X-Road header of a sendDocument request, as the adapter writes it, for soap's addSoapHeader. */
function xroadHeaderXml(): string {
  const header = requestHeader({ client: CLIENT, service: { ...SERVICE, serviceCode: 'sendDocument', serviceVersion: 'v1' } });
  const envelope = soapEnvelope(header, {});
  const m = /<SOAP-ENV:Header>([\s\S]*)<\/SOAP-ENV:Header>/.exec(envelope);
  if (!m) throw new Error('no header in the envelope');
  const ns = 'xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:repr="http://x-road.eu/xsd/representation.xsd"';
  // Each top-level header element declares the namespaces it uses, since soap writes its own Envelope.
  return m[1]!.replace(/<((?:xrd|repr):[A-Za-z]+)(?=[\s>])/g, `<$1 ${ns}`);
}

async function runXml2js(file: string): Promise<RunReport> {
  const t0 = process.hrtime.bigint();
  try {
    const text = await fs.promises.readFile(file, 'utf8');
    const doc = (await xml2js.parseStringPromise(text)) as Record<string, unknown>;
    const ms = since(t0);
    return { ok: true, ms, peakRssMb: peakRssMb(), detail: `root ${Object.keys(doc).join(',')}` };
  } catch (err) {
    return { ok: false, ms: since(t0), peakRssMb: peakRssMb(), error: (err as Error).message.split('\n')[0] };
  }
}

async function runReader(file: string, outDir: string): Promise<RunReport> {
  const schema = await loadCapsuleSchema(); // loaded once per daemon; not part of a capsule's cost
  // The daemon is warm when a capsule arrives: read a few of the project's fixtures first (as bench/capsule-run.ts).
  const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'capsules', 'valid');
  for (let i = 0; i < 3; i++) {
    for (const name of ['mentoring-request.xml', 'two-files-pdf-docx.xml']) await readCapsule(path.join(fixtures, name), { schema });
  }
  const t0 = process.hrtime.bigint();
  const result = await readCapsule(file, {
    schema,
    sink: ({ index }) => fs.createWriteStream(path.join(outDir, `file-${index}`), { mode: 0o600, highWaterMark: MB }),
  });
  const ms = since(t0);
  const size = result.files.reduce((n, f) => n + f.size, 0);
  return { ok: result.valid, ms, peakRssMb: peakRssMb(), detail: `valid ${result.valid}, extracted ${(size / MB).toFixed(1)} MB` };
}

async function runSoap(file: string, url: string, mode: 'inline' | 'attachment'): Promise<RunReport> {
  const client = await soap.createClientAsync(WSDL, wsdlOptions(), url); // once per daemon
  client.addSoapHeader(xroadHeaderXml());
  const t0 = process.hrtime.bigint();
  try {
    const capsule = await fs.promises.readFile(file);
    const args = { DHXVersion: '1.0', consignmentId: `bench-${Date.now()}` };
    let result: unknown;
    if (mode === 'inline') {
      [result] = await client.sendDocumentAsync({ ...args, documentAttachment: capsule.toString('base64') });
    } else {
      const contentId = 'capsule-bench';
      [result] = await client.sendDocumentAsync(
        { ...args, documentAttachment: `cid:${contentId}` },
        { attachments: [{ mimetype: 'application/xml', contentId, name: 'capsule.xml', body: capsule }] },
      );
    }
    const ms = since(t0);
    const receiptId = (result as { receiptId?: string } | null)?.receiptId;
    return { ok: receiptId !== undefined, ms, peakRssMb: peakRssMb(), detail: `receiptId ${receiptId ?? '(none)'}` };
  } catch (err) {
    return { ok: false, ms: since(t0), peakRssMb: peakRssMb(), error: (err as Error).message.split('\n')[0] };
  }
}

async function runAdapterSend(file: string, url: string): Promise<RunReport> {
  const t0 = process.hrtime.bigint();
  const outcome = await sendDocument(
    { securityServer: url, client: CLIENT, timeoutMs: 600_000 },
    { target: { service: SERVICE }, consignmentId: `bench-${Date.now()}`, capsule: fs.createReadStream(file, { highWaterMark: MB }), resend: false },
  );
  const ms = since(t0);
  const receipt = outcome.kind === 'delivered' ? `receiptId ${outcome.receiptId ?? '(duplicate)'}` : `${outcome.kind}`;
  return { ok: outcome.kind === 'delivered', ms, peakRssMb: peakRssMb(), detail: receipt };
}

/** soap.listen behind a node:http server, given a small SwA sendDocument exactly as the adapter writes it. */
async function runSoapListen(): Promise<RunReport> {
  const calls: unknown[] = [];
  const server = http.createServer();
  const service = {
    dhxService: {
      dhxServicePort: {
        sendDocument: (args: unknown) => {
          calls.push(args);
          return { receiptId: 'soap-listen-receipt' };
        },
      },
    },
  };
  const xml = fs.readFileSync(WSDL, 'utf8');
  // soap takes over the server's request listener once its WSDL has loaded: wait for that.
  await new Promise<void>((resolve, reject) => {
    soap.listen(server, { path: '/dhx', services: service, xml, ...wsdlOptions(), callback: (err: unknown) => (err ? reject(err as Error) : resolve()) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dhx`;
  const header = requestHeader({ client: CLIENT, service: { ...SERVICE, serviceCode: 'sendDocument', serviceVersion: 'v1' } });
  const capsule = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'capsules', 'valid', 'mentoring-request.xml'));
  const lines: string[] = [];
  try {
    // Control: the same envelope as plain text/xml (no attachment), so the service itself is known to answer.
    const plain = sendDocumentEnvelope(header, { consignmentId: 'listen-plain', contentId: 'capsule-1' });
    const a = await postSoap(url, { contentType: 'text/xml; charset=utf-8', body: plain, timeoutMs: 10_000 });
    lines.push(`text/xml envelope alone: ${describe(a)}; handler called ${calls.length}× ${JSON.stringify(calls[0] ?? null)}`);
    calls.length = 0;
    const envelope = sendDocumentEnvelope(header, { consignmentId: 'listen-swa', contentId: 'capsule-1' });
    const { contentType, body } = swaRequestBody(envelope, [{ contentId: 'capsule-1', contentType: 'application/xml', source: Readable.from([capsule]) }]);
    const b = await postSoap(url, { contentType, body, timeoutMs: 10_000 });
    lines.push(`SwA multipart/related (${capsule.length} B capsule): ${describe(b)}; handler called ${calls.length}×`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { ok: true, peakRssMb: peakRssMb(), detail: lines.join('\n') };

  function describe(r: Awaited<ReturnType<typeof postSoap>>): string {
    if (r.kind === 'failed') return `no answer (${r.message})`;
    const text = r.body.toString('utf8');
    const fault = /<faultstring>([\s\S]*?)<\/faultstring>/.exec(text)?.[1];
    const shown = fault ? `Fault "${fault.slice(0, 160)}"` : text.includes('sendDocumentResponse') ? 'sendDocumentResponse' : `"${text.slice(0, 160)}"`;
    return `HTTP ${r.status}, ${shown}`;
  }
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  let report: RunReport;
  if (mode === 'xml2js' && a) report = await runXml2js(a);
  else if (mode === 'reader' && a && b) report = await runReader(a, b);
  else if (mode === 'soap-inline' && a && b) report = await runSoap(a, b, 'inline');
  else if (mode === 'soap-attachment' && a && b) report = await runSoap(a, b, 'attachment');
  else if (mode === 'adapter-send' && a && b) report = await runAdapterSend(a, b);
  else if (mode === 'soap-listen') report = await runSoapListen();
  else throw new Error('usage: packages-run xml2js FILE | reader FILE OUT_DIR | soap-inline|soap-attachment|adapter-send FILE URL | soap-listen');
  process.stdout.write(JSON.stringify(report));
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
