import { Writable } from 'node:stream';
import { attemptIntake } from '../../src/intake/pipeline';
import { makeLogger } from '../../src/log/logger';
import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import { intakeDepsOf } from '../intake/deps';
import { KOVS, kovCapsule } from '../intake/kov';
import { insertInbound } from '../intake/seed';
import { KOV, startSendHarness, type SendHarness } from '../outbound/harness';
import { runCli } from '../../src/cli';
import type { CliContext } from '../../src/cli/context';
import { dhx, dhxProcess } from './run';

/**
 * `dhx replay` for both directions and `dhx audit list`, as an operator runs them (no terminal here: the
 * in-process context has none, as a script's has none): a failed inbound capsule and a failed outgoing
 * document, --dry-run, the refusal to change many without --yes, the audit rows.
 */

let h: SendHarness;
let env: NodeJS.ProcessEnv;
const log = makeLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  h = await startSendHarness({ DHX_SEND_RETRY_SCHEDULE: '1' });
  env = { DATABASE_URL: h.db.url, DATA_DIR: h.dataDir, DHX_QUEUE_PREFIX: h.prefix, LOG_LEVEL: 'silent', DHX_ACTOR: 'test-operaator' };
  await h.startRuntime();
});
afterAll(() => h.close());
afterEach(() => h.sim.setFault(KOV, undefined));

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown>;
}
const audit = async (args: string[] = []): Promise<AuditRow[]> => {
  const r = await dhx(['audit', 'list', '--json', ...args], env);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as AuditRow[];
};
const inboundState = async (id: string): Promise<string> =>
  (await h.db.pool.query<{ state: string }>('SELECT state FROM inbound_capsules WHERE id = $1', [id])).rows[0]!.state;

/** A capsule that failed intake (CAPSULE_INVALID), and a document the receiver refused (failed). */
async function oneFailedEach(): Promise<{ inbound: string; outbound: string }> {
  const deps = await intakeDepsOf(h.config, h.db.pool, h.store, log);
  const inbound = await insertInbound(h.db.pool, Buffer.from('<DecContainer xmlns="urn:wrong"/>'), KOVS[1]!.code);
  expect(await attemptIntake(deps, inbound, log)).toMatchObject({ state: 'failed' });
  h.sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.InvalidAddressee });
  const outbound = await h.queueDocument(KOV);
  await h.waitFor(outbound, ['failed']);
  h.sim.setFault(KOV, undefined);
  return { inbound, outbound };
}

test('--all-failed without a terminal and without --yes refuses (exit 2) and changes nothing; --dry-run lists both directions and changes nothing', async () => {
  const { inbound, outbound } = await oneFailedEach();
  const before = await audit();

  const refused = await dhx(['replay', '--all-failed'], env);
  expect(refused.code).toBe(2);
  expect(refused.err).toMatch(/documents would change; without a terminal give --yes/);

  const dry = await dhx(['replay', '--all-failed', '--dry-run', '--json'], env);
  expect(dry.code).toBe(0);
  const plan = JSON.parse(dry.out) as Array<{ id: string; direction: string; from: string; to: string }>;
  expect(plan).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ id: inbound, direction: 'inbound', from: 'failed', to: 'received', failureCode: 'CAPSULE_INVALID' }),
      expect.objectContaining({ id: outbound, direction: 'outbound', from: 'failed', to: 'queued', failureCode: 'DHX_INVALID_ADDRESSEE' }),
    ]),
  );
  const dryOut = await dhx(['replay', '--all-failed', '--direction', 'out', '--dry-run'], env);
  expect(dryOut.out).toMatch(/dry run: 1 document\(s\) would be replayed; nothing changed/);
  expect(dryOut.out).not.toContain(inbound);

  expect(await inboundState(inbound)).toBe('failed');
  expect((await h.row(outbound)).state).toBe('failed');
  expect(await audit()).toEqual(before);

  // Tidy for the next test: both replayed.
  expect((await dhx(['replay', '--all-failed', '--yes'], env)).code).toBe(0);
  await h.waitFor(outbound, ['sent']);
});

