import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { refreshAddressBook } from '../../src/addressbook/addressbook';
import { makeBlobStore } from '../../src/blob/store';
import { enqueueSend } from '../../src/outbound/queue';
import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import type { XRoadSim } from '../../src/sim/server';
import { startIntakeAdapter, type IntakeHarness } from '../intake/harness';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertTestDocument } from '../outbound/harness';
import { SKA, startSim } from '../sim/helpers';

/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core): log in through the form,
 * resend a failed outgoing document and see it delivered, classify a capsule from triage, find the report's
 * chart, and see that a page without the session and an action without the form token are refused.
 * Without chromium the test is skipped with a notice, except in CI (CI=true), where that is a failure.
 * DHX_SCREENSHOTS=1 saves docs/img/dashboard-now.png and docs/img/dashboard-report.png.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const TOKEN = 'browser-test-admin-token-0123';
const KOV = '75000001';
const SHOTS = process.env.DHX_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs/img') : undefined;

if (!HAVE_CHROMIUM && process.env.CI !== 'true') {
  console.warn(`dashboard browser test SKIPPED: no chromium at ${CHROMIUM} (apt-get install chromium; CI fails without it)`);
}

const run = HAVE_CHROMIUM || process.env.CI === 'true' ? test : test.skip;

let sim: XRoadSim | undefined;
let h: IntakeHarness | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await sim?.stop();
});

async function until(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
  }
}

