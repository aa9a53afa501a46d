import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { makeBatcher } from '../../src/jobs/batch';
import { startPeriodic } from '../../src/jobs/periodic';
import { enqueue, makeQueue, QueueName, requeue } from '../../src/jobs/queues';
import { makeReleaseStack, startReleasing } from '../../src/jobs/release';
import { makeWorker, RetryAfter } from '../../src/jobs/worker';
import { cleanupPrefix, randomPrefix, testRedis } from '../helpers/redis';

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

describe('intake queue retries', () => {
  test('RetryAfter: BullMQ retries the same job after the recorded delay; any other error fails the job at once; requeue replaces a finished job', async () => {
    const prefix = randomPrefix();
    const connection = testRedis();
    const workerConnection = testRedis();
    const queue = makeQueue(QueueName.intake, connection, prefix);
    const runs = { retried: [] as number[], broken: [] as number[] };
    const worker = makeWorker(
      QueueName.intake,
      async (job) => {
        const times = runs[job.data.id as keyof typeof runs];
        times.push(Date.now());
        if (job.data.id === 'broken') throw new Error('not a recorded retry');
        if (times.length === 1) throw new RetryAfter(300, 'transient');
        return 'finished';
      },
      { connection: workerConnection, prefix, concurrency: 2, log, label: 'test' },
    );
    const stateOf = async (id: string): Promise<string | undefined> => (await queue.getJob(id))?.getState();
    const waitState = async (id: string, state: string): Promise<string | undefined> => {
      for (const until = Date.now() + 5_000; (await stateOf(id)) !== state && Date.now() < until; ) await sleep(25);
      return stateOf(id);
    };
    try {
      await enqueue(queue, [
        { data: { id: 'retried' }, jobId: 'retried' },
        { data: { id: 'broken' }, jobId: 'broken' },
      ]);
      expect(await waitState('retried', 'completed')).toBe('completed');
      expect(runs.retried).toHaveLength(2);
      expect(runs.retried[1]! - runs.retried[0]!).toBeGreaterThanOrEqual(250);
      expect((await queue.getJob('retried'))!.attemptsMade).toBe(2);
      expect(await waitState('broken', 'failed')).toBe('failed');
      expect(runs.broken).toHaveLength(1);
      // A live job is left alone; a finished one (completed or failed) is replaced and runs again.
      expect(await requeue(queue, { data: { id: 'broken' }, jobId: 'broken' })).toBe(true);
      expect(await waitState('broken', 'failed')).toBe('failed');
      expect(runs.broken).toHaveLength(2);
    } finally {
      await worker.close();
      await queue.close();
      await cleanupPrefix(connection, prefix);
      await Promise.all([connection.quit(), workerConnection.quit()]);
    }
  });
});