test('one failed inbound capsule and one failed outgoing document replayed by id: state before and after in the audit log, the document sent again', async () => {
  const { inbound, outbound } = await oneFailedEach();
  // One explicit id goes on without --yes, also without a terminal.
  const rIn = await dhx(['replay', inbound, '--json'], env);
  expect(rIn.code).toBe(0);
  expect(JSON.parse(rIn.out)).toEqual([{ id: inbound, direction: 'inbound', from: 'failed', state: 'received', enqueued: true }]);
  expect(await inboundState(inbound)).toBe('received');

  const rOut = await dhx(['replay', outbound, '--actor', 'mari', '--json'], env);
  expect(rOut.code).toBe(0);
  expect(JSON.parse(rOut.out)).toEqual([{ id: outbound, direction: 'outbound', from: 'failed', state: 'queued', enqueued: true }]);
  const sent = await h.waitFor(outbound, ['sent']);
  expect(sent.attempts).toBe(1); // a new schedule

  const inRows = await audit(['--subject', inbound]);
  expect(inRows).toEqual([expect.objectContaining({ actor: 'test-operaator', action: 'replay', subjectType: 'inbound', subjectId: inbound, detail: expect.objectContaining({ from: 'failed', to: 'received' }) })]);
  const outRows = await audit(['--subject', outbound]);
  expect(outRows).toEqual([expect.objectContaining({ actor: 'mari', action: 'resend', subjectType: 'outbound', subjectId: outbound, detail: expect.objectContaining({ from: 'failed', to: 'queued' }) })]);

  // Not stopped any more: a second replay is refused (exit 1) and writes nothing.
  const again = await dhx(['replay', outbound], env);
  expect(again.code).toBe(1);
  expect(again.out).toMatch(/is sent, not failed or ambiguous/);
  expect(await audit(['--subject', outbound])).toHaveLength(1);
});

test('dhx outbound resend stays, over the same replay', async () => {
  h.sim.setFault(KOV, { kind: 'dhxFault', faultCode: DhxFaultCode.InvalidAddressee });
  const id = await h.queueDocument(KOV);
  await h.waitFor(id, ['failed']);
  h.sim.setFault(KOV, undefined);
  const r = await dhx(['outbound', 'resend', id, '--json'], env);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toEqual({ id, state: 'queued', from: 'failed' });
  await h.waitFor(id, ['sent']);
  // An inbound id is not an outgoing document.
  const deps = await intakeDepsOf(h.config, h.db.pool, h.store, log);
  const inbound = await insertInbound(h.db.pool, await kovCapsule({ title: 'Nõustamise taotlus' }), KOVS[0]!.code);
  await attemptIntake(deps, inbound, log);
  expect((await dhx(['outbound', 'resend', inbound], env)).out).toMatch(/no outgoing document/);
});

test('ambiguous outgoing documents are left out of --all-failed unless a code names them', async () => {
  h.sim.setFault(KOV, { kind: 'dropResponse' }, { times: 2 });
  const id = await h.queueDocument(KOV);
  const until = Date.now() + 15_000;
  // One read per look: state and attempts of the same moment (two reads could see `ambiguous` after the
  // first attempt and `attempts = 2` of the second one still in `sending`).
  for (let row = await h.row(id); row.state !== 'ambiguous' || row.attempts < 2; row = await h.row(id)) {
    if (Date.now() > until) throw new Error('not ambiguous');
    await new Promise((r) => setTimeout(r, 25));
  }
  const plain = JSON.parse((await dhx(['replay', '--all-failed', '--direction', 'out', '--dry-run', '--json'], env)).out) as Array<{ id: string }>;
  expect(plain.map((p) => p.id)).not.toContain(id);
  const coded = JSON.parse((await dhx(['replay', '--all-failed', '--direction', 'out', '--code', 'RESPONSE_LOST', '--dry-run', '--json'], env)).out) as Array<{ id: string }>;
  expect(coded.map((p) => p.id)).toEqual([id]);
  expect((await dhx(['replay', '--all-failed', '--code', 'RESPONSE_LOST', '--yes'], env)).code).toBe(0);
  expect((await h.waitFor(id, ['sent'])).state).toBe('sent');
});