run('an operator logs in, resends a failed document, classifies from triage, reads the report; no session and no form token are refused', async () => {
  if (!HAVE_CHROMIUM) throw new Error(`CI=true and no chromium at ${CHROMIUM}: .ci/run installs it (apt-get install chromium)`);
  sim = await startSim();
  sim.addKov({ memberCode: KOV, name: 'Näidisvalla Vallavalitsus' });
  for (const k of KOVS) sim.addKov({ memberCode: k.code, name: k.name });
  h = await startIntakeAdapter({
    ADMIN_TOKEN: TOKEN,
    XROAD_SECURITY_SERVER: sim.url,
    DHX_SEND_RETRY_SCHEDULE: '1,1',
    DHX_SEND_TIMEOUT: '5',
    OUTBOUND_SCAN_CRON: '* * * * * *',
  });
  await refreshAddressBook(h.db.pool, { globalConf: `${sim.url}/verificationconf`, instance: 'ee-dev', client: { securityServer: sim.url, client: SKA, timeoutMs: 5000 } });

  // A few requests for the report, one capsule nobody can classify, and a document the KOV refuses once.
  const requests: Array<[number, string, 'AK' | 'Avalik']> = [
    [0, 'Taotlus: KLAT arvamus kinnise lasteasutuse teenuse kohta', 'AK'],
    [1, 'Nõustamise palve lastekaitsejuhtumi arutelu', 'Avalik'],
    [2, 'Mentorluse programmi taotlus', 'Avalik'],
    [3, 'Arvamuse taotlus: lapse vabaduse piiramine (KLAT)', 'AK'],
    [1, 'Juhtumikonsultatsiooni palve', 'Avalik'],
  ];
  for (const [k, title, access] of requests) {
    const r = await h.send(KOVS[k]!.code, await kovCapsule({ kov: KOVS[k], title, access }));
    await h.waitFor(r.receiptId!);
  }
  const triage = await h.send(KOVS[4]!.code, await kovCapsule({ kov: KOVS[4], title: 'Dokument', abstract: 'Edastame dokumendi.', access: 'Avalik' }));
  const triageId = triage.receiptId!;
  expect(await h.waitFor(triageId)).toBe('triage');
  sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.InvalidAddressee, faultString: 'adressaat ajutiselt kättesaamatu' }, { times: 1 });
  const docId = await insertTestDocument(h.db.pool, makeBlobStore(h.dataDir), KOV);
  await enqueueSend(h.app.sendQueue, docId);
  const failedBy = Date.now() + 20_000;
  for (;;) {
    const s = (await h.db.pool.query<{ state: string }>('SELECT state FROM outbound_documents WHERE id = $1', [docId])).rows[0]!.state;
    if (s === 'failed') break;
    if (Date.now() > failedBy || s === 'sent') throw new Error(`the document is ${s}, not failed`);
    await new Promise((r) => setTimeout(r, 100));
  }

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);

  // Without a session: 401, with the way to the login form.
  const bare = await page.goto(`${h.url}/admin`);
  expect(bare!.status()).toBe(401);
  await page.click('a[href="/admin/login"]');
  await page.fill('#name', 'Mari Maasikas');
  await page.fill('#token', TOKEN);
  await Promise.all([page.waitForURL(`${h.url}/admin`), page.click('button:has-text("Log in")')]);
  expect(await page.textContent('header')).toContain('Mari Maasikas');

  // The failed document and the capsule in triage are on Now.
  const docRow = page.locator(`#outbound ~ table tr[data-id="${docId}"]`);
  expect(await docRow.textContent()).toContain('failed');
  const triageRow = page.locator(`tr[data-id="${triageId}"]`);
  expect(await triageRow.count()).toBe(1);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'dashboard-now.png'), fullPage: true });

  // An action without the form token is refused, and changes nothing.
  // (the page's form with its hidden token field taken out, as a forged form would come).
  await triageRow.locator('input[name="csrf"]').evaluate((el) => el.remove());
  const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/classify')), triageRow.locator('button:has-text("Classify")').click()]);
  expect(refused.status()).toBe(403);
  expect(await page.textContent('main')).toMatch(/form token is missing or wrong/);
  expect(await h.waitFor(triageId, ['triage'])).toBe('triage');
  await page.goto(`${h.url}/admin`);

  // Resend: the KOV accepts this time, and the detail page shows it delivered.
  await Promise.all([page.waitForURL(`**/admin/outbound/${docId}?done=replayed`), docRow.locator('button:has-text("Resend")').click()]);
  await until(page, async () => (await page.locator('dl .state').first().textContent()) === 'sent', 'the document sent');
  expect(await page.textContent('dl')).toMatch(/Receipt/);

  // Classify from triage.
  await page.goto(`${h.url}/admin`);
  await triageRow.locator('select[name="category"]').selectOption('noustamine');
  await Promise.all([page.waitForURL(`**/admin/inbound/${triageId}?done=classified`), triageRow.locator('button:has-text("Classify")').click()]);
  await until(page, async () => (await page.locator('dl .state').first().textContent()) === 'done', 'the classified capsule done');
  expect(await page.textContent('dl')).toContain('noustamine');
  const audit = await h.db.pool.query<{ actor: string; action: string; subject_id: string }>(
    'SELECT actor, action, subject_id FROM audit_log WHERE subject_id = ANY($1) ORDER BY id',
    [[docId, triageId]],
  );
  expect(audit.rows).toEqual([
    { actor: 'dashboard:Mari Maasikas', action: 'resend', subject_id: docId },
    { actor: 'dashboard:Mari Maasikas', action: 'classify', subject_id: triageId },
  ]);

  // Queues: bull-board, served by the adapter; the browser fetches nothing from anywhere else.
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(h!.url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
  });
  await page.goto(`${h.url}/admin/queues`);
  await page.waitForSelector('text=intake');
  expect(elsewhere).toEqual([]);

  // The report and its chart.
  await page.goto(`${h.url}/admin`);
  await page.click('nav >> text=Report');
  expect(await page.locator('#chart-categories svg').count()).toBe(1);
  expect(await page.locator('#chart-categories svg rect').count()).toBeGreaterThan(1);
  expect(await page.textContent('table')).toContain('noustamine');
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'dashboard-report.png'), fullPage: true });

  // Log out: the same browser is a stranger again.
  await Promise.all([page.waitForURL('**/admin/login**'), page.click('button:has-text("Log out")')]);
  const after = await page.goto(`${h.url}/admin/report`);
  expect(after!.status()).toBe(401);
});
