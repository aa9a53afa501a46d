import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { loadConfig } from '../../src/config';
import type { XRoadSim } from '../../src/sim/server';
import { addressBookSource, refreshAddressBook, resolveRoute } from '../../src/addressbook/addressbook';
import { closeSecurityServerAgent } from '../../src/xroad/agent';
import { buildSharedParams, parseGlobalConf } from '../../src/xroad/globalconf';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { SKA, startSim } from '../sim/helpers';

/**
 * The global configuration is bounded (XROAD_GLOBAL_CONF_MAX_BYTES): what is downloaded or read, and
 * what shared-params.xml unzips to, even when the zip lies about its sizes. Past the bound the refresh
 * fails and the previous address book stays, as when the source is unreachable.
 */

const KOV = '75000001';
const MiB = 1024 * 1024;

let db: TestDatabase;
let sim: XRoadSim;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSim();
  sim.addKov({ memberCode: KOV, name: 'Näidisvalla Vallavalitsus' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-gc-limits-'));
  const r = await refreshAddressBook(db.pool, { globalConf: `${sim.url}/verificationconf`, instance: 'ee-dev', client: { securityServer: sim.url, client: SKA, timeoutMs: 5_000 } });
  expect(r.ok).toBe(true);
});
afterAll(async () => {
  await sim?.stop();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A valid shared-params.xml padded with `padding` bytes of whitespace: compresses about a thousandfold. */
function paddedSharedParams(padding: number): Uint8Array {
  const xml = buildSharedParams({ instance: 'ee-dev', members: [{ memberClass: 'GOV', memberCode: '75000002', name: 'Testlinn', subsystems: ['DHX'] }], groups: [] });
  const at = xml.indexOf('<instanceIdentifier>');
  return new TextEncoder().encode(`${xml.slice(0, at)}${' '.repeat(padding)}${xml.slice(at)}`);
}

function bombZip(padding: number): Buffer {
  return Buffer.from(zipSync({ verificationconf: { 'ee-dev': { 'shared-params.xml': paddedSharedParams(padding) } } }, { level: 9 }));
}

/** Rewrites every declared uncompressed size (local headers and central directory) to `size`. */
function lyingSizes(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50 && out.readUInt32LE(i + 22) > size) out.writeUInt32LE(size, i + 22);
    if (sig === 0x02014b50 && out.readUInt32LE(i + 24) > size) out.writeUInt32LE(size, i + 24);
  }
  return out;
}

const kovRoute = async (): Promise<string> => (await resolveRoute(db.pool, KOV, { instance: 'ee-dev' })).kind;

test('XROAD_GLOBAL_CONF_MAX_BYTES defaults to 32 MiB and accepts a size', () => {
  expect(loadConfig({}).xroad.globalConfMaxBytes).toBe(32 * MiB);
  expect(loadConfig({ XROAD_GLOBAL_CONF_MAX_BYTES: '2MiB' }).xroad.globalConfMaxBytes).toBe(2 * MiB);
});

test('a shared-params.xml declaring more than the bound is refused before it is inflated', () => {
  const zip = bombZip(4 * MiB);
  expect(zip.length).toBeLessThan(64 * 1024);
  expect(() => parseGlobalConf(zip, 'ee-dev', MiB)).toThrow(/declares \d+ bytes unzipped, more than 1048576 \(XROAD_GLOBAL_CONF_MAX_BYTES\)/);
  // Under a bound that fits it, the same zip is a good configuration.
  expect(parseGlobalConf(zip, 'ee-dev', 8 * MiB).members).toHaveLength(1);
});

test('a zip that lies about its size is stopped once what it unzips to passes the bound', () => {
  const zip = lyingSizes(bombZip(4 * MiB), 1000);
  expect(() => parseGlobalConf(zip, 'ee-dev', MiB)).toThrow(/unzips to more than 1048576 bytes \(XROAD_GLOBAL_CONF_MAX_BYTES\)/);
});

test('a download larger than the bound is refused and the previous address book kept', async () => {
  const config = loadConfig({ XROAD_SECURITY_SERVER: sim.url, XROAD_GLOBAL_CONF_MAX_BYTES: '200B' });
  try {
    const r = await refreshAddressBook(db.pool, addressBookSource(config));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/more than 200 \(XROAD_GLOBAL_CONF_MAX_BYTES\); refused/) });
  } finally {
    closeSecurityServerAgent(config);
  }
  expect(await kovRoute()).toBe('direct');
});

test('a zip bomb as the global configuration is refused and the previous address book kept', async () => {
  const file = path.join(dir, 'bomb.zip');
  fs.writeFileSync(file, bombZip(8 * MiB));
  const config = loadConfig({ XROAD_GLOBAL_CONF: file, XROAD_GLOBAL_CONF_MAX_BYTES: '1MiB', XROAD_SECURITY_SERVER: sim.url });
  const r = await refreshAddressBook(db.pool, addressBookSource(config));
  expect(r).toEqual({ ok: false, error: expect.stringMatching(/XROAD_GLOBAL_CONF_MAX_BYTES/) });
  expect(await kovRoute()).toBe('direct');
  const lying = path.join(dir, 'lying.zip');
  fs.writeFileSync(lying, lyingSizes(bombZip(8 * MiB), 1000));
  const r2 = await refreshAddressBook(db.pool, addressBookSource(loadConfig({ XROAD_GLOBAL_CONF: lying, XROAD_GLOBAL_CONF_MAX_BYTES: '1MiB' })));
  expect(r2).toEqual({ ok: false, error: expect.stringMatching(/unzips to more than 1048576 bytes/) });
  expect(await kovRoute()).toBe('direct');
});

test('a global configuration file larger than the bound is not read', async () => {
  const file = path.join(dir, 'big.xml');
  fs.writeFileSync(file, paddedSharedParams(2 * MiB));
  const r = await refreshAddressBook(db.pool, addressBookSource(loadConfig({ XROAD_GLOBAL_CONF: file, XROAD_GLOBAL_CONF_MAX_BYTES: '1MiB' })));
  expect(r).toEqual({ ok: false, error: expect.stringMatching(/is \d+ bytes, more than 1048576 \(XROAD_GLOBAL_CONF_MAX_BYTES\); refused/) });
  expect(await kovRoute()).toBe('direct');
});

test('an endless answer without Content-Length is cut off at the bound, long before the timeout', async () => {
  let written = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/zip' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (!res.destroyed && written < 256 * MiB) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verificationconf`;
    const started = Date.now();
    const r = await refreshAddressBook(db.pool, {
      globalConf: url,
      instance: 'ee-dev',
      client: { securityServer: sim.url, client: SKA, timeoutMs: 20_000 },
      maxBytes: MiB,
    });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/larger than 1048576 bytes \(XROAD_GLOBAL_CONF_MAX_BYTES\); refused/) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(written).toBeLessThan(64 * MiB);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  expect(await kovRoute()).toBe('direct');
});
