import { makeHealthCheck } from '../../src/http/health';

/** /health's check: shared by callers arriving together, kept at most a second, bounded in time. */

test('callers arriving together share one check, which is reused for at most 1 s', async () => {
  let clock = 0;
  let pings = 0;
  const health = makeHealthCheck({
    pingPostgres: async () => void pings++,
    pingRedis: async () => undefined,
    now: () => clock,
  });
  const verdicts = await Promise.all(Array.from({ length: 50 }, () => health.check()));
  expect(verdicts.every((v) => v.failed.length === 0)).toBe(true);
  expect(pings).toBe(1);
  clock = 1000;
  await health.check();
  expect(pings).toBe(1);
  clock = 1001;
  await health.check();
  expect(pings).toBe(2);
});

test('a failing or silent service is named, and the check does not wait for it past its bound', async () => {
  const health = makeHealthCheck({
    pingPostgres: () => new Promise(() => undefined),
    pingRedis: async () => {
      throw new Error('connection refused');
    },
  });
  const started = Date.now();
  expect(await health.check()).toEqual({ failed: ['postgres', 'redis'] });
  expect(Date.now() - started).toBeLessThan(3000);
});
