/**
 * `npm run bench -- receive`: the DHX receive path under load and with one large capsule.
 * - 10 KB capsules, 16 concurrent senders, BENCH_SECONDS (default 30) s: receipts/s, p50/p99, beside a floor
 *   measured in the same run (bench/floor-server.ts: bare HTTP + one Postgres insert per body).
 *   Targets: ≥ 50 % of the floor's rate, p99 ≤ 50 ms.
 * - One 200 MB capsule: time to receipt and the adapter process's peak RSS (VmHWM), on BLOB_STORE=fs and
 *   on BLOB_STORE=postgres. Targets: ≤ 200 MB RSS; postgres ≤ 2× the fs time.
 * The adapter and the floor run as separate processes, the load from this one. The adapter runs
 * `dhx serve --role http`: intake workers would otherwise drain the benchmark's backlog beside it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buildCapsuleToBuffer, buildCapsuleToFile } from '../src/capsule/build';
import { makeDraft } from '../src/capsule/draft';
import { incompressible } from './content';
import { admin, dbUrl } from './db';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONCURRENCY = 16;
const ROOT = path.resolve(__dirname, '..', '..');

function envelope(consignmentId: string): string {
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:prod="http://dhx.x-road.eu/producer"><soapenv:Header><xrd:protocolVersion>4.0</xrd:protocolVersion><xrd:id>${consignmentId}</xrd:id><xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>75006546</id:memberCode><id:subsystemCode>DHX</id:subsystemCode></xrd:client><xrd:service id:objectType="SERVICE"><id:xRoadInstance>ee-dev</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70001975</id:memberCode><id:subsystemCode>DHX</id:subsystemCode><id:serviceCode>sendDocument</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service></soapenv:Header><soapenv:Body><prod:sendDocument><prod:DHXVersion>1.0</prod:DHXVersion><prod:consignmentId>${consignmentId}</prod:consignmentId><prod:documentAttachment>cid:doc</prod:documentAttachment></prod:sendDocument></soapenv:Body></soapenv:Envelope>`;
}

const BOUNDARY = 'BenchBoundary';
const CONTENT_TYPE = `multipart/related; type="text/xml"; start="<root>"; boundary=${BOUNDARY}`;
const head = (id: string): string =>
  `--${BOUNDARY}\r\nContent-Type: text/xml\r\nContent-ID: <root>\r\n\r\n${envelope(id)}\r\n--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc>\r\n\r\n`;
const TAIL = `\r\n--${BOUNDARY}--\r\n`;

function draft(fileBytes: number | (() => Readable), size?: number): ReturnType<typeof makeDraft> {
  return makeDraft({
    sender: { code: '75006546', name: 'Tartu Linnavalitsus' },
    recipients: [{ code: '70001975', name: 'Sotsiaalkindlustusamet' }],
    recordType: 'Taotlus',
    title: 'Nõustamise taotlus',
    originalIdentifier: 'bench',
    files: [
      {
        name: 'taotlus.pdf',
        mimeType: 'application/pdf',
        content: typeof fileBytes === 'number' ? randomBytes(fileBytes) : fileBytes,
        ...(size ? { fileSize: size } : {}),
      },
    ],
  });
}

async function waitReady(port: number, pathName: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}${pathName}`).then((r) => r.status < 500, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on ${port} did not start`);
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function postOnce(agent: http.Agent, port: number, body: Buffer): Promise<{ ms: number; ok: boolean }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/dhx', method: 'POST', agent, headers: { 'content-type': CONTENT_TYPE, 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, ok: res.statusCode === 200 && !text.includes('faultCode') && !text.includes('Fault') });
      });
    });
    req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, ok: false }));
    req.end(body);
  });
}

async function load(port: number, makeBody: () => Buffer): Promise<{ rate: number; p50: number; p99: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        const r = await postOnce(agent, port, makeBody());
        if (r.ok) latencies.push(r.ms);
        else errors++;
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { rate: latencies.length / SECONDS, p50: q(0.5), p99: q(0.99), errors };
}

/** POSTs the capsule in `file` as a DHX sendDocument, streamed from disk; the answer's text. */
function postFile(port: number, file: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/dhx', method: 'POST', headers: { 'content-type': CONTENT_TYPE } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.write(head(randomUUID()));
    const stream = fs.createReadStream(file);
    stream.on('end', () => req.end(TAIL));
    stream.pipe(req, { end: false });
  });
}

