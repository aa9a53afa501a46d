import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { makeApp, type App } from '../app';
import { configuredBlobStore } from '../blob/store';
import { readCapsule } from '../capsule/read';
import { answerOfCase, countCases, firstCaseOfCategory } from '../cases/repo';
import { loadConfig, type Config } from '../config';
import { migrate } from '../db/migrate';
import { createScratchDatabase, type ScratchDatabase } from '../db/scratch';
import { makePool, type Pool } from '../db/pool';
import { sendDocument, type SendOutcome } from '../xroad/dhx-client';
import { classifyByOperator } from '../intake/operator';
import { attachmentsOf, caseNumberOfInbound, inboundInStates, inboundOfDhlIds, inboundState, intakeSummary } from '../inbound/views';
import { removeQueueKeys } from '../jobs/queues';
import { createOpinion } from '../outbound/opinion';
import { makePdf } from '../sim/documents';
import { enqueueSend } from '../outbound/queue';
import { outboundCountsByState, outboundStatus } from '../outbound/views';
import { makeLogger } from '../log/logger';
import { startFakeDvk, type FakeDvk } from '../sim/dvk';
import { makeXRoadSim, type XRoadSim } from '../sim/server';
import { addressBookSource, refreshAddressBook } from '../addressbook/addressbook';
import type { XRoadClientId } from '../xroad/header';
import type { CliContext } from './context';
import { describeDbError } from './errors';
import { enqueue as enqueueForIntake } from './intake';

/**
 * The demo's whole loop (`npm run demo`, README "Quick start"): the X-Road simulator plays the security servers
 * and the KOVs' document systems; the adapter runs as `dhx serve` does (HTTP, intake and send workers)
 * in a temporary database and blob folder that are removed afterwards. KOVs send their requests over
 * X-Road, the adapter receipts them, files them into cases, and its business receipts and SKA's
 * opinion travel back to the KOVs, who check them as a receiver must. KOVs still on DVK put their requests into
 * the fake DVK server (src/sim/dvk.ts); the adapter's own DVK poller (DVK_URL set) fetches, stores, marks and
 * files them like the others (docs/dvk.md). With `adit`, the fake ADIT sits behind the simulator and the adapter
 * polls it (ADIT_SERVICE set): parents' letters and SKA's answers to them (src/cli/demo-adit.ts, docs/adit.md).
 */

export interface DemoRequest {
  label: string;
  sender: { code: string; name: string };
  file: string;
}

export interface LoopSteps {
  /** Called with the running loop after the requests are filed (e.g. to send an opinion). */
  afterIntake?: (loop: RunningLoop) => Promise<number>;
  /** Requests sent through the DVK interface: queued at the fake DVK server, fetched by the adapter's DVK poller. */
  dvk?: DemoRequest[];
  /** The fake ADIT behind the simulator (GOV/70006317/adit) and the adapter's ADIT poller and follow-up on (ADIT_SERVICE). */
  adit?: boolean;
}

export interface RunningLoop {
  ctx: CliContext;
  app: App;
  sim: XRoadSim;
  config: Config;
  pool: Pool;
  /** Inbound capsule ids by request label. */
  received: Map<string, string>;
  waitFor: <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number) => Promise<T | undefined>;
}

const SKA = { code: '70001975', name: 'Sotsiaalkindlustusamet' };
const TERMINAL = ['done', 'triage', 'failed'];

function kovClient(code: string): XRoadClientId {
  return { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: code, subsystemCode: 'DHX' };
}

/** The demo's queue keys go with its database. */
async function dropQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await removeQueueKeys(redis, prefix);
  } catch {
    // Redis down: nothing was queued either.
  } finally {
    redis.disconnect();
  }
}

function describe(o: SendOutcome): string {
  switch (o.kind) {
    case 'delivered':
      return o.receiptId ? `receipt ${o.receiptId}` : 'delivered (duplicate)';
    case 'rejected':
      return o.faultCode;
    case 'retry':
    case 'ambiguous':
      return `${o.kind}: ${o.message}`;
    default:
      return (o satisfies never, 'unknown');
  }
}

