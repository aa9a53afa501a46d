import { dhx } from './run';

test('dhx demo runs every step it has and reports success', async () => {
  const r = await dhx(['demo']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toContain('demo completed: every step as expected');
  expect(r.out).toMatch(/valid {3}KLAT opinion request/);
  expect(r.out).toMatch(/invalid: \d+\/\d+ as expected/);
});