test('audit list filters by actor, subject and time; --since in the future gives an empty array; bad usage exits 2', async () => {
  const all = await audit(['--limit', '1000']);
  expect(all.length).toBeGreaterThan(2);
  expect(new Set(all.map((r) => r.actor))).toEqual(new Set(['test-operaator', 'mari']));
  expect((await audit(['--actor', 'mari'])).every((r) => r.actor === 'mari')).toBe(true);
  expect(await audit(['--since', '2999-01-01'])).toEqual([]);
  expect((await audit(['--since', '1h'])).length).toBe(all.length);
  expect(await audit(['--limit', '1'])).toHaveLength(1);
  // Newest first.
  expect(all.map((r) => r.at)).toEqual([...all.map((r) => r.at)].sort().reverse());
  const text = await dhx(['audit', 'list', '--actor', 'mari'], env);
  expect(text.out).toMatch(/mari\tresend\toutbound [0-9a-f-]{36}\tfailed → queued/);
  for (const bad of [['--since', 'yesterday'], ['--limit', '0'], ['--limit', '99999'], ['--since', "1' OR 1=1"]]) {
    expect((await dhx(['audit', 'list', ...bad], env)).code).toBe(2);
  }
  expect((await dhx(['replay', '--all-failed', '--direction', 'sideways'], env)).code).toBe(2);
  expect((await dhx(['replay', '--all-failed', '--code', "x'; DROP TABLE audit_log; --"], env)).code).toBe(2);
  expect((await dhx(['replay', '../../etc/passwd'], env)).code).toBe(2);
  expect((await dhx(['replay', '00000000-0000-4000-8000-000000000000'], env)).code).toBe(1);
});

/** `dhx replay` at a terminal: the context answers the question as a person would. */
async function atTerminal(args: string[], answer: boolean): Promise<{ code: number; asked: string[]; progress: Array<[number, number]>; err: string }> {
  const asked: string[] = [];
  const progress: Array<[number, number]> = [];
  const err: string[] = [];
  const ctx: CliContext = {
    env,
    stdout: () => undefined,
    stderr: (t) => err.push(t),
    setExitCode: () => undefined,
    terminal: {
      confirm: async (q) => {
        asked.push(q);
        return answer;
      },
      progress: (done, total) => progress.push([done, total]),
    },
  };
  const code = await runCli(args, ctx);
  return { code, asked, progress, err: err.join('\n') };
}

test('at a terminal it shows what it will do and asks: no changes nothing (exit 1), yes replays them with a progress line', async () => {
  const { inbound, outbound } = await oneFailedEach();
  const no = await atTerminal(['replay', '--all-failed'], false);
  expect(no.code).toBe(1);
  expect(no.asked).toEqual(['Replay 2 document(s)?']);
  expect(no.err).toContain(`${inbound}  inbound  failed → received`);
  expect(no.err).toContain(`${outbound}  outbound  failed → queued`);
  expect(await inboundState(inbound)).toBe('failed');
  expect((await h.row(outbound)).state).toBe('failed');

  const yes = await atTerminal(['replay', '--all-failed'], true);
  expect(yes.code).toBe(0);
  expect(yes.progress).toEqual([[1, 2], [2, 2]]);
  expect(await inboundState(inbound)).toBe('received');
  await h.waitFor(outbound, ['sent']);
  // --yes does not ask.
  const again = await oneFailedEach();
  const given = await atTerminal(['replay', '--all-failed', '--yes'], false);
  expect(given).toMatchObject({ code: 0, asked: [] });
  expect(await inboundState(again.inbound)).toBe('received');
  await h.waitFor(again.outbound, ['sent']);
});

test('as a process from a script (stdin not a terminal): many changes refused with exit 2 unless --yes', async () => {
  const { inbound, outbound } = await oneFailedEach();
  const refused = await dhxProcess(['replay', '--all-failed'], env);
  expect(refused.code).toBe(2);
  expect(refused.err).toMatch(/2 documents would change; without a terminal give --yes to do it or --dry-run to see them first/);
  expect(await inboundState(inbound)).toBe('failed');
  const dry = await dhxProcess(['replay', '--all-failed', '--dry-run', '--json'], env);
  expect(dry.code).toBe(0);
  expect((JSON.parse(dry.out) as Array<{ id: string }>).map((p) => p.id).sort()).toEqual([inbound, outbound].sort());
  const done = await dhxProcess(['replay', '--all-failed', '--yes', '--json'], env);
  expect(done.code).toBe(0);
  expect(done.err).toBe(''); // no progress line without a terminal
  await h.waitFor(outbound, ['sent']);
});
