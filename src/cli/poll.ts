import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { configuredBlobStore, type BlobStore } from '../blob/store';
import type { CapsuleLimits } from '../capsule/content';
import { loadCapsuleSchema, type CapsuleSchema } from '../capsule/schema';
import type { Config } from '../config';
import { makePool, type Pool } from '../db/pool';
import { makeLogger } from '../log/logger';
import { maskText } from '../log/privacy';
import { closeSecurityServerAgent } from '../xroad/agent';
import type { CliContext } from './context';
import { describeDbError } from './errors';
import { enqueue } from './intake';

/** What a transport's poll takes from a command, as the daemon's worker role gives it. */
export interface PollCommandDeps {
  pool: Pool;
  store: BlobStore;
  schema: CapsuleSchema;
  config: Config;
  limits: CapsuleLimits;
  log: Logger;
  enqueue: (ids: string[]) => Promise<void>;
}

/**
 * One poll by hand (`dhx dvk poll`, `dhx adit poll`): the transport's poll with the command's own pool,
 * store and schema and a logger on stderr; its report printed as JSON or as `describe`'s lines, personal
 * codes masked (a peer's message may name a person); exit 0 when the poll went through, 1 otherwise.
 */
export async function runPollCommand<R extends { kind: string }>(
  ctx: CliContext,
  config: Config,
  o: { command: string; json?: boolean; poll: (deps: PollCommandDeps) => Promise<R>; describe: (report: R) => string[] },
): Promise<void> {
  const pool = makePool({ databaseUrl: config.databaseUrl, max: 3, applicationName: `dhx ${o.command}` });
  const log = makeLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: new Writable({ write: (c: Buffer, _e, cb) => (ctx.stderr(c.toString().replace(/\n$/, '')), cb()) }),
  });
  try {
    const report = await o.poll({
      pool,
      store: configuredBlobStore(config, pool),
      schema: await loadCapsuleSchema(),
      config,
      limits: config.capsule,
      log,
      enqueue: async (ids) => {
        if (!(await enqueue(config, ids))) ctx.stderr('Redis unreachable: the intake reconciler will queue the stored documents');
      },
    });
    if (o.json) ctx.stdout(maskText(JSON.stringify(report, null, 2)));
    else for (const line of o.describe(report)) (report.kind === 'ok' ? ctx.stdout : ctx.stderr)(maskText(line));
    ctx.setExitCode(report.kind === 'ok' ? 0 : 1);
  } catch (err) {
    ctx.stderr(`dhx ${o.command}: ${describeDbError(err, config.databaseUrl)}`);
    ctx.setExitCode(1);
  } finally {
    closeSecurityServerAgent(config);
    await pool.end();
  }
}
