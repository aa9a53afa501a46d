import type { Logger } from 'pino';
import type { Config } from '../config';
import { prepared, type Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { callRepresentationList, clientOptionsOf, type DhxClientOptions, type RepresentationListResult } from '../xroad/dhx-client';
import type { RepresenteeIn } from '../xroad/dhx-request';
import { DHX_INTERMEDIARY_GROUP, isDhxSubsystem, loadGlobalConf, type GlobalConf } from '../xroad/globalconf';
import type { XRoadClientId } from '../xroad/header';

/**
 * The DHX address book (docs/sending.md, "Address book"; DHX §7), kept in PostgreSQL (migration 0005):
 * - members with a subsystem named `DHX` or starting `DHX.` in the X-Road global configuration;
 * - intermediaries (global group "DHX vahendajad") and the representees each one's representationList
 *   names, with their validity dates. An intermediary that cannot be reached keeps its previous entries.
 * `resolve` answers how a document reaches an organisation; direct capability wins over an intermediary.
 */

export interface AddressBookSource {
  /** File path or URL of the global configuration (zip or shared-params.xml). */
  globalConf: string;
  /** Our X-Road instance (which shared-params.xml of the zip). */
  instance: string;
  /** For representationList calls through our security server (and its agent for an https: download). */
  client: DhxClientOptions;
  /** XROAD_GLOBAL_CONF_MAX_BYTES: largest global configuration read and shared-params.xml unzipped. */
  maxBytes?: number;
}

/** representationList calls made while refreshing: small answers, so a short bound. */
export const ADDRESSBOOK_CALL_TIMEOUT_MS = 30_000;

/** The source as configured: XROAD_GLOBAL_CONF (default `{XROAD_SECURITY_SERVER}/verificationconf`), we as the client. */
export function addressBookSource(config: Pick<Config, 'xroad'>): AddressBookSource {
  return {
    globalConf: config.xroad.globalConf,
    instance: config.xroad.instance,
    client: clientOptionsOf(config, ADDRESSBOOK_CALL_TIMEOUT_MS),
    maxBytes: config.xroad.globalConfMaxBytes,
  };
}

export interface IntermediaryRefresh {
  intermediary: string;
  ok: boolean;
  representees?: number;
  error?: string;
}

export type RefreshResult =
  | { ok: true; members: number; intermediaries: IntermediaryRefresh[]; representees: number }
  | { ok: false; error: string };

const REFRESH_LOCK = 70_001_975_05;

const idKey = (c: { xRoadInstance: string; memberClass: string; memberCode: string; subsystemCode?: string | undefined }): string =>
  [c.xRoadInstance, c.memberClass, c.memberCode, c.subsystemCode].filter(Boolean).join('/');

/**
 * Where to call an intermediary's representationList: the subsystem the group names, or for a whole
 * member its `DHX` subsystem (else its first `DHX.*` one).
 */
function intermediaryService(conf: GlobalConf, g: XRoadClientId): XRoadClientId | undefined {
  if (g.subsystemCode) return g;
  const m = conf.members.find((x) => x.memberClass === g.memberClass && x.memberCode === g.memberCode);
  const sub = m?.subsystems.includes('DHX') ? 'DHX' : m?.subsystems.filter(isDhxSubsystem).sort()[0];
  return sub ? { ...g, objectType: 'SUBSYSTEM', subsystemCode: sub } : undefined;
}

/** Rebuilds the address book from the global configuration and the intermediaries' representation lists. */
export async function refreshAddressBook(pool: Pool, source: AddressBookSource, log?: Logger): Promise<RefreshResult> {
  const startedAt = new Date();
  let conf: GlobalConf;
  try {
    conf = await loadGlobalConf(source.globalConf, source.instance, {
      timeoutMs: source.client.timeoutMs,
      ...(source.maxBytes !== undefined ? { maxBytes: source.maxBytes } : {}),
      ...(source.client.agent ? { agent: source.client.agent } : {}),
    });
  } catch (err) {
    const error = (err as Error).message;
    log?.warn({ source: source.globalConf, err: error }, 'address book: global configuration unavailable; keeping the previous address book');
    await pool.query(`INSERT INTO addressbook_refreshes (started_at, source, ok, error) VALUES ($1, $2, false, $3)`, [startedAt, source.globalConf, error]);
    return { ok: false, error };
  }
  const members = conf.members.flatMap((m) =>
    m.subsystems.filter(isDhxSubsystem).map((s) => ({ memberClass: m.memberClass, memberCode: m.memberCode, subsystem: s, name: m.name })),
  );
  const names = new Map(conf.members.map((m) => [`${m.memberClass}/${m.memberCode}`, m.name]));
  const group = conf.groups.find((g) => g.code === DHX_INTERMEDIARY_GROUP)?.members.filter((g) => g.xRoadInstance === conf.instance) ?? [];
  // representationList calls run side by side: a slow intermediary does not hold up the others.
  const lists = await Promise.all(
    group.map(async (g): Promise<{ g: XRoadClientId; result: RepresentationListResult }> => {
      const target = intermediaryService(conf, g);
      if (!target) return { g, result: { kind: 'failed', error: 'the member has no DHX subsystem to call representationList on' } };
      return { g, result: await callRepresentationList(source.client, target) };
    }),
  );
  const report: IntermediaryRefresh[] = [];
  let representeeCount = 0;
  await withTransaction(pool, async (c) => {
    // One refresh at a time (scheduler and CLI may overlap); readers see the old book until commit.
    await c.query('SELECT pg_advisory_xact_lock($1)', [REFRESH_LOCK]);
    await c.query('DELETE FROM addressbook_members WHERE instance = $1', [conf.instance]);
    if (members.length) {
      await c.query(
        `INSERT INTO addressbook_members (instance, member_class, member_code, subsystem, name)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
        [conf.instance, members.map((m) => m.memberClass), members.map((m) => m.memberCode), members.map((m) => m.subsystem), members.map((m) => m.name)],
      );
    }
    // Intermediaries no longer in the group go, with their representees (ON DELETE CASCADE).
    const keep = group.map((g) => `${g.memberClass}/${g.memberCode}/${g.subsystemCode ?? ''}`);
    await c.query(
      `DELETE FROM addressbook_intermediaries WHERE instance = $1 AND NOT (member_class || '/' || member_code || '/' || subsystem = ANY($2::text[]))`,
      [conf.instance, keep],
    );
    for (const { g, result } of lists) {
      const key = [conf.instance, g.memberClass, g.memberCode, g.subsystemCode ?? ''];
      await c.query(
        `INSERT INTO addressbook_intermediaries (instance, member_class, member_code, subsystem, name, last_attempt_at, last_success_at, last_error)
         VALUES ($1, $2, $3, $4, $5, now(), CASE WHEN $6 THEN now() END, $7)
         ON CONFLICT (instance, member_class, member_code, subsystem) DO UPDATE SET
           name = EXCLUDED.name, last_attempt_at = now(),
           last_success_at = CASE WHEN $6 THEN now() ELSE addressbook_intermediaries.last_success_at END,
           last_error = EXCLUDED.last_error`,
        [...key, names.get(`${g.memberClass}/${g.memberCode}`) ?? '', result.kind === 'ok', result.kind === 'ok' ? null : result.error],
      );
      if (result.kind === 'failed') {
        // DHX §7: an unreachable intermediary keeps what it listed last time.
        const kept = await c.query(
          `SELECT count(*)::int AS n FROM addressbook_representees
           WHERE instance = $1 AND intermediary_class = $2 AND intermediary_code = $3 AND intermediary_subsystem = $4`,
          key,
        );
        representeeCount += (kept.rows[0] as { n: number }).n;
        report.push({ intermediary: idKey(g), ok: false, error: result.error });
        log?.warn({ intermediary: idKey(g), err: result.error }, 'address book: representationList failed; keeping its previous representees');
        continue;
      }
      await c.query(
        `DELETE FROM addressbook_representees
         WHERE instance = $1 AND intermediary_class = $2 AND intermediary_code = $3 AND intermediary_subsystem = $4`,
        key,
      );
      const reps: RepresenteeIn[] = result.representees;
      if (reps.length) {
        await c.query(
          `INSERT INTO addressbook_representees
             (instance, intermediary_class, intermediary_code, intermediary_subsystem, member_code, name, system, start_date, end_date)
           SELECT $1, $2, $3, $4, * FROM unnest($5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])`,
          [...key, reps.map((r) => r.memberCode), reps.map((r) => r.name), reps.map((r) => r.system ?? null), reps.map((r) => r.startDate), reps.map((r) => r.endDate ?? null)],
        );
      }
      representeeCount += reps.length;
      report.push({ intermediary: idKey(g), ok: true, representees: reps.length });
    }
    await c.query(
      `INSERT INTO addressbook_refreshes (started_at, source, ok, members, intermediaries, representees, detail)
       VALUES ($1, $2, true, $3, $4, $5, $6)`,
      [startedAt, source.globalConf, members.length, group.length, representeeCount, JSON.stringify({ intermediaries: report })],
    );
  });
  log?.info({ members: members.length, intermediaries: report, representees: representeeCount }, 'address book refreshed');
  return { ok: true, members: members.length, intermediaries: report, representees: representeeCount };
}

export interface ServiceAddress {
  xRoadInstance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
}

export type Route =
  | { kind: 'direct'; code: string; name: string; service: ServiceAddress }
  | {
      kind: 'intermediary';
      code: string;
      name: string;
      /** The intermediary's DHX service to call. */
      service: ServiceAddress;
      intermediaryName: string;
      /** sendDocument body `recipient` / `recipientSystem` (DHX §4). */
      recipient: string;
      recipientSystem?: string;
      validFrom: Date;
      validUntil?: Date;
    }
  | { kind: 'none'; code: string; reason: string };

interface MemberRow {
  instance: string;
  member_class: string;
  member_code: string;
  subsystem: string;
  name: string;
}

interface RepresenteeRow {
  instance: string;
  intermediary_class: string;
  intermediary_code: string;
  intermediary_subsystem: string;
  intermediary_name: string;
  intermediary_dhx_subsystem: string | null;
  member_code: string;
  name: string;
  system: string | null;
  start_date: Date;
  end_date: Date | null;
}

/**
 * How a document reaches `code` (DHX §7): direct when it has a DHX subsystem (`DHX` first, else the
 * first `DHX.*`; with `system`, that subsystem), else through an intermediary that represents it now,
 * else none. Direct capability wins over an intermediary.
 */
export async function resolveRoute(pool: Pool, code: string, opts: { instance: string; system?: string; now?: Date }): Promise<Route> {
  const now = opts.now ?? new Date();
  const direct = await pool.query<MemberRow>(
    prepared(
      `SELECT instance, member_class, member_code, subsystem, name FROM addressbook_members
       WHERE instance = $1 AND member_code = $2 ORDER BY (subsystem = 'DHX') DESC, subsystem, member_class`,
      [opts.instance, code],
    ),
  );
  const wanted = opts.system;
  const pick = wanted
    ? direct.rows.find((r) => r.subsystem === wanted || r.subsystem === `DHX.${wanted}`)
    : direct.rows[0];
  if (pick) {
    return {
      kind: 'direct',
      code,
      name: pick.name,
      service: { xRoadInstance: pick.instance, memberClass: pick.member_class, memberCode: pick.member_code, subsystemCode: pick.subsystem },
    };
  }
  const reps = await pool.query<RepresenteeRow>(
    prepared(
      `SELECT r.instance, r.intermediary_class, r.intermediary_code, r.intermediary_subsystem, i.name AS intermediary_name,
              (SELECT m.subsystem FROM addressbook_members m
                WHERE m.instance = r.instance AND m.member_class = r.intermediary_class AND m.member_code = r.intermediary_code
                ORDER BY (m.subsystem = 'DHX') DESC, m.subsystem LIMIT 1) AS intermediary_dhx_subsystem,
              r.member_code, r.name, r.system, r.start_date, r.end_date
       FROM addressbook_representees r
       JOIN addressbook_intermediaries i ON i.instance = r.instance AND i.member_class = r.intermediary_class
         AND i.member_code = r.intermediary_code AND i.subsystem = r.intermediary_subsystem
       WHERE r.instance = $1 AND r.member_code = $2 AND r.start_date <= $3 AND (r.end_date IS NULL OR r.end_date > $3)
       ORDER BY (r.system IS NULL) DESC, r.start_date DESC, r.intermediary_code`,
      [opts.instance, code, now],
    ),
  );
  const rep = wanted ? reps.rows.find((r) => r.system === wanted) : reps.rows[0];
  if (rep) {
    const subsystem = rep.intermediary_subsystem || rep.intermediary_dhx_subsystem;
    if (subsystem) {
      return {
        kind: 'intermediary',
        code,
        name: rep.name,
        service: { xRoadInstance: rep.instance, memberClass: rep.intermediary_class, memberCode: rep.intermediary_code, subsystemCode: subsystem },
        intermediaryName: rep.intermediary_name,
        recipient: rep.member_code,
        ...(rep.system ? { recipientSystem: rep.system } : {}),
        validFrom: rep.start_date,
        ...(rep.end_date ? { validUntil: rep.end_date } : {}),
      };
    }
  }
  const known = direct.rowCount || reps.rowCount;
  return {
    kind: 'none',
    code,
    reason: known
      ? `${code} has no DHX route for system ${wanted ?? '(none)'}`
      : `${code} has no DHX subsystem in the global configuration and no intermediary represents it now`,
  };
}

export interface AddressBookView {
  lastRefresh?: { startedAt: Date; finishedAt: Date; ok: boolean; source: string; error?: string };
  lastSuccess?: Date;
  members: Array<{ instance: string; memberClass: string; memberCode: string; subsystem: string; name: string }>;
  intermediaries: Array<{
    id: string;
    name: string;
    lastSuccessAt?: Date;
    lastError?: string;
    representees: Array<{ memberCode: string; name: string; system?: string; startDate: Date; endDate?: Date; active: boolean }>;
  }>;
}

export async function showAddressBook(pool: Pool, opts: { instance: string; now?: Date }): Promise<AddressBookView> {
  const now = opts.now ?? new Date();
  const last = await pool.query<{ started_at: Date; finished_at: Date; ok: boolean; source: string; error: string | null }>(
    'SELECT started_at, finished_at, ok, source, error FROM addressbook_refreshes ORDER BY id DESC LIMIT 1',
  );
  const success = await pool.query<{ at: Date }>('SELECT max(finished_at) AS at FROM addressbook_refreshes WHERE ok');
  const members = await pool.query<MemberRow>(
    'SELECT instance, member_class, member_code, subsystem, name FROM addressbook_members WHERE instance = $1 ORDER BY member_code, subsystem',
    [opts.instance],
  );
  const inter = await pool.query<{ member_class: string; member_code: string; subsystem: string; name: string; last_success_at: Date | null; last_error: string | null }>(
    'SELECT member_class, member_code, subsystem, name, last_success_at, last_error FROM addressbook_intermediaries WHERE instance = $1 ORDER BY member_code, subsystem',
    [opts.instance],
  );
  const reps = await pool.query<Omit<RepresenteeRow, 'intermediary_name' | 'intermediary_dhx_subsystem'>>(
    `SELECT instance, intermediary_class, intermediary_code, intermediary_subsystem, member_code, name, system, start_date, end_date
     FROM addressbook_representees WHERE instance = $1 ORDER BY member_code, start_date`,
    [opts.instance],
  );
  const l = last.rows[0];
  return {
    ...(l ? { lastRefresh: { startedAt: l.started_at, finishedAt: l.finished_at, ok: l.ok, source: l.source, ...(l.error ? { error: l.error } : {}) } } : {}),
    ...(success.rows[0]?.at ? { lastSuccess: success.rows[0].at } : {}),
    members: members.rows.map((m) => ({ instance: m.instance, memberClass: m.member_class, memberCode: m.member_code, subsystem: m.subsystem, name: m.name })),
    intermediaries: inter.rows.map((i) => ({
      id: idKey({ xRoadInstance: opts.instance, memberClass: i.member_class, memberCode: i.member_code, subsystemCode: i.subsystem || undefined }),
      name: i.name,
      ...(i.last_success_at ? { lastSuccessAt: i.last_success_at } : {}),
      ...(i.last_error ? { lastError: i.last_error } : {}),
      representees: reps.rows
        .filter((r) => r.intermediary_class === i.member_class && r.intermediary_code === i.member_code && r.intermediary_subsystem === i.subsystem)
        .map((r) => ({
          memberCode: r.member_code,
          name: r.name,
          ...(r.system ? { system: r.system } : {}),
          startDate: r.start_date,
          ...(r.end_date ? { endDate: r.end_date } : {}),
          active: r.start_date <= now && (!r.end_date || r.end_date > now),
        })),
    })),
  };
}

export interface AddressBookRefresher {
  /** Refreshes now, then every `intervalSeconds`. */
  start(): void;
  /** Stops the schedule and waits for a refresh under way. */
  stop(): Promise<void>;
  /** A refresh now (also while scheduled); concurrent calls share one run. */
  refreshNow(): Promise<RefreshResult>;
}

/** The schedule (DHX_ADDRESSBOOK_REFRESH): the periodic scheduler (src/jobs/periodic.ts), an in-process timer, since it must run while Redis is away too. */
export function makeAddressBookRefresher(o: { pool: Pool; source: AddressBookSource; intervalSeconds: number; log?: Logger }): AddressBookRefresher {
  let schedule: Periodic | undefined;
  let running: Promise<RefreshResult> | undefined;
  const refreshNow = (): Promise<RefreshResult> => {
    running ??= refreshAddressBook(o.pool, o.source, o.log)
      .catch((err: unknown): RefreshResult => {
        o.log?.error({ err }, 'address book refresh failed');
        return { ok: false, error: (err as Error).message };
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    start() {
      schedule ??= startPeriodic({
        name: 'addressbook-refresh',
        every: { seconds: o.intervalSeconds },
        ...(o.log ? { log: o.log } : {}),
        atStart: true,
        failure: 'address book refresh failed',
        pass: refreshNow,
      });
    },
    async stop() {
      const s = schedule;
      schedule = undefined;
      await s?.stop();
      await running;
    },
    refreshNow,
  };
}
