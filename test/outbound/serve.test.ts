import { Writable } from 'node:stream';
import { makeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { makeLogger } from '../../src/log/logger';
import { track } from '../helpers/resources';
import { heldBy, KOV, startSendHarness, type SendHarness } from './harness';

/** `dhx serve --role all|worker` runs the send worker and scheduler (makeApp), and stops them on stop(). */

let h: SendHarness;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  h = await startSendHarness();
});
afterAll(() => h.close());

async function serve(role: 'all' | 'worker') {
  const config = loadConfig({
    DATABASE_URL: h.db.url,
    DATA_DIR: h.dataDir,
    XROAD_SECURITY_SERVER: h.sim.url,
    DHX_SEND_RETRY_SCHEDULE: '1,1',
    OUTBOUND_SCAN_CRON: '* * * * * *',
    LOG_LEVEL: 'silent',
  });
  const app = await makeApp({ config, log, queuePrefix: h.prefix, role });
  let stopped = false;
  track('adapter', app, () => stopped);
  return {
    app,
    async stop() {
      await app.stop();
      stopped = true;
    },
  };
}

test('dhx serve --role all sends a queued document through the address book it refreshed at start', async () => {
  const a = await serve('all');
  try {
    const id = await h.queueDocument(KOV);
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row).toMatchObject({ state: 'sent', attempts: 1 });
    expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  } finally {
    await a.stop();
  }
});

test('a worker stopped during backoff leaves the row retrying; the next worker sends it at its time', async () => {
  const first = await serve('worker');
  h.sim.setFault(KOV, { kind: 'down' }, { times: 1 });
  const id = await h.queueDocument(KOV);
  const retrying = await h.waitFor(id, ['retrying', 'sent', 'failed']);
  expect(retrying.state).toBe('retrying');
  await first.stop();
  await new Promise((r) => setTimeout(r, 1200));
  expect((await h.row(id)).state).toBe('retrying');
  const second = await serve('worker');
  try {
    const row = await h.waitFor(id, ['sent', 'failed']);
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
  } finally {
    await second.stop();
  }
});
