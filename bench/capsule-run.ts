/**
 * One measured run for `bench/capsule.ts`, in its own process: validate + extract FILE into OUT_DIR,
 * then print {ms, maxRssMb, valid, size} as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCapsule } from '../src/capsule/read';
import { loadCapsuleSchema } from '../src/capsule/schema';

async function main(): Promise<void> {
  const [file, outDir] = process.argv.slice(2);
  if (!file || !outDir) throw new Error('usage: capsule-run FILE OUT_DIR');
  const schema = await loadCapsuleSchema(); // loaded once per daemon; not part of a capsule's cost
  // The daemon is warm when a capsule arrives: read a few of the project's fixtures first.
  const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'capsules', 'valid');
  for (let i = 0; i < 3; i++) {
    for (const name of ['mentoring-request.xml', 'two-files-pdf-docx.xml']) await readCapsule(path.join(fixtures, name), { schema });
  }
  // Peak RSS sampled in this process: ru_maxrss would include the parent's memory at fork.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);
  const t0 = process.hrtime.bigint();
  const result = await readCapsule(file, {
    schema,
    sink: ({ index }) => fs.createWriteStream(path.join(outDir, `file-${index}`), { mode: 0o600, highWaterMark: 1024 * 1024 }),
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(sampler);
  const maxRssMb = Math.max(peakRss, process.memoryUsage.rss()) / (1024 * 1024);
  const size = result.files.reduce((n, f) => n + f.size, 0);
  process.stdout.write(JSON.stringify({ ms, maxRssMb, valid: result.valid, size }));
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
