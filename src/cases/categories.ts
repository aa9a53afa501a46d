/**
 * Intake categories (docs/intake.md, "Classification"; adding one: docs/architecture.md, "Where new
 * things go"). A closed set: exhaustive switches use `satisfies never`.
 */
export const Category = {
  noustamine: 'noustamine',
  klat_arvamus: 'klat_arvamus',
  mentorlus: 'mentorlus',
  toonoustamine: 'toonoustamine',
  rahvusvaheline: 'rahvusvaheline',
  muu: 'muu',
} as const;
export type Category = (typeof Category)[keyof typeof Category];
export const CATEGORIES = Object.values(Category) as Category[];

/** KLAT opinion sub-kinds, when the request states one: first time, extension, ending the measure. */
export const SubKind = { esmane: 'esmane', pikendamine: 'pikendamine', lopetamine: 'lopetamine' } as const;
export type SubKind = (typeof SubKind)[keyof typeof SubKind];
export const SUB_KINDS = Object.values(SubKind) as SubKind[];

export function isCategory(x: unknown): x is Category {
  return typeof x === 'string' && (CATEGORIES as string[]).includes(x);
}

export function isSubKind(x: unknown): x is SubKind {
  return typeof x === 'string' && (SUB_KINDS as string[]).includes(x);
}