const pad = (s: string, n: number): string => (s.length >= n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

/** Runs the loop; returns how many results were unexpected. */
export async function demoLoop(ctx: CliContext, dir: string, requests: DemoRequest[], steps: LoopSteps = {}): Promise<number> {
  const base = loadConfig(ctx.env);
  const dbName = `dhx_demo_${randomBytes(5).toString('hex')}`;
  let scratch: ScratchDatabase;
  try {
    scratch = await createScratchDatabase(base.databaseUrl, dbName);
  } catch (err) {
    ctx.stdout(`   skipped: ${describeDbError(err, base.databaseUrl)}`);
    return 0;
  }
  let failures = 0;
  const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const sim = makeXRoadSim({ log });
  let app: App | undefined;
  let config: Config | undefined;
  let dvk: FakeDvk | undefined;
  const viaDvk = steps.dvk ?? [];
  try {
    const migratePool = makePool({ databaseUrl: scratch.url, max: 1 });
    await migrate(migratePool);
    await migratePool.end();
    const simUrl = await sim.start(0, '127.0.0.1');
    if (viaDvk.length) dvk = await startFakeDvk();
    if (steps.adit) await sim.addAdit();
    config = loadConfig({
      ...ctx.env,
      DATABASE_URL: scratch.url,
      DATA_DIR: path.join(dir, 'adapter-data'),
      DHX_QUEUE_PREFIX: dbName,
      XROAD_SECURITY_SERVER: simUrl,
      XROAD_MEMBER_CODE: SKA.code,
      DHX_ADDRESSBOOK_REFRESH: '0',
      DHX_SEND_RETRY_SCHEDULE: '1,2,5',
      LOG_LEVEL: 'silent',
      ...(dvk ? { DVK_URL: dvk.url, DVK_POLL_SECONDS: '0.3', DVK_TIMEOUT_SECONDS: '10' } : {}),
      ...(steps.adit ? { ADIT_SERVICE: `${sim.instance}/GOV/70006317/adit`, ADIT_POLL_SECONDS: '0.3' } : {}),
    });
    app = await makeApp({ config, log, role: 'all' });
    const port = await app.start(0, '127.0.0.1');
    sim.addAdapter({ memberCode: SKA.code, name: SKA.name, url: `http://127.0.0.1:${port}/dhx` });
    const kovs = new Map([...requests, ...viaDvk].map((r) => [r.sender.code, r.sender.name]));
    for (const [code, name] of kovs) sim.addKov({ memberCode: code, name });
    const book = await refreshAddressBook(app.pool, addressBookSource(config), log);
    ctx.stdout(`   X-Road simulator at ${simUrl}: SKA (this adapter) and ${kovs.size} KOV document systems`);
    ctx.stdout(`   address book from its global configuration: ${book.ok ? `${book.members} DHX members` : `FAILED (${book.error})`}`);
    if (!book.ok) failures++;

    const pool = app.pool;
    const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T | undefined> => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > until) {
          ctx.stdout(`   TIMED OUT waiting for ${what}`);
          failures++;
          return undefined;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    ctx.stdout('\n   KOVs send their requests to SKA over X-Road (sendDocument through the security server):');
    const received = new Map<string, string>();
    // A KOV's document system sending through its security server (the simulator).
    const sendAsKov = (r: DemoRequest, consignmentId: string): Promise<SendOutcome> =>
      sendDocument(
        { securityServer: simUrl, client: kovClient(r.sender.code), timeoutMs: 30_000 },
        {
          target: { service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: SKA.code, subsystemCode: 'DHX' } },
          consignmentId,
          capsule: fs.createReadStream(r.file),
          resend: false,
        },
      );
    const consignments = requests.map(() => randomUUID());
    for (const [n, r] of requests.entries()) {
      const first = await sendAsKov(r, consignments[n]!);
      ctx.stdout(`   ${pad(r.sender.name, 26)} ${pad(r.label, 44)} → ${describe(first)}`);
      if (first.kind !== 'delivered' || !first.receiptId) failures++;
      else received.set(r.label, first.receiptId);
    }
    // A first attempt whose answer was lost is sent again with the same consignment id.
    const again = await sendAsKov(requests[0]!, consignments[0]!);
    const dupOk = again.kind === 'rejected' && again.faultCode === 'DHX.Duplicate';
    if (!dupOk) failures++;
    ctx.stdout(`   the same consignment sent again → ${describe(again)}${dupOk ? ' (stored once)' : ' (UNEXPECTED)'}`);

    ctx.stdout('\n   Intake: each capsule parsed, classified, its files extracted, filed into a case:');
    const ids = [...received.values()];
    const settled = await waitFor('intake', async () => {
      return (await inboundInStates(pool, ids, TERMINAL)).length === ids.length ? true : undefined;
    });
    if (settled) {
      for (const [label, id] of received) {
        const row = (await intakeSummary(pool, id))!;
        const category = row.category ? `${row.category}${row.sub_kind ? `/${row.sub_kind}` : ''}` : '—';
        const where = row.case_number
          ? `case ${row.case_number}${row.due_date ? `, due ${row.due_date}` : ''}, ${row.files} file(s)`
          : 'waits for a person (no confident rule)';
        ctx.stdout(`   ${pad(label, 44)} ${pad(row.state, 7)} ${pad(category, 26)} ${where}`);
        if (row.state === 'failed') failures++;
        await showContainers(ctx, pool, id);
      }
      for (const id of await inboundInStates(pool, ids, ['triage'])) {
        const decided = await classifyByOperator(pool, id, 'muu', undefined, 'demo-operator');
        const queued = decided.kind === 'ok' && (await enqueueForIntake(config, [id]));
        ctx.stdout(
          `   an operator files the capsule in triage: dhx classify ${id} muu → ${decided.kind === 'ok' ? decided.state : decided.reason}` +
            `${queued ? ', queued again' : ''}`,
        );
        const done = await waitFor('the classified capsule', async () => {
          const s = await inboundState(pool, id);
          return s === 'done' ? s : undefined;
        });
        if (!done) failures++;
        else {
          ctx.stdout(`   … and intake finishes it: done, case ${(await caseNumberOfInbound(pool, id)) ?? '(none)'}`);
        }
      }
      ctx.stdout(`   ${ids.length} requests filed into ${await countCases(pool)} cases`);
    }

    ctx.stdout('\n   Business receipts (teade dokumendi kättesaamise kohta) go back to the KOVs over X-Road:');
    const receipts = await waitFor('the business receipts to be sent', async () => {
      const rows = await outboundCountsByState(pool, 'receipt');
      const open = rows.filter((x) => !['sent', 'failed'].includes(x.state)).reduce((a, x) => a + x.n, 0);
      return rows.length > 0 && open === 0 ? rows : undefined;
    });
    if (receipts) {
      const sent = receipts.find((x) => x.state === 'sent')?.n ?? 0;
      const failed = receipts.find((x) => x.state === 'failed')?.n ?? 0;
      if (failed) failures += failed;
      let valid = 0;
      let held = 0;
      for (const code of kovs.keys()) {
        for (const doc of sim.kov(code)?.accepted ?? []) {
          held++;
          if ((await readCapsule(doc.path, { decode: false })).valid && doc.capsule.initiator?.recordOriginalIdentifier) valid++;
        }
      }
      ctx.stdout(`   ${sent} receipt(s) sent${failed ? `, ${failed} FAILED` : ''}; the KOVs hold ${held} document(s), ${valid} valid Capsule 2.1 replies naming their request`);
      if (valid !== held) failures++;
    }

    // Awaited first, then added: `failures += await …` would read `failures` before the step and lose what waitFor counts meanwhile.
    const loop = { ctx, app, sim, config, pool, received, waitFor };
    const opinionFailures = await opinionStep(loop, requests);
    failures += opinionFailures;
    if (dvk) {
      const dvkFailures = await dvkStep(loop, dvk, viaDvk);
      failures += dvkFailures;
    }
    if (steps.afterIntake) {
      const more = await steps.afterIntake(loop);
      failures += more;
    }
  } catch (err) {
    failures++;
    ctx.stdout(`   failed: ${(err as Error).message}`);
  } finally {
    await app?.stop().catch(() => undefined);
    await sim.stop().catch(() => undefined);
    await dvk?.close().catch(() => undefined);
    if (config) await dropQueues(config.redisUrl, dbName);
    await scratch.drop();
  }
  return failures;
}

