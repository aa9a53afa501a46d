import type { DateTimeValue } from './model';

/**
 * Capsules from Estonian systems often omit the zone; such values are read as Tallinn local time
 * (docs/capsule.md, "Dates").
 */
export const CAPSULE_LOCAL_ZONE = 'Europe/Tallinn';

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

const offsetFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: CAPSULE_LOCAL_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Offset of Europe/Tallinn from UTC, in milliseconds, at the given instant. */
function zoneOffsetMs(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of offsetFormat.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Converts a wall-clock time in Europe/Tallinn to an instant (DST gaps resolve forward, overlaps to the earlier). */
export function tallinnLocalToInstant(wallMs: number): number {
  let guess = wallMs - zoneOffsetMs(wallMs);
  const second = wallMs - zoneOffsetMs(guess);
  if (second !== guess) guess = Math.min(guess, second);
  return guess;
}

/** Parses an `xs:dateTime`; returns undefined when the text is not one. */
export function parseDateTime(text: string): DateTimeValue | undefined {
  const lexical = text.trim();
  const m = DATE_TIME.exec(lexical);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
  const hour = Number(h);
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour === 24 ? 0 : hour, Number(mi), Number(s), ms) +
    (hour === 24 ? 86_400_000 : 0);
  if (Number.isNaN(wall)) return undefined;
  let instant: number;
  if (zone === undefined) instant = tallinnLocalToInstant(wall);
  else if (zone === 'Z') instant = wall;
  else {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    instant = wall - offset;
  }
  return { lexical, instant: new Date(instant) };
}

/** A DateTimeValue for an instant, written in UTC (`2024-05-31T09:00:00Z`) — what the builder emits by default. */
export function dateTimeValue(instant: Date): DateTimeValue {
  const lexical = instant.toISOString().replace(/\.000Z$/, 'Z');
  return { lexical, instant: new Date(instant.getTime()) };
}

// Building an Intl.DateTimeFormat costs ~0.4 ms; one formatter serves every call.
let tallinnDateFormat: Intl.DateTimeFormat | undefined;

/** The calendar date (YYYY-MM-DD) an instant falls on in Europe/Tallinn. */
export function tallinnDate(instant: Date): string {
  tallinnDateFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: CAPSULE_LOCAL_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return tallinnDateFormat.format(instant);
}
