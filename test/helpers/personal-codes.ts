import { personalCodeCheckDigit } from '../../src/log/personal-code';

/**
 * Fictional personal codes with valid checksums, for tests (fixtures hold no real personal data).
 * `seed` picks the serial number; the birth date and sex digit are fixed per call site.
 */
export function makeTestPersonalCode(seed: number, birth = '150607', sexCentury = 5): string {
  const first10 = `${sexCentury}${birth}${String(seed % 1000).padStart(3, '0')}`;
  return `${first10}${personalCodeCheckDigit(first10)}`;
}

/**
 * How a personal code reads once masked (docs/operations.md, "Privacy"): first and last digit kept, nine
 * asterisks between.
 */
export function maskedForm(code: string): string {
  return `${code[0]}*********${code[10]}`;
}