/** What an opinion is created with in the demo: the running daemon's store and send queue, SKA as the sender. */
export function opinionDeps({ app, config, pool }: RunningLoop): Parameters<typeof createOpinion>[0] {
  return {
    pool,
    store: configuredBlobStore(config, pool),
    org: { code: config.xroad.memberCode, name: config.intake.orgName, unit: config.intake.orgUnit },
    log: makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    enqueue: (id) => enqueueSend(app.sendQueue, id),
  };
}

/** SKA answers the first KLAT case with an opinion; it travels to the KOV, which checks it as a receiver does. */
async function opinionStep(loop: RunningLoop, requests: DemoRequest[]): Promise<number> {
  const { ctx, sim, pool, waitFor } = loop;
  let failures = 0;
  ctx.stdout("\n   SKA's opinion on the KLAT case (dhx opinion send --case … --verdict toetav --file arvamus.pdf):");
  const kase = await firstCaseOfCategory(pool, 'klat_arvamus');
  if (!kase) {
    ctx.stdout('   NO KLAT case to answer');
    return 1;
  }
  const created = await createOpinion(
    opinionDeps(loop),
    {
      caseRef: kase.case_number,
      verdict: 'toetav',
      files: [{ name: 'arvamus.pdf', content: makePdf(['Sotsiaalkindlustusameti arvamus: kinnise lasteasutuse teenus on lapse huvides põhjendatud.']) }],
      note: 'Kinnise lasteasutuse teenus on lapse huvides põhjendatud.',
    },
  );
  ctx.stdout(`   opinion ${created.id} on case ${kase.case_number} (due ${kase.due_date}) to ${kase.kov_name}: queued`);
  const sent = await waitFor('the opinion to be delivered', async () => {
    const row = await outboundStatus(pool, created.id);
    return row && ['sent', 'failed'].includes(row.state) ? row : undefined;
  });
  if (!sent || sent.state !== 'sent') {
    ctx.stdout(`   opinion NOT delivered (${sent?.state ?? 'still on its way'})`);
    return failures + 1;
  }
  const held = sim.kov(kase.kov_code)?.accepted.find((d) => d.consignmentId === created.consignmentId);
  const check = held ? await readCapsule(held.path, { decode: false }) : undefined;
  const request = requests.find((r) => r.sender.code === kase.kov_code);
  const initiator = held?.capsule.initiator?.recordOriginalIdentifier;
  const ok = Boolean(check?.valid && held?.capsule.recordMetadata.recordType === 'Arvamus' && initiator);
  if (!ok || !request) failures++;
  ctx.stdout(
    `   delivered: receipt ${sent.receipt_id}; ${kase.kov_name} holds a ${check?.valid ? 'valid' : 'INVALID'} Capsule 2.1 ` +
      `"${held?.capsule.recordMetadata.recordType ?? '?'}" in reply to its no. ${initiator ?? '(none)'}`,
  );
  const answered = await answerOfCase(pool, kase.id);
  ctx.stdout(`   case ${kase.case_number}: ${answered?.answered ? `answered ${answered.onTime ? 'on time' : 'LATE'}` : 'NOT marked answered'}`);
  if (!answered?.answered) failures++;
  return failures;
}

