import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { incompressible } from '../../bench/content';
import { buildCapsuleToFile } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { sendDocument } from '../../src/xroad/dhx-client';
import type { XRoadSim } from '../../src/sim/server';
import { SKA, startSim } from './helpers';

/** A capsule of ~210 MB goes from a file through the DHX client and the simulator's fake KOV, both streaming. */

let sim: XRoadSim;
let dir: string;
beforeAll(async () => {
  sim = await startSim();
  sim.addKov({ memberCode: '75000001', name: 'Näidisvalla Vallavalitsus' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-large-'));
});
afterAll(async () => {
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) h.update(c as Buffer);
  return h.digest('hex');
}

test('a 210 MB capsule is sent and received whole while the process grows by far less than its size (streamed both ways)', async () => {
  const file = path.join(dir, 'capsule.xml');
  await buildCapsuleToFile(
    makeDraft({
      sender: { code: SKA.memberCode, name: 'Sotsiaalkindlustusamet' },
      recipients: [{ code: '75000001' }],
      recordType: 'Arvamus',
      title: 'Suur toimik',
      originalIdentifier: '7.2-1/26-900',
      files: [{ name: 'toimik.bin', mimeType: 'application/octet-stream', content: incompressible(150 * 1024 * 1024) }],
    }),
    file,
  );
  const size = fs.statSync(file).size;
  expect(size).toBeGreaterThan(200 * 1024 * 1024);
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const out = await sendDocument(
      { securityServer: sim.url, client: SKA, timeoutMs: 120_000 },
      {
        target: { service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '75000001', subsystemCode: 'DHX' } },
        consignmentId: 'suur-1',
        capsule: fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
        resend: false,
      },
    );
    expect(out.kind).toBe('delivered');
  } finally {
    clearInterval(sampler);
  }
  const doc = sim.kov('75000001')!.accepted[0]!;
  expect(doc.size).toBe(size);
  expect(doc.sha256).toBe(await sha256(file));
  // Holding the capsule once would add > 200 MB; here client and receiver together stay well below.
  expect(peak - base).toBeLessThan(120 * 1024 * 1024);
}, 120_000);
