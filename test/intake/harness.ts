import { randomUUID } from 'node:crypto';
import type { App } from '../../src/app';
import type { Config } from '../../src/config';
import type { TestDatabase } from '../helpers/db';
import { outcome, post, sendDocumentEnvelope, startAdapter, swaBody } from '../dhx/harness';
import { SKA_CODE } from './kov';

/** A running adapter with role `all` (HTTP + intake workers) on its own database, blob folder and queue prefix. */
export interface IntakeHarness {
  app: App;
  db: TestDatabase;
  url: string;
  config: Config;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  prefix: string;
  send(kovCode: string, capsule: Buffer, consignmentId?: string): Promise<{ receiptId?: string; faultCode?: string }>;
  waitFor(id: string, states?: string[], timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** The same with HTTP only: the intake workers run elsewhere (crash tests spawn them as processes). */
export function startIntakeAdapterHttpOnly(env: NodeJS.ProcessEnv = {}): Promise<IntakeHarness> {
  return startIntakeAdapter(env, 'http');
}

export async function startIntakeAdapter(env: NodeJS.ProcessEnv = {}, role: 'http' | 'all' = 'all'): Promise<IntakeHarness> {
  const h = await startAdapter({ INTAKE_BACKOFF_MS: '200', ...env }, role);
  const { db, url } = h;
  return {
    ...h,
    async send(kovCode, capsule, consignmentId = randomUUID()) {
      const envelope = sendDocumentEnvelope({ client: kovCode, service: SKA_CODE, consignmentId });
      const { body, contentType } = swaBody(envelope, capsule);
      const r = await post(url, body, contentType);
      return outcome(r.text);
    },
    async waitFor(id, states = ['done', 'triage', 'failed', 'parked'], timeoutMs = 20000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await db.pool.query<{ state: string }>('SELECT state FROM inbound_capsules WHERE id = $1', [id]);
        const state = r.rows[0]?.state;
        if (state && states.includes(state)) return state;
        if (Date.now() > until) throw new Error(`capsule ${id} is ${state ?? 'missing'}, not ${states.join('|')} after ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
  };
}
