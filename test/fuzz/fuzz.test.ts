import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FUZZ_DAEMON_ENV, ROOT, startDaemon, type Daemon } from './daemon';
import { exchange } from './exchange';
import { judge } from './oracle';
import { formatReport, runFuzz } from './run';

/**
 * The fuzzer inside `npm test` (docs/fuzzing.md): every input that ever failed (fixtures/fuzz) is
 * replayed, then a bounded seeded run (FUZZ_TEST_CASES, default 1 000; FUZZ_SEED) goes against a
 * spawned `dhx serve --role all`. `npm run fuzz` is the long run.
 */

const FIXTURES = path.join(ROOT, 'fixtures/fuzz');
const fixtures = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.http')).sort() : [];
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130) >>> 0;
const CASES = Number(process.env.FUZZ_TEST_CASES ?? 1000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('fuzzing the receive path of a live daemon', () => {
  let daemon: Daemon;
  beforeAll(async () => {
    daemon = await startDaemon({ role: 'all', env: FUZZ_DAEMON_ENV });
  }, 60_000);
  afterAll(() => daemon?.stop());

  /** A daemon that answers: one that died or stopped answering in an earlier test is replaced. */
  async function healthyDaemon(): Promise<void> {
    const h = daemon.alive() ? await daemon.health(2000) : undefined;
    if (h?.status === 200) return;
    await daemon.kill();
    await daemon.restart({ quarantine: true });
  }

  const leftovers = (): string[] => [...daemon.tmpFiles().map((f) => `tmp/${f}`), ...daemon.openDataFiles().map((f) => `fd ${f}`)];

  describe('every input that ever failed (fixtures/fuzz)', () => {
    test.each(fixtures.length ? fixtures : ['(none)'])('%s: a documented answer; same pid, /health within 2 s, nothing left behind', async (name) => {
      if (name === '(none)') return;
      await healthyDaemon();
      const before = new Set(leftovers());
      const pid = daemon.pid();
      const bytes = fs.readFileSync(path.join(FIXTURES, name));
      // /health is watched while the request is handled and a while after (intake of a receipted
      // capsule runs after its answer).
      const slow: string[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const h = await daemon.health(2500);
          if (watching && (h.status !== 200 || h.ms > 2000)) slow.push(`${h.status} after ${h.ms} ms`);
          await sleep(200);
        }
      })();
      const x = await exchange(bytes, { port: daemon.port, abort: name.endsWith('.abort.http'), answerMs: 5000, closeMs: 5000 });
      await sleep(1500);
      watching = false;
      await watcher;
      expect(judge(x)).toMatchObject({ ok: true });
      expect(daemon.exit()).toBeUndefined();
      expect(daemon.pid()).toBe(pid);
      expect(slow).toEqual([]);
      const h = await daemon.health(2000);
      expect(h).toMatchObject({ status: 200 });
      expect(h.ms).toBeLessThanOrEqual(2000);
      let left = leftovers().filter((l) => !before.has(l));
      for (let waited = 0; left.length && waited < 3000; waited += 100) {
        await sleep(100);
        left = leftovers().filter((l) => !before.has(l));
      }
      expect(left).toEqual([]);
    }, 40_000);
  });

  test(`${CASES} seeded cases (FUZZ_SEED=${SEED}): documented answers, same pid, /health within 2 s, no temporary file or descriptor left, flat memory, every receipt in the database`, async () => {
    await healthyDaemon();
    const saveDir = path.join(os.tmpdir(), `dhx-fuzz-failures-${SEED}`);
    const report = await runFuzz({ daemon, seed: SEED, cases: CASES, concurrency: 8, saveDir, maxFailures: 10, answerMs: 8000, closeMs: 8000 });
    const text = formatReport(report);
    if (report.failures.length) {
      throw new Error(`${text}\nFailing inputs are in ${saveDir}: keep each in fixtures/fuzz/ under a name that says what it proves.`);
    }
    console.log(text);
    expect(report.cases).toBeGreaterThanOrEqual(CASES);
  }, 240_000);
});
