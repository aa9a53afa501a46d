/**
 * Open-resource tracking (graphile-worker habit): helpers register what they open — pools, Redis
 * connections, BullMQ workers and queues, servers — with a check that says whether it is closed.
 * `setup.ts` fails the test file in `afterAll` if anything registered is still open.
 *
 *   const pool = track('pool', makePool(...), (p) => p.ended);
 *   ...
 *   afterAll(() => pool.end());
 */
interface Tracked {
  kind: string;
  isClosed: () => boolean;
}

const open: Tracked[] = [];

export function track<T>(kind: string, resource: T, isClosed: (r: T) => boolean): T {
  open.push({ kind, isClosed: () => isClosed(resource) });
  return resource;
}

/** What is still open, by kind. */
export function leftOpen(): string[] {
  return open.filter((r) => !r.isClosed()).map((r) => r.kind);
}

export function forgetClosed(): void {
  for (let i = open.length - 1; i >= 0; i--) if (open[i]!.isClosed()) open.splice(i, 1);
}
