import { Writable } from 'node:stream';
import { makeApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { makeLogger } from '../../src/log/logger';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';
import { track } from '../helpers/resources';
import { heldBy, KOV, startSendHarness, type SendHarness } from '../outbound/harness';

/** The dashboard's outbound actions over HTTP: an ambiguous send past its schedule, resent or marked delivered. */

const TOKEN = 'dashboard-outbound-token-0123';
const bearer = { authorization: `Bearer ${TOKEN}` };
let h: SendHarness;
let app: App;
let url: string;
let stopped = false;

beforeAll(async () => {
  h = await startSendHarness({ DHX_SEND_RETRY_SCHEDULE: '1' });
  await h.startRuntime();
  const config = loadConfig({ DATABASE_URL: h.db.url, DATA_DIR: h.dataDir, XROAD_SECURITY_SERVER: h.sim.url, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'silent', DHX_ADDRESSBOOK_REFRESH: '0' });
  app = await makeApp({ config, log: makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) }), queuePrefix: h.prefix, role: 'http' });
  track('adapter', app, () => stopped);
  url = `http://127.0.0.1:${await app.start(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await app.stop();
  stopped = true;
  await h.close();
});

async function ambiguousPastSchedule(): Promise<string> {
  h.sim.setFault(KOV, { kind: 'dropResponse' }, { times: 2 });
  const id = await h.queueDocument(KOV);
  const until = Date.now() + 15_000;
  for (;;) {
    const row = await h.row(id);
    if (row.state === 'ambiguous' && row.attempts === 2) return id;
    if (Date.now() > until) throw new Error(`document is ${row.state} after ${row.attempts} attempts`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const post = (path: string, fields: Record<string, string> = {}): Promise<Response> =>
  fetch(`${url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });

async function audit(id: string): Promise<Array<{ actor: string; action: string; detail: Record<string, unknown> }>> {
  return (await h.db.pool.query<{ actor: string; action: string; detail: Record<string, unknown> }>('SELECT actor, action, detail FROM audit_log WHERE subject_id = $1 ORDER BY id', [id])).rows;
}

test('an ambiguous document is on Now with Resend and Mark delivered; marking it delivered is audited with the note masked', async () => {
  const id = await ambiguousPastSchedule();
  const now = await (await fetch(`${url}/admin`, { headers: bearer })).text();
  const row = new RegExp(`<tr data-id="${id}">[\\s\\S]*?</tr>`).exec(now)![0];
  expect(row).toContain('ambiguous');
  expect(row).toContain(`action="/admin/outbound/${id}/replay"`);
  expect(row).toContain(`action="/admin/outbound/${id}/delivered"`);
  const code = makeTestPersonalCode(58);
  const r = await post(`/admin/outbound/${id}/delivered`, { note: `KOV kinnitas telefonis, lapse isikukood ${code}` });
  expect(r.status).toBe(303);
  expect((await h.row(id)).state).toBe('sent');
  const rows = await audit(id);
  expect(rows).toEqual([{ actor: 'dashboard:bearer', action: 'mark-delivered', detail: expect.objectContaining({ from: 'ambiguous' }) }]);
  expect(JSON.stringify(rows)).not.toContain(code);
  expect(JSON.stringify(rows)).toContain(maskedForm(code));
  // Delivered already: a second confirmation and a resend are refused and change nothing.
  expect((await post(`/admin/outbound/${id}/delivered`)).status).toBe(409);
  expect((await post(`/admin/outbound/${id}/replay`)).status).toBe(409);
  expect(await audit(id)).toHaveLength(1);
  const detail = await (await fetch(`${url}/admin/outbound/${id}`, { headers: bearer })).text();
  expect(detail).toMatch(/ambiguous[\s\S]*sent/);
  // The history says who confirmed it, with the note masked on the page as in the record.
  expect(detail).toContain('actor: dashboard:bearer');
  expect(detail).toContain(maskedForm(code));
  expect(detail).not.toContain(code);
});

test('resending an ambiguous document from the dashboard sends it again with the same consignmentId; the KOV holds it once', async () => {
  const id = await ambiguousPastSchedule();
  const r = await post(`/admin/outbound/${id}/replay`);
  expect(r.status).toBe(303);
  expect(r.headers.get('location')).toBe(`/admin/outbound/${id}?done=replayed`);
  const row = await h.waitFor(id, ['sent', 'failed']);
  expect(row.state).toBe('sent');
  expect(heldBy(h.sim, KOV, row.consignment_id)).toBe(1);
  expect(await audit(id)).toEqual([{ actor: 'dashboard:bearer', action: 'resend', detail: expect.objectContaining({ from: 'ambiguous' }) }]);
});
