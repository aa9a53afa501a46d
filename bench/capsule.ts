/**
 * `npm run bench -- capsule`: validate + extract generated capsules of 1, 20 and 200 MB (one large file),
 * each in a fresh child process so peak RSS is its own, beside the floor `base64 -d | gunzip > /dev/null`
 * on the same payload, measured in the same run. Targets: ≤ 3× the floor's time,
 * peak RSS ≤ 200 MB at 200 MB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { buildCapsuleToFile } from '../src/capsule/build';
import { makeDraft } from '../src/capsule/draft';
import { incompressible } from './content';

const MB = 1024 * 1024;

/** Writes a capsule of about `capsuleMb` MB; base64(gzip(random)) is ~1.37× the file, so the file is sized to match. */
async function generate(dir: string, capsuleMb: number): Promise<{ file: string; payload: string }> {
  const file = path.join(dir, `capsule-${capsuleMb}mb.xml`);
  const fileBytes = Math.floor((capsuleMb * MB) / 1.37);
  const draft = makeDraft({
    sender: { code: '75006546', name: 'Tartu linn' },
    recipients: [{ code: '70001975', name: 'Sotsiaalkindlustusamet' }],
    recordType: 'Taotlus',
    title: 'Kinnise lasteasutuse teenuse arvamuse taotlus',
    originalIdentifier: `bench-${capsuleMb}`,
    access: { code: 'AK' },
    files: [{ name: 'toimik.pdf', mimeType: 'application/pdf', content: incompressible(fileBytes), fileSize: fileBytes }],
  });
  await buildCapsuleToFile(draft, file);
  // The floor's input: the same ZipBase64Content text alone, copied by streaming so this process stays
  // small (a child's maxRSS on Linux starts from its parent's at fork).
  const payload = path.join(dir, `payload-${capsuleMb}mb.b64`);
  await copyContent(file, payload);
  return { file, payload };
}

async function copyContent(capsule: string, target: string): Promise<void> {
  const open = '<ZipBase64Content>';
  const close = '</ZipBase64Content>';
  const out = fs.createWriteStream(target);
  let state: 'before' | 'inside' | 'after' = 'before';
  let carry = '';
  for await (const chunk of fs.createReadStream(capsule, { encoding: 'latin1', highWaterMark: MB })) {
    let text = carry + (chunk as string);
    carry = '';
    if (state === 'before') {
      const i = text.indexOf(open);
      if (i === -1) {
        carry = text.slice(-open.length);
        continue;
      }
      state = 'inside';
      text = text.slice(i + open.length);
    }
    if (state === 'inside') {
      const j = text.indexOf(close);
      const piece = j === -1 ? text.slice(0, Math.max(0, text.length - close.length)) : text.slice(0, j);
      if (j === -1) carry = text.slice(piece.length);
      else state = 'after';
      if (!out.write(piece, 'latin1')) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

function floorMs(payload: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync('bash', ['-c', `base64 -d "${payload}" | gunzip > /dev/null`]);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

interface RunResult {
  ms: number;
  maxRssMb: number;
  valid: boolean;
  size: number;
}

function runAdapter(file: string, outDir: string): RunResult {
  const child = spawnSync(process.execPath, [path.join(__dirname, 'capsule-run.js'), file, outDir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`capsule-run failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as RunResult;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchCapsule(sizes = [1, 20, 200], runs = 3): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-bench-'));
  console.log(`capsule: validate + extract (stream → sax → base64 → gunzip → sha256 → blob file), ${runs} runs, median`);
  console.log('size    | adapter ms | MB/s  | peak RSS | floor ms (base64 -d | gunzip) | × floor | targets');
  try {
    for (const mb of sizes) {
      const { file, payload } = await generate(dir, mb);
      const bytes = fs.statSync(file).size;
      const adapter: RunResult[] = [];
      const floors: number[] = [];
      for (let i = 0; i < runs; i++) {
        floors.push(floorMs(payload));
        const out = fs.mkdtempSync(path.join(dir, 'out-'));
        adapter.push(runAdapter(file, out));
        fs.rmSync(out, { recursive: true, force: true });
      }
      if (!adapter.every((r) => r.valid)) throw new Error(`generated ${mb} MB capsule did not validate`);
      const ms = median(adapter.map((r) => r.ms));
      const rss = Math.max(...adapter.map((r) => r.maxRssMb));
      const floor = median(floors);
      const ratio = ms / floor;
      const targets = [ratio <= 3 ? 'time ok' : 'TIME OVER 3×', mb >= 200 ? (rss <= 200 ? 'rss ok' : 'RSS OVER 200 MB') : '']
        .filter(Boolean)
        .join(', ');
      console.log(
        `${(bytes / MB).toFixed(1).padStart(6)} MB | ${ms.toFixed(0).padStart(10)} | ${((bytes / MB) / (ms / 1000)).toFixed(0).padStart(5)} | ${rss.toFixed(0).padStart(5)} MB | ${floor.toFixed(0).padStart(29)} | ${ratio.toFixed(2).padStart(7)} | ${targets}`,
      );
      fs.rmSync(file);
      fs.rmSync(payload);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
