import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { makeApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { makeLogger } from '../../src/log/logger';
import type { XRoadSim } from '../../src/sim/server';
import { dhx } from '../cli/run';
import { createTestDatabase } from '../helpers/db';
import { makeTestPersonalCode } from '../helpers/personal-codes';
import { cleanupPrefix, randomPrefix, testRedis, TEST_REDIS_URL } from '../helpers/redis';
import { startSim } from '../sim/helpers';
import { startIndependentAdit } from './independent-fake';

/**
 * Sending to a person inside a running `dhx serve` (docs/adit.md, "Sending to a person"): a parent's letter
 * arrives through ADIT and becomes a case (the daemon's ADIT poller and intake); SKA answers it with
 * `dhx opinion send … --via adit --to CODE` and with `POST /api/opinions` (`via=adit`); the daemon's send worker
 * sends each (getUserInfo, saveDocument, sendDocument), and the daemon's ADIT follow-up records `opened_at` once the
 * parent has opened it, which `dhx show` shows. The same scenario against the project's fake ADIT and against
 * the independent one written from the WSDLs (test/adit/independent-fake.ts), both behind the X-Road simulator:
 * the same results. Personal codes are fictional.
 */

const PARENT = makeTestPersonalCode(431, '830303', 4);
const ADMIN_TOKEN = 'adit-send-admin-token-0123456789';
const PDF = Buffer.from('%PDF-1.4\n% SKA vastus lapsevanemale\n%%EOF\n');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const silent = () => makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** One ADIT behind the simulator, as the scenario needs it, whichever fake plays it. */
interface Adit {
  /** A letter from the parent, waiting in ADIT; its ADIT id. */
  incoming(title: string, file: { name: string; content: Buffer }): string;
  joined(code: string): void;
  /** What ADIT holds as sent by us: recipient (bare code), title, files. */
  sent(): Array<{ documentId: string; to: string; title: string; files: Array<{ name: string; sha256: string }> }>;
  open(documentId: string): void;
}

interface Result {
  opinions: Array<{ how: string; shown: Record<string, unknown>; human: string[]; openedHuman: boolean }>;
  sent: Array<{ to: string; title: string; files: Array<{ name: string; sha256: string }> }>;
  /** The ADIT send side's lines on /metrics. */
  metrics: string[];
}

async function scenario(sim: XRoadSim, adit: Adit): Promise<Result> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-adit-serve-send-'));
  const prefix = randomPrefix();
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    DHX_QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    XROAD_SECURITY_SERVER: sim.url,
    ADIT_SERVICE: '{XROAD_INSTANCE}/GOV/70006317/adit',
    ADIT_POLL_SECONDS: '0.3',
    DHX_SEND_TIMEOUT: '2',
    DHX_ADDRESSBOOK_REFRESH: '0',
    ADMIN_TOKEN,
    LOG_LEVEL: 'error',
  };
  const app = await makeApp({ config: loadConfig(env), log: silent(), queuePrefix: prefix, role: 'all' });
  try {
    const port = await app.start(0, '127.0.0.1');
    adit.joined(PARENT);
    const letterId = adit.incoming('Palun abi: minu laps viibib Soomes ja ei naase (piiriülene juhtum)', { name: 'kiri.txt', content: Buffer.from('Palun abi.', 'utf8') });
    // The daemon's ADIT poller fetches it; intake files it into a case.
    const caseNumber = await until('the letter filed into a case', async () => {
      const r = await db.pool.query<{ case_number: string | null; state: string }>(
        `SELECT c.case_number, i.state FROM inbound_capsules i LEFT JOIN cases c ON c.id = i.case_id WHERE i.adit_document_id = $1`,
        [letterId],
      );
      return (r.rows[0]?.state === 'done' && r.rows[0].case_number) || undefined;
    });
    const pdfPath = path.join(dataDir, 'vastus.pdf');
    fs.writeFileSync(pdfPath, PDF);

    // Through the CLI: stored and queued; the daemon's send worker sends it.
    const cli = await dhx(['opinion', 'send', '--case', caseNumber, '--verdict', 'toetav', '--file', pdfPath, '--via', 'adit', '--to', PARENT, '--json'], env);
    expect(cli.code).toBe(0);
    expect(cli.out).not.toContain(PARENT);
    const byCli = (JSON.parse(cli.out) as { id: string }).id;
    // Through the API.
    const form = new FormData();
    form.set('case', caseNumber);
    form.set('verdict', 'mitte-toetav');
    form.set('via', 'adit');
    form.set('to', `EE${PARENT}`);
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'vastus.pdf');
    const api = await fetch(`http://127.0.0.1:${port}/api/opinions`, { method: 'POST', body: form, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(api.status).toBe(201);
    const byApi = ((await api.json()) as { id: string }).id;

    const show = async (id: string): Promise<Record<string, unknown>> => {
      const r = await dhx(['show', id, '--json'], env);
      expect(r.code).toBe(0);
      expect(r.out).not.toContain(PARENT);
      return JSON.parse(r.out) as Record<string, unknown>;
    };
    const ids = [byCli, byApi];
    const sentViews = await until('both sent through ADIT by the daemon', async () => {
      const v = await Promise.all(ids.map(show));
      return v.every((x) => x.state === 'sent' && x.aditDocumentId) && v;
    });
    for (const v of sentViews) expect(v).toMatchObject({ via: 'adit', openedAt: null, route: 'adit' });
    const sent = adit.sent();
    expect(sent.map((s) => s.documentId).sort()).toEqual(sentViews.map((v) => v.aditDocumentId).sort());

    // The parent opens both; the daemon's follow-up records opened_at.
    for (const v of sentViews) adit.open(String(v.aditDocumentId));
    const openedViews = await until('opened_at recorded by the daemon', async () => {
      const v = await Promise.all(ids.map(show));
      return v.every((x) => typeof x.openedAt === 'string') && v;
    });
    const opinions = [];
    for (const [i, id] of ids.entries()) {
      const human = await dhx(['show', id], env);
      expect(human.code).toBe(0);
      expect(human.out).not.toContain(PARENT);
      const v = openedViews[i]!;
      expect(human.out).toContain(`openedAt       ${String(v.openedAt)}`);
      opinions.push({
        how: i === 0 ? 'cli' : 'api',
        shown: { state: v.state, via: v.via, route: v.route, recipientPerson: v.recipientPerson, verdict: v.verdict, opened: typeof v.openedAt === 'string', attempts: v.attempts },
        human: human.out.split('\n').filter((l) => /^(via|state|recipientPerson) /.test(l)),
        openedHuman: /^openedAt +\d{4}-/m.test(human.out),
      });
    }
    const metrics = (await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text())
      .split('\n')
      // `waiting` counts how often the follow-up asked before the opening: timing, not a result.
      .filter((l) => /^dhx_adit_send(_status)?_total\{/.test(l) && !l.includes('outcome="waiting"'));
    return {
      metrics,
      opinions,
      sent: sent.map((s) => ({ to: s.to, title: s.title, files: s.files })).sort((a, b) => a.title.localeCompare(b.title)),
    };
  } finally {
    await app.stop();
    const r = testRedis();
    await cleanupPrefix(r, prefix);
    await r.quit();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

test('an opinion to a parent through the CLI and the API, inside dhx serve: sent by the daemon, opened_at recorded and shown — the same against the project\'s fake ADIT and the independent one', async () => {
  const projectSim = await startSim();
  const independentSim = await startSim();
  const independent = await startIndependentAdit();
  try {
    const project = await projectSim.addAdit();
    const a = await scenario(projectSim, {
      incoming: (title, f) => project.add({ title, creatorCode: `EE${PARENT}`, creatorName: 'Mari Maasikas', files: [{ name: f.name, contentType: 'text/plain', data: f.content }] }),
      joined: (code) => project.join(code),
      sent: () =>
        project.saved().flatMap((s) =>
          s.sentTo.map((t) => ({ documentId: s.id, to: t.code.replace(/^EE/i, ''), title: s.document.title, files: s.document.files.map((f) => ({ name: f.name, sha256: sha256(f.data) })) })),
        ),
      open: (id) => project.open(id, PARENT),
    });
    independentSim.addAdapter({ memberCode: '70006317', name: 'ADIT (independent fake)', subsystems: ['adit'], url: independent.url });
    const b = await scenario(independentSim, {
      incoming: (title, f) => independent.putIncoming({ title, senderCode: `EE${PARENT}`, files: [{ name: f.name, mime: 'text/plain', content: f.content }] }),
      joined: (code) => void independent.users.set(code, { joined: true }),
      sent: () => independent.sent().map((s) => ({ documentId: s.documentId, to: s.to, title: s.title, files: s.files.map((f) => ({ name: f.name, sha256: sha256(f.content) })) })),
      open: (id) => independent.open(id),
    });
    for (const r of [a, b]) {
      expect(r.sent).toHaveLength(2);
      for (const s of r.sent) expect(s).toMatchObject({ to: PARENT, title: expect.stringMatching(/^Arvamus: /), files: [{ name: 'vastus.pdf', sha256: sha256(PDF) }] });
      for (const o of r.opinions) {
        expect(o.shown).toMatchObject({ state: 'sent', via: 'adit', route: 'adit', opened: true, attempts: 1 });
        expect(String(o.shown.recipientPerson)).toMatch(/^4\*{9}\d$/);
        expect(o.openedHuman).toBe(true);
      }
    }
    expect(a.metrics).toEqual(
      expect.arrayContaining(['dhx_adit_send_total{outcome="sent"} 2', 'dhx_adit_send_total{outcome="not_joined"} 0', 'dhx_adit_send_status_total{outcome="opened"} 2']),
    );
    expect(b).toEqual(a);
    // Every ADIT request went through the simulator.
    for (const sim of [projectSim, independentSim]) {
      const ops = new Set(sim.calls.filter((c) => c.service === 'ee-dev/GOV/70006317/adit').map((c) => c.operation));
      expect([...ops].sort()).toEqual(['getDocument', 'getDocumentList', 'getSendStatus', 'getUserInfo', 'markDocumentViewed', 'saveDocument', 'sendDocument']);
    }
  } finally {
    await projectSim.stop();
    await independentSim.stop();
    await independent.close();
  }
}, 90_000);
