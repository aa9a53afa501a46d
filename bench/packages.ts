/**
 * `npm run bench -- packages`: the two usual Node packages the adapter does not use, measured against
 * what it does instead (docs/packages.md). Every measurement runs in a fresh child process
 * (bench/packages-run.ts, `--max-old-space-size=4096`) so its peak RSS is its own; a child that fails or
 * runs out of memory is reported, not fatal.
 *
 * - xml2js: `parseStringPromise` of a generated capsule of about 1, 20 and 100 MB (after reading the
 *   file), beside the adapter's one-pass reader validating and extracting the same file.
 * - soap: its client sending DHX sendDocument with a capsule of about 20 and 100 MB to a local node:http
 *   server that drains the request and answers a sendDocumentResponse, beside the adapter's sendDocument
 *   (src/xroad/dhx-client.ts) to the same server. soap writes no SwA: it gets the capsule base64-encoded
 *   inline in the body, and, second, in its `attachments` option (multipart/related of type
 *   application/xop+xml with the capsule as a binary part, which is MTOM's packaging, not SwA).
 * - soap.listen given a small SwA request written by src/xroad/swa-body.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildCapsuleToFile } from '../src/capsule/build';
import { makeDraft } from '../src/capsule/draft';
import { soapEnvelope } from '../src/xroad/dhx-soap';
import { incompressible } from './content';
import type { RunReport } from './packages-run';

const MB = 1024 * 1024;
const CHILD_TIMEOUT_MS = 10 * 60 * 1000;

/** Writes a capsule of about `capsuleMb` MB (one incompressible file; base64(gzip) is ~1.37× the file). */
async function generate(dir: string, capsuleMb: number): Promise<string> {
  const file = path.join(dir, `capsule-${capsuleMb}mb.xml`);
  const fileBytes = Math.floor((capsuleMb * MB) / 1.37);
  const draft = makeDraft({
    sender: { code: '75006546', name: 'Tartu linn' },
    recipients: [{ code: '70001975', name: 'Sotsiaalkindlustusamet' }],
    recordType: 'Taotlus',
    title: 'Kinnise lasteasutuse teenuse arvamuse taotlus',
    originalIdentifier: `bench-packages-${capsuleMb}`,
    access: { code: 'AK' },
    files: [{ name: 'toimik.pdf', mimeType: 'application/pdf', content: incompressible(fileBytes), fileSize: fileBytes }],
  });
  await buildCapsuleToFile(draft, file);
  return file;
}

/** Runs bench/packages-run.js in a fresh process (asynchronously: the drain server lives in this one). */
function run(args: string[]): Promise<RunReport> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=4096', path.join(__dirname, 'packages-run.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-8192)));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        try {
          return resolve(JSON.parse(stdout) as RunReport);
        } catch {
          /* reported below */
        }
      }
      const lines = stderr.split('\n').filter((l) => l.trim() !== '');
      const fatal = lines.find((l) => /FATAL ERROR|out of memory/i.test(l));
      const why = signal === 'SIGKILL' ? `killed after ${CHILD_TIMEOUT_MS / 1000} s` : `exit ${code ?? signal}`;
      resolve({ ok: false, peakRssMb: NaN, error: `${why}: ${(fatal ?? lines[lines.length - 1] ?? '(no output)').trim().slice(0, 200)}` });
    });
  });
}

interface Drained {
  bytes: number;
  contentType: string;
}

/** Stands in for our security server: drains each request and answers a minimal sendDocumentResponse. */
async function drainServer(): Promise<{ url: string; last: () => Drained | undefined; close: () => Promise<void> }> {
  let last: Drained | undefined;
  const answer = soapEnvelope(undefined, { 'dhx:sendDocumentResponse': { 'dhx:receiptId': 'bench-receipt' } });
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      last = { bytes, contentType: String(req.headers['content-type'] ?? '') };
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(answer);
    });
  });
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    last: () => last,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median time and highest peak RSS of `runs` runs, or the first failure. */
async function measure(runs: number, args: () => string[]): Promise<RunReport> {
  const reports: RunReport[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await run(args());
    if (!r.ok) return r;
    reports.push(r);
  }
  return {
    ok: true,
    ms: median(reports.map((r) => r.ms ?? NaN)),
    peakRssMb: Math.max(...reports.map((r) => r.peakRssMb)),
    ...(reports[0]!.detail ? { detail: reports[0]!.detail } : {}),
  };
}

