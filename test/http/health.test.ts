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

test('a service that stops answering is logged once with its reason, and once when it answers again', async () => {
  let clock = 0;
  let redisDown = true;
  const lines: Array<{ level: string; fields: Record<string, unknown>; msg: string }> = [];
  const log = {
    warn: (fields: Record<string, unknown>, msg: string) => void lines.push({ level: 'warn', fields, msg }),
    info: (fields: Record<string, unknown>, msg: string) => void lines.push({ level: 'info', fields, msg }),
  };
  const health = makeHealthCheck({
    pingPostgres: async () => undefined,
    pingRedis: async () => {
      if (redisDown) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
    now: () => clock,
    log,
  });
  expect(await health.check()).toEqual({ failed: ['redis'] });
  clock = 2000;
  expect(await health.check()).toEqual({ failed: ['redis'] });
  expect(lines).toEqual([{ level: 'warn', fields: { service: 'redis', err: 'connect ECONNREFUSED 127.0.0.1:6379' }, msg: expect.any(String) as unknown }]);
  redisDown = false;
  clock = 4000;
  expect(await health.check()).toEqual({ failed: [] });
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatchObject({ level: 'info', fields: { service: 'redis' } });
});
