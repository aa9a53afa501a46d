import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import type { BlobStore } from './store';

/**
 * Temporary files in `DATA_DIR/tmp` that nothing will commit any more: a process killed while receiving a
 * large capsule, or between reading a capsule's files and extracting them, leaves its temporary file
 * behind (the capsule itself is safe: it is received again or re-read by the reconciler). A temporary
 * file in use is written or committed within seconds, so one untouched for `maxAgeSeconds` is removed.
 */
export async function sweepTemp(store: BlobStore, maxAgeSeconds: number, now = Date.now()): Promise<{ removed: number; bytes: number }> {
  const dir = store.tmpDir;
  let removed = 0;
  let bytes = 0;
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return { removed, bytes };
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const st = await fs.promises.lstat(file).catch(() => undefined);
    if (!st?.isFile() || now - st.mtimeMs < maxAgeSeconds * 1000) continue;
    await fs.promises.rm(file, { force: true });
    removed++;
    bytes += st.size;
  }
  return { removed, bytes };
}

export type TempSweep = Periodic;

/** Sweeps at start and then on `schedule`, on the periodic scheduler (in process: it needs neither Redis nor PostgreSQL). */
export function startTempSweep(o: { store: BlobStore; maxAgeSeconds: number; log: Logger; schedule?: string }): TempSweep {
  return startPeriodic({
    name: 'tmp-sweep',
    every: { cron: o.schedule ?? '0 */10 * * * *' },
    log: o.log,
    atStart: true,
    failure: 'temporary file sweep failed',
    pass: async () => {
      const { removed, bytes } = await sweepTemp(o.store, o.maxAgeSeconds);
      if (removed) o.log.info({ removed, bytes }, 'removed abandoned temporary files');
    },
  });
}