/**
 * KOVs still on DVK: their requests are queued at the fake DVK server; the adapter's DVK poller (every
 * DVK_POLL_SECONDS) fetches them with receiveDocuments, stores them (transport dvk, dhl_id), marks them with
 * markDocumentsReceived and queues them for intake, which files them and sends their business receipts.
 */
async function dvkStep(loop: RunningLoop, dvk: FakeDvk, requests: DemoRequest[]): Promise<number> {
  const { ctx, sim, pool, config, waitFor } = loop;
  let failures = 0;
  ctx.stdout("\n   Through the DVK interface: KOVs still on DVK; the adapter's DVK poller (DVK_URL) fetches their documents:");
  const queued = requests.map((r) => ({ r, dhlId: dvk.enqueue(fs.readFileSync(r.file)) }));
  const dhlIds = queued.map((q) => q.dhlId);
  ctx.stdout(`   fake DVK server at ${dvk.url}: ${queued.length} document(s) queued, dhl_id ${dhlIds.join(', ')}`);
  const marked = await waitFor('the DVK poller to fetch and mark the documents', async () => {
    const m = dvk.marked().filter((x) => dhlIds.includes(x.dhlId));
    return m.length >= dhlIds.length ? m : undefined;
  });
  if (!marked) return failures + 1;
  const rows = await inboundOfDhlIds(pool, dhlIds);
  const ids = rows.map((x) => x.id);
  const settled = await waitFor('intake of the DVK documents', async () =>
    ids.length === dhlIds.length && (await inboundInStates(pool, ids, TERMINAL)).length === ids.length ? true : undefined,
  );
  if (!settled) return failures + 1;
  const receipted: DemoRequest[] = [];
  for (const { r, dhlId } of queued) {
    const row = rows.find((x) => x.dhl_id === dhlId);
    const mark = marked.find((x) => x.dhlId === dhlId);
    const rejected = mark?.statusId !== undefined;
    ctx.stdout(
      `   ${pad(r.sender.name, 26)} ${pad(r.label, 44)} → fetched through DVK (dhl_id ${dhlId}), ` +
        `${row ? 'stored' : 'NOT stored'}, ${mark ? (rejected ? `marked REJECTED (status ${mark.statusId})` : 'marked received') : 'NOT marked'}`,
    );
    if (!row || !mark || rejected) {
      failures++;
      continue;
    }
    const sum = (await intakeSummary(pool, row.id))!;
    const category = sum.category ? `${sum.category}${sum.sub_kind ? `/${sum.sub_kind}` : ''}` : '—';
    const where = sum.case_number ? `case ${sum.case_number}${sum.due_date ? `, due ${sum.due_date}` : ''}, ${sum.files} file(s)` : 'waits for a person';
    ctx.stdout(`   ${pad(`  dhl_id ${dhlId}: intake`, 44)} ${pad(sum.state, 7)} ${pad(category, 26)} ${where}`);
    if (sum.state !== 'done' || !sum.case_number) failures++;
    if (sum.category && config.intake.receiptCategories.includes(sum.category)) receipted.push(r);
  }
  // Their business receipts (receipt categories) travel back as the others' do; the KOV checks each names its request.
  const wanted = await Promise.all(receipted.map(async (r) => ({ r, no: (await readCapsule(r.file, { decode: false })).capsule?.recordMetadata.recordOriginalIdentifier })));
  const answered = await waitFor('the business receipts of the DVK documents', async () => {
    const got = wanted.filter(({ r, no }) => sim.kov(r.sender.code)?.accepted.some((d) => no && d.capsule.initiator?.recordOriginalIdentifier === no));
    return got.length === wanted.length ? got.length : undefined;
  });
  let valid = 0;
  for (const { r, no } of wanted) {
    const doc = sim.kov(r.sender.code)?.accepted.find((d) => no && d.capsule.initiator?.recordOriginalIdentifier === no);
    if (doc && (await readCapsule(doc.path, { decode: false })).valid) valid++;
  }
  if (valid !== wanted.length) failures++;
  ctx.stdout(
    `   ${answered ?? 0}/${wanted.length} business receipt(s) delivered to the DVK senders, ${valid} valid Capsule 2.1 naming their request; ` +
      `DVK queue afterwards: ${dvk.queued().length} document(s)`,
  );
  if (answered === undefined || wanted.length === 0 || dvk.queued().length) failures++;
  return failures;
}

/** A capsule's signed containers as the demo prints them: what was unpacked, the signatures' digests, the text read. */
async function showContainers(ctx: CliContext, pool: Pool, id: string): Promise<void> {
  const files = await attachmentsOf(pool, id);
  for (const c of files.filter((f) => f.signatures)) {
    const inside = files.filter((f) => f.from_container !== null && f.from_container === c.file_name);
    const sigs = (c.signatures ?? []).map((g) => `digest ${g.digest}`).join(', ');
    ctx.stdout(`     signed container: ${c.signatures!.length} signature(s), ${sigs}; unpacked beside it: ${inside.map((f) => `${f.file_name} (${f.text_chars} characters of text)`).join(', ')}`);
  }
}
