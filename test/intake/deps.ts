import type { BlobStore } from '../../src/blob/store';
import { loadCapsuleSchema } from '../../src/capsule/schema';
import type { Config } from '../../src/config';
import type { Pool } from '../../src/db/pool';
import { loadRules } from '../../src/intake/rules';
import type { IntakeDeps } from '../../src/intake/stages';

/** What the intake stages need, as a test running them in its own process gives it: the default rules, the config's limits. */
export async function intakeDepsOf(config: Config, pool: Pool, store: BlobStore, log: IntakeDeps['log']): Promise<IntakeDeps> {
  return {
    pool,
    store,
    rules: loadRules(),
    intake: config.intake,
    memberCode: config.xroad.memberCode,
    limits: config.capsule,
    schema: await loadCapsuleSchema(),
    log,
  };
}
