import fs from 'node:fs';
import path from 'node:path';
import { readCapsule } from '../../src/capsule/read';
import { classify, classifyInputOf } from '../../src/intake/classify';
import { loadRules } from '../../src/intake/rules';
import { CORPUS, corpusCapsule } from './kov-corpus';

/**
 * `MAKE_FIXTURES=1 npm test -- test/intake/corpus` rewrites fixtures/capsules/kov from ./kov-corpus.ts.
 * Every checked-in KOV request must get the category (and KLAT sub-kind) its manifest names.
 */

const DIR = path.resolve(__dirname, '../../fixtures/capsules/kov');
const generate = process.env.MAKE_FIXTURES === '1' ? test : test.skip;

generate('writes fixtures/capsules/kov from kov-corpus.ts', async () => {
  fs.mkdirSync(DIR, { recursive: true });
  for (const f of fs.readdirSync(DIR)) if (f.endsWith('.xml')) fs.rmSync(path.join(DIR, f));
  const manifest: Record<string, unknown> = {};
  for (const [i, e] of CORPUS.entries()) {
    fs.writeFileSync(path.join(DIR, e.file), await corpusCapsule(e, i));
    manifest[e.file] = e.expect;
  }
  fs.writeFileSync(path.join(DIR, 'expected.json'), `${JSON.stringify(manifest, null, 2)}\n`);
});

const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { category: string; subKind?: string } | 'triage'>;
const rules = loadRules();

describe('the KOV request corpus', () => {
  test('has at least 40 requests, every category, with and without diacritics, and every file is in the manifest', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.xml'));
    expect(files.sort()).toEqual(Object.keys(manifest).sort());
    const categories = Object.values(manifest).filter((x) => x !== 'triage').map((x) => (x as { category: string }).category);
    expect(categories.length).toBeGreaterThanOrEqual(40);
    expect(new Set(categories)).toEqual(new Set(['noustamine', 'klat_arvamus', 'mentorlus', 'toonoustamine', 'rahvusvaheline', 'muu']));
    expect(files.filter((f) => f.includes('ascii')).length).toBeGreaterThanOrEqual(6);
  });

  test.each(Object.entries(manifest))('%s is classified as %j by the default rules', async (file, expected) => {
    const r = await readCapsule(path.join(DIR, file), { decode: false });
    expect(r.valid).toBe(true);
    const c = classify(classifyInputOf(r.capsule!), rules);
    if (expected === 'triage') {
      expect(c.confident).toBe(false);
      return;
    }
    expect({ category: c.category, reasons: c.reasons.slice(0, 3).map((x) => `${x.rule}:${x.field}:${x.matched}`) }).toMatchObject({ category: expected.category });
    expect(c.subKind).toBe(expected.subKind);
    expect(c.rule).toBeTruthy();
    expect(c.score).toBeGreaterThanOrEqual(rules.threshold);
  });
});
