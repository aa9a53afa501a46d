/**
 * Estonian personal identification codes (isikukood, standard EVS 585): `GYYMMDDSSSC`, where G gives sex and
 * century (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd = male), SSS is a serial number and C a check digit.
 * Fixtures use only codes made here: fictional people, but with a valid checksum so that validators accept them.
 */

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3];

/** Check digit of the first ten digits: weights 1234567891, then 3456789123 when the rest is 10; 10 again → 0. */
export function checkDigit(first10: string): number {
  const digits = [...first10].map(Number);
  const sum = (w: number[]): number => digits.reduce((s, d, i) => s + d * w[i]!, 0) % 11;
  const a = sum(WEIGHTS_1);
  if (a < 10) return a;
  const b = sum(WEIGHTS_2);
  return b < 10 ? b : 0;
}

/** A code for someone of `sex` born on `birthDate` (YYYY-MM-DD, 1800–2099), with the given serial (0–999). */
export function personalCode(sex: 'M' | 'F', birthDate: string, serial: number): string {
  const [y, m, d] = birthDate.split('-');
  const century = Math.floor(Number(y) / 100);
  const g = (century - 18) * 2 + (sex === 'M' ? 1 : 2);
  if (g < 1 || g > 6) throw new Error(`no personal code for a birth year ${y}`);
  const first10 = `${g}${y!.slice(2)}${m}${d}${String(serial).padStart(3, '0')}`;
  return `${first10}${checkDigit(first10)}`;
}

/** True when `code` has 11 digits, a first digit 1–6, a real birth date and the right check digit. */
export function isValidPersonalCode(code: string): boolean {
  const m = /^([1-6])(\d{2})(\d{2})(\d{2})\d{3}(\d)$/.exec(code);
  if (!m) return false;
  const year = 1800 + Math.floor((Number(m[1]) - 1) / 2) * 100 + Number(m[2]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return checkDigit(code.slice(0, 10)) === Number(m[5]);
}
