/**
 * `npm run fuzz`: the fuzzer against a spawned `dhx serve` (docs/fuzzing.md). FUZZ_CASES (10 000),
 * FUZZ_SEED (random, printed), FUZZ_FROM (first case), FUZZ_CONCURRENCY (8), FUZZ_ROLE (`all` or
 * `http`), FUZZ_SKIP (mutators left out, e.g. `multipart.disposition`), FUZZ_SAVE_DIR (where failing inputs are written; fixtures/fuzz), FUZZ_DAEMON_LOG (a file for the daemon's
 * output). Exit 1 when anything failed.
 */
import path from 'node:path';
import { FUZZ_DAEMON_ENV, ROOT, startDaemon } from './daemon';
import { formatReport, runFuzz } from './run';

async function main(): Promise<number> {
  const env = process.env;
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
  const cases = Number(env.FUZZ_CASES ?? 10_000);
  const role = env.FUZZ_ROLE === 'http' ? 'http' : 'all';
  const saveDir = path.resolve(env.FUZZ_SAVE_DIR ?? path.join(ROOT, 'fixtures/fuzz'));
  console.log(`fuzz: seed ${seed} (FUZZ_SEED=${seed}), ${cases} cases, dhx serve --role ${role}, failing inputs to ${saveDir}`);
  const daemon = await startDaemon({ role, env: FUZZ_DAEMON_ENV, ...(env.FUZZ_DAEMON_LOG ? { logFile: path.resolve(env.FUZZ_DAEMON_LOG) } : {}) });
  try {
    const report = await runFuzz({
      daemon,
      seed,
      cases,
      from: Number(env.FUZZ_FROM ?? 0),
      concurrency: Number(env.FUZZ_CONCURRENCY ?? 8),
      saveDir,
      maxFailures: Number(env.FUZZ_MAX_FAILURES ?? 50),
      log: (line) => console.log(line),
    });
    console.log(formatReport(report));
    return report.failures.length ? 1 : 0;
  } finally {
    await daemon.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