export async function benchReceive(): Promise<void> {
  const name = `dhx_bench_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-bench-data-'));
  await admin(`CREATE DATABASE ${name}`);
  const cli = path.join(ROOT, 'dist', 'src', 'cli', 'index.js');
  const env = { DATABASE_URL: dbUrl(name), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DHX_QUEUE_PREFIX: `bench-${name}`, DHX_MAX_CAPSULE_BYTES: '300MiB' };
  const children: ChildProcess[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const m = start([cli, 'migrate'], env);
      m.once('exit', (code) => (code === 0 ? resolve() : reject(new Error('migrate failed'))));
    });
    const capsule = await buildCapsuleToBuffer(draft(7 * 1024));
    const body = (): Buffer => Buffer.concat([Buffer.from(head(randomUUID())), capsule, Buffer.from(TAIL)]);
    console.log(`receive: ${(capsule.length / 1024).toFixed(1)} KB capsules, ${CONCURRENCY} concurrent senders, ${SECONDS} s each`);

    const floorPort = 18_000 + Math.floor(Math.random() * 1000);
    const floor = start([path.join(__dirname, 'floor-server.js')], { ...env, PORT: String(floorPort) });
    children.push(floor);
    await waitReady(floorPort, '/');
    const f = await load(floorPort, body);
    await stop(floor);

    const port = floorPort + 1000;
    const adapter = start([cli, 'serve', '--role', 'http'], { ...env, PORT: String(port) });
    children.push(adapter);
    await waitReady(port, '/health');
    const a = await load(port, body);
    const fmt = (r: typeof a): string =>
      `${r.rate.toFixed(0).padStart(6)} /s | p50 ${r.p50.toFixed(1).padStart(5)} ms | p99 ${r.p99.toFixed(1).padStart(5)} ms | errors ${r.errors}`;
    console.log(`floor (HTTP + 1 insert) | ${fmt(f)}`);
    console.log(`adapter POST /dhx       | ${fmt(a)}`);
    console.log(
      `adapter / floor = ${((a.rate / f.rate) * 100).toFixed(0)} % (target ≥ 50 %: ${a.rate >= f.rate / 2 ? 'ok' : 'MISSED'}); p99 target ≤ 50 ms: ${a.p99 <= 50 ? 'ok' : 'MISSED'}`,
    );

    // One 200 MB capsule, streamed, to a fresh adapter process so its peak RSS is this capsule's alone:
    // once per blob store (BLOB_STORE, docs/receive.md), fs first as the yardstick.
    await stop(adapter);
    const big = path.join(os.tmpdir(), `dhx-bench-big-${name}.xml`);
    const size = Math.floor((200 * 1024 * 1024) / 1.37);
    await buildCapsuleToFile(draft(incompressible(size, 9), size), big);
    const bigBytes = fs.statSync(big).size;
    const times: Record<string, number> = {};
    try {
      for (const blobStore of ['fs', 'postgres'] as const) {
        const bigAdapter = start([cli, 'serve', '--role', 'http'], { ...env, PORT: String(port), BLOB_STORE: blobStore });
        children.push(bigAdapter);
        await waitReady(port, '/health');
        const t0 = process.hrtime.bigint();
        const text = await postFile(port, big);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        times[blobStore] = ms;
        const rss = peakRssMb(bigAdapter.pid!);
        const receipted = text.includes('receiptId');
        const vsFs = blobStore === 'fs' ? '' : `; ${(ms / times.fs!).toFixed(2)}× fs (target ≤ 2×: ${ms <= 2 * times.fs! ? 'ok' : 'MISSED'})`;
        console.log(
          `200 MB capsule (${(bigBytes / 1024 / 1024).toFixed(1)} MB), BLOB_STORE=${blobStore.padEnd(8)}: ${receipted ? 'receipt' : 'NO RECEIPT'} in ${ms.toFixed(0)} ms; ` +
            `adapter peak RSS ${rss.toFixed(0)} MB (target ≤ 200 MB: ${rss <= 200 ? 'ok' : 'MISSED'})${vsFs}`,
        );
        await stop(bigAdapter);
      }
    } finally {
      fs.rmSync(big, { force: true });
    }
  } finally {
    for (const c of children) await stop(c);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
