/**
 * One way to tell whether two codes name the same organisation. DHX systems write an organisation's
 * registry code as X-Road has it (70006317), with the country in front (EE70006317) or behind a
 * subsystem or system name (adit.70006317, DHX.adit.70006317). The receive path compares a capsule's
 * DecSender with the X-Road client or represented party by it, and the reply lookup (src/cases/reply.ts) compares a reply's sender with
 * the organisation a case belongs to by it, so the two can never disagree on who someone is.
 */

/** The registry code a written code stands for: lower case, without a `system.` prefix or an `EE` country prefix. */
export function organisationKey(code: string): string {
  let c = code.trim().toLowerCase();
  c = c.slice(c.lastIndexOf('.') + 1);
  return c.length > 2 && c.startsWith('ee') && c.charCodeAt(2) >= 0x30 && c.charCodeAt(2) <= 0x39 ? c.slice(2) : c;
}

/** Whether two written codes name the same organisation (an empty code names none). */
export function sameOrganisation(a: string, b: string): boolean {
  const k = organisationKey(a);
  return k !== '' && k === organisationKey(b);
}
