import { prepared, type Pool } from '../db/pool';
import type { RepresentedParty, XRoadClientId } from '../xroad/header';

/**
 * What the address book (migration 0005, src/addressbook/addressbook.ts) says about who may send as whom on
 * the receive path (DHX §8.6). An X-Road member is its instance, member class and member code together:
 * a code alone names no one, so the class is compared wherever the book knows it.
 */

/** The verdict on an X-Road client that sends for a representedParty. */
export const Representation = {
  /** The client is an intermediary of the book and lists the party among its representees now. */
  represents: 'represents',
  /** The client (with its member class) is not an intermediary of the book. */
  notIntermediary: 'notIntermediary',
  /** An intermediary, but the party is not one of *its* representees, or not now (start ≤ now < end). */
  notRepresentee: 'notRepresentee',
  /** The header's partyClass is not the class the book knows the party by. */
  partyClassDiffers: 'partyClassDiffers',
} as const;
export type Representation = (typeof Representation)[keyof typeof Representation];

type Client = Pick<XRoadClientId, 'xRoadInstance' | 'memberClass' | 'memberCode' | 'subsystemCode'>;

/**
 * Whether `client` may speak for `party`: an intermediary row of the book for the client's own class,
 * code and subsystem (or the whole member), one of whose active representees is the party; with
 * `partyClass`, the party's class where the book knows the party as a member.
 */
export async function checkRepresentation(pool: Pool, client: Client, party: RepresentedParty, now = new Date()): Promise<Representation> {
  const r = await pool.query<{ intermediary: boolean; represents: boolean; classes: string[] | null }>(
    prepared(
      `WITH i AS (
         SELECT instance, member_class, member_code, subsystem FROM addressbook_intermediaries
          WHERE instance = $1 AND member_class = $2 AND member_code = $3 AND (subsystem = '' OR subsystem = $4))
       SELECT EXISTS (SELECT 1 FROM i) AS intermediary,
              EXISTS (SELECT 1 FROM i JOIN addressbook_representees r
                        ON r.instance = i.instance AND r.intermediary_class = i.member_class
                       AND r.intermediary_code = i.member_code AND r.intermediary_subsystem = i.subsystem
                       WHERE r.member_code = $5 AND r.start_date <= $6 AND (r.end_date IS NULL OR r.end_date > $6)) AS represents,
              (SELECT array_agg(DISTINCT member_class) FROM addressbook_members WHERE instance = $1 AND member_code = $5) AS classes`,
      [client.xRoadInstance, client.memberClass, client.memberCode, client.subsystemCode ?? '', party.partyCode, now],
    ),
  );
  const row = r.rows[0]!;
  if (!row.intermediary) return Representation.notIntermediary;
  if (!row.represents) return Representation.notRepresentee;
  if (party.partyClass !== undefined && row.classes?.length && !row.classes.includes(party.partyClass)) return Representation.partyClassDiffers;
  return Representation.represents;
}

/** How long the member classes of a code are reused on the receive path (the book changes every 20 minutes). */
const CLASSES_TTL_MS = 5_000;
const classCaches = new WeakMap<Pool, Map<string, { at: number; classes: Promise<string[]> }>>();

/**
 * The member classes the book knows `code` by in `instance` (empty when it does not know the code).
 * Asked for every receipt, so answers are kept for a few seconds per pool.
 */
export function memberClassesOf(pool: Pool, instance: string, code: string): Promise<string[]> {
  let cache = classCaches.get(pool);
  if (!cache) classCaches.set(pool, (cache = new Map()));
  const key = `${instance}/${code}`;
  const hit = cache.get(key);
  const t = Date.now();
  if (hit && t - hit.at < CLASSES_TTL_MS) return hit.classes;
  if (cache.size > 10_000) cache.clear();
  const classes = pool
    .query<{ member_class: string }>(prepared(`SELECT DISTINCT member_class FROM addressbook_members WHERE instance = $1 AND member_code = $2`, [instance, code]))
    .then((r) => r.rows.map((x) => x.member_class));
  // A failed lookup is not kept: the next receipt asks again.
  classes.catch(() => cache.delete(key));
  cache.set(key, { at: t, classes });
  return classes;
}
