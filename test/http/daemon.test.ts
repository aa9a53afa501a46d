import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { installLastResort, uncaughtVerdict } from '../../src/cli/last-resort';
import { makeLogger } from '../../src/log/logger';
import { startAdapter } from '../dhx/harness';
import { makeTestPersonalCode } from '../helpers/personal-codes';
import { waitUntil } from './raw';

const CODE = makeTestPersonalCode(17);

/** What keeps the daemon itself standing: the sweep in every role, the last-resort handlers, the compose file. */

test('the HTTP role sweeps abandoned temporary files too', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-edge-sweep-'));
  fs.mkdirSync(path.join(dataDir, 'tmp'), { mode: 0o700 });
  const stale = path.join(dataDir, 'tmp', '12345-1700000000000-1');
  fs.writeFileSync(stale, 'left by a process killed mid-upload');
  const old = new Date(Date.now() - 2 * 3600 * 1000);
  fs.utimesSync(stale, old, old);
  const fresh = path.join(dataDir, 'tmp', '12345-1700000000000-2');
  fs.writeFileSync(fresh, 'being written right now');
  const h = await startAdapter({ DATA_DIR: dataDir }, 'http');
  try {
    await waitUntil(() => !fs.existsSync(stale), 3000, 'the stale file removed');
    expect(fs.existsSync(fresh)).toBe(true);
  } finally {
    await h.close();
  }
});

describe('the last-resort handlers of dhx serve', () => {
  const lines: string[] = [];
  const log = makeLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  beforeEach(() => (lines.length = 0));

  test('an uncaught exception is logged with personal codes masked; the daemon stops and exits 1', async () => {
    const proc = new EventEmitter();
    const exits: number[] = [];
    let stopped = 0;
    const lr = installLastResort({ log, stop: async () => void stopped++, exit: (code) => void exits.push(code) }, proc);
    proc.emit('uncaughtException', new TypeError(`cannot read a field of the capsule of ${CODE}`));
    await waitUntil(() => exits.length === 1, 1000, 'exit');
    expect(exits).toEqual([1]);
    expect(stopped).toBe(1);
    expect(lines.join('')).toContain('"level":"fatal"');
    expect(lines.join('')).not.toContain(CODE);
    lr.uninstall();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
  });

  test('a connection reset and an unhandled rejection are logged; the daemon goes on', async () => {
    const proc = new EventEmitter();
    const exits: number[] = [];
    const lr = installLastResort({ log, stop: async () => undefined, exit: (code) => void exits.push(code) }, proc);
    proc.emit('uncaughtException', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    proc.emit('unhandledRejection', new Error('a forgotten promise'));
    await new Promise((r) => setTimeout(r, 50));
    expect(exits).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(uncaughtVerdict(new RangeError('x'))).toBe('exit');
    lr.uninstall();
  });
});

describe('docker-compose.yml', () => {
  const compose = fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8');
  const adapter = compose.slice(compose.indexOf('\n  adapter:'));

  test('publishes the adapter on loopback only by default and restarts it', () => {
    expect(adapter).toMatch(/ports:\s*\n\s*- "\$\{DHX_PUBLISH:-127\.0\.0\.1:8080\}:8080"/);
    expect(adapter).toMatch(/\n {4}restart: unless-stopped\n/);
  });

  test('allows no private /12 range by default: only the fixed compose network\'s gateway (a client on this host)', () => {
    expect(compose).not.toContain('172.16.0.0/12');
    expect(compose).toMatch(/DHX_ALLOWED_CLIENTS: \$\{DHX_ALLOWED_CLIENTS:-172\.31\.250\.1\/32\}/);
    expect(compose).toMatch(/- subnet: 172\.31\.250\.0\/28\n\s+gateway: 172\.31\.250\.1\n/);
  });
});
