import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { makeBatcher } from '../../src/jobs/batch';
import { startPeriodic } from '../../src/jobs/periodic';
import { makeReleaseStack, startReleasing } from '../../src/jobs/release';

const log = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('src/jobs is infrastructure', () => {
  const SRC = path.resolve(__dirname, '../../src');
  const importsOf = (dir: string): Array<{ file: string; target: string }> =>
    fs
      .readdirSync(path.join(SRC, dir))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...fs.readFileSync(path.join(SRC, dir, f), 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => ({
          file: `${dir}/${f}`,
          target: path.relative(SRC, path.resolve(SRC, dir, m[1]!)).split(path.sep)[0]!,
        })),
      );

  test('src/jobs imports nothing from a domain folder (only itself, errors, config, log)', () => {
    const allowed = new Set(['jobs', 'errors', 'config', 'log']);
    expect(importsOf('jobs').filter((i) => !allowed.has(i.target.replace(/\.ts$/, '')))).toEqual([]);
  });

  test('src/blob imports nothing above it (jobs is below it)', () => {
    const allowed = new Set(['blob', 'jobs', 'errors', 'config', 'log', 'db', 'xml', 'mime', 'capsule']);
    expect(importsOf('blob').filter((i) => !allowed.has(i.target.replace(/\.ts$/, '')))).toEqual([]);
  });
});

describe('batcher', () => {
  test('items of one turn go together, each caller gets its own result, and a key is never twice in a batch', async () => {
    const batches: string[][] = [];
    const b = makeBatcher<string, string>(
      async (items) => {
        batches.push(items);
        return items.map((i) => i.toUpperCase());
      },
      { keyOf: (i) => i[0]!, maxItems: 10 },
    );
    const results = await Promise.all(['a1', 'b1', 'a2', 'c1'].map((i) => b.add(i)));
    expect(results).toEqual(['A1', 'B1', 'A2', 'C1']);
    expect(batches).toEqual([['a1', 'b1', 'c1'], ['a2']]);
  });

  test('at most maxItems per batch and maxInFlight batches at once; the others gather', async () => {
    let inFlight = 0;
    let peak = 0;
    const sizes: number[] = [];
    const b = makeBatcher<number>(
      async (items) => {
        sizes.push(items.length);
        peak = Math.max(peak, ++inFlight);
        await sleep(20);
        inFlight--;
      },
      { maxItems: 3, maxInFlight: 1 },
    );
    await Promise.all(Array.from({ length: 7 }, (_, i) => b.add(i)));
    expect(peak).toBe(1);
    expect(sizes).toEqual([3, 3, 1]);
  });

  test('a failed batch: every caller gets the error, or, with singlyOnFailure, its own item is tried alone', async () => {
    const plain = makeBatcher<number>(async () => Promise.reject(new Error('down')));
    const all = await Promise.allSettled([plain.add(1), plain.add(2)]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);

    const singly = makeBatcher<number, number>(
      async (items) => {
        if (items.includes(2)) throw new Error('bad item 2');
        return items.map((i) => i * 10);
      },
      { singlyOnFailure: true },
    );
    const some = await Promise.allSettled([singly.add(1), singly.add(2), singly.add(3)]);
    expect(some.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 'bad item 2', 30]);
  });
});

describe('periodic scheduler', () => {
  test('an interval pass never overlaps, a failing pass is followed by the next, and stop() waits for a running pass', async () => {
    let running = 0;
    let overlapped = false;
    let passes = 0;
    let finished = 0;
    const p = startPeriodic({
      name: 'test',
      every: { seconds: 0.02 },
      log,
      atStart: true,
      failure: 'test pass failed',
      pass: async () => {
        if (running++ > 0) overlapped = true;
        passes++;
        await sleep(50);
        running--;
        finished++;
        if (passes % 2 === 0) throw new Error('every second pass fails');
      },
    });
    await sleep(300);
    await p.stop();
    const after = passes;
    expect(after).toBeGreaterThanOrEqual(3);
    expect(finished).toBe(after);
    expect(overlapped).toBe(false);
    await sleep(100);
    expect(passes).toBe(after);
  });

  test('a cron pass runs on its schedule (seconds field) and stops', async () => {
    let passes = 0;
    const p = startPeriodic({ name: 'cron-test', every: { cron: '* * * * * *' }, log, failure: 'x', pass: async () => void passes++ });
    await sleep(2300);
    await p.stop();
    expect(passes).toBeGreaterThanOrEqual(1);
  });
});

describe('release stack', () => {
  test('releases run in reverse order, a failing one does not stop the rest, and a failed start releases what it had started', async () => {
    const order: string[] = [];
    const stack = makeReleaseStack(log, 'release failed');
    await expect(
      startReleasing(stack, async () => {
        stack.push(async () => void order.push('connection'));
        stack.push(async () => Promise.reject(new Error('worker would not close')));
        stack.push(async () => void order.push('scheduler'));
        throw new Error('start failed');
      }),
    ).rejects.toThrow('start failed');
    expect(order).toEqual(['scheduler', 'connection']);
    await stack.stop();
    expect(order).toEqual(['scheduler', 'connection']);
  });
});