function cell(r: RunReport): string {
  if (!r.ok) return `FAILED (${r.error ?? r.detail ?? 'no result'})`;
  return `${r.ms!.toFixed(0).padStart(7)} ms | ${r.peakRssMb.toFixed(0).padStart(5)} MB`;
}

function ratio(a: RunReport, b: RunReport): string {
  if (!a.ok || !b.ok) return '';
  return `${(a.ms! / b.ms!).toFixed(1)}× time, ${(a.peakRssMb / b.peakRssMb).toFixed(1)}× RSS`;
}

function sizeOf(file: string): string {
  return `${(fs.statSync(file).size / MB).toFixed(1).padStart(6)} MB`;
}

export async function benchPackages(xmlSizes = [1, 20, 100], sendSizes = [20, 100], runs = 3): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-bench-packages-'));
  const server = await drainServer();
  console.log(`node ${process.version}, ${os.cpus().length} cores; each figure one fresh process (--max-old-space-size=4096), ${runs} run(s), median time, highest peak RSS (VmHWM)`);
  try {
    const capsules = new Map<number, string>();
    for (const mb of new Set([...xmlSizes, ...sendSizes])) capsules.set(mb, await generate(dir, mb));

    console.log('\nxml2js: read the file + xml2js.parseStringPromise, beside the adapter: validate + extract in one pass (src/capsule/read.ts)');
    console.log('capsule   | xml2js: time | peak RSS | adapter reader: time | peak RSS | xml2js / adapter');
    for (const mb of xmlSizes) {
      const file = capsules.get(mb)!;
      const x = await measure(runs, () => ['xml2js', file]);
      const out = fs.mkdtempSync(path.join(dir, 'out-'));
      const a = await measure(runs, () => {
        fs.rmSync(out, { recursive: true, force: true });
        fs.mkdirSync(out);
        return ['reader', file, out];
      });
      fs.rmSync(out, { recursive: true, force: true });
      console.log(`${sizeOf(file)} | ${cell(x)} | ${cell(a)} | ${ratio(x, a)}`);
    }

    console.log('\nsoap: sendDocument to a local node:http server that drains the request and answers sendDocumentResponse');
    console.log('  soap inline:     the capsule base64-encoded into <documentAttachment> (soap writes no SwA)');
    console.log('  soap attachment: soap\'s `attachments` option: multipart/related type="application/xop+xml", capsule as a binary part (MTOM packaging, not SwA)');
    console.log('  adapter:         src/xroad/dhx-client.ts sendDocument: SwA, the capsule base64-encoded as it is read from the file');
    console.log('  each time from reading the file to the parsed answer; the WSDL (soap) is loaded before the clock starts');
    console.log('capsule   | sender          | time       | peak RSS | request body | content-type');
    for (const mb of sendSizes) {
      const file = capsules.get(mb)!;
      const rows: Array<[string, RunReport, Drained | undefined]> = [];
      for (const [label, mode] of [
        ['soap inline', 'soap-inline'],
        ['soap attachment', 'soap-attachment'],
        ['adapter', 'adapter-send'],
      ] as const) {
        const r = await measure(runs, () => [mode, file, mode === 'adapter-send' ? server.url : `${server.url}/cgi-bin/consumer_proxy`]);
        rows.push([label, r, r.ok ? server.last() : undefined]);
      }
      const adapter = rows[2]![1];
      for (const [label, r, d] of rows) {
        const body = d ? `${(d.bytes / MB).toFixed(1).padStart(8)} MB | ${d.contentType.split(';').slice(0, 2).join(';')}` : '';
        const vs = label === 'adapter' ? '' : `  (${ratio(r, adapter)} of the adapter)`;
        console.log(`${sizeOf(file)} | ${label.padEnd(15)} | ${cell(r)} | ${body}${r.ok ? vs : ''}`);
      }
    }

    console.log('\nsoap.listen (behind node:http) given sendDocument, as the adapter writes it:');
    const l = await run(['soap-listen']);
    console.log(l.ok ? l.detail!.split('\n').map((s) => `  ${s}`).join('\n') : `  FAILED (${l.error ?? ''})`);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
