import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classify, type ClassifyInput } from '../../src/intake/classify';
import { fold, words } from '../../src/intake/fold';
import { compileRules, loadRules, rulesFileSchema } from '../../src/intake/rules';

const rules = loadRules();
const input = (o: Partial<ClassifyInput>): ClassifyInput => ({
  recordType: '',
  title: '',
  abstract: '',
  fileNames: '',
  sender: '',
  senderUnit: '',
  messageForRecipient: '',
  typeSpecific: '',
  ...o,
});

describe('Estonian folding', () => {
  test('case and the diacritics õ ä ö ü š ž fold away', () => {
    expect(fold('ÕÄÖÜ ŠŽ õäöü šž')).toBe('oaou sz oaou sz');
    expect(words('Töönõustamise-taotlus, KLAT/2026')).toEqual(['toonoustamise', 'taotlus', 'klat', '2026']);
  });
});

describe('classification by the default rules', () => {
  test('stems match inflected words and compounds: "nõustamisteenusele", "lastekaitsenõustamine"', () => {
    expect(classify(input({ title: 'Taotlus nõustamisteenusele' }), rules).category).toBe('noustamine');
    expect(classify(input({ title: 'Lastekaitsenõustamine' }), rules).category).toBe('noustamine');
  });

  test('"töönõustamine" is work counselling, not case counselling, although it contains "nõustamine"', () => {
    const c = classify(input({ title: 'Töönõustamine' }), rules);
    expect(c.category).toBe('toonoustamine');
    expect(c.scores.noustamine).toBeUndefined();
  });

  test('the same words without diacritics classify the same', () => {
    const a = classify(input({ title: 'Kinnise lasteasutuse teenuse pikendamine' }), rules);
    const b = classify(input({ title: 'KINNISE LASTEASUTUSE TEENUSE PIKENDAMINE' }), rules);
    expect([a.category, a.subKind]).toEqual(['klat_arvamus', 'pikendamine']);
    expect([b.category, b.subKind, b.score]).toEqual([a.category, a.subKind, a.score]);
  });

  test('the result names the winning rule, its score and the reasons (field and matched words)', () => {
    const c = classify(input({ title: 'Arvamuse taotlus', fileNames: 'KLAT taotlus.pdf' }), rules);
    expect(c).toMatchObject({ category: 'klat_arvamus', rule: 'klat-lyhend', score: 5, confident: true });
    expect(c.reasons[0]).toMatchObject({ rule: 'klat-lyhend', field: 'fileNames', matched: 'klat' });
  });

  test('a KLAT request that also asks for counselling is a KLAT request', () => {
    expect(classify(input({ title: 'KLAT arvamus ja nõustamine' }), rules).category).toBe('klat_arvamus');
  });

  test('nothing matched, or too little, is not confident: triage', () => {
    const none = classify(input({ title: 'Dokument' }), rules);
    expect(none.confident).toBe(false);
    expect(none.category).toBeUndefined();
    expect(classify(input({ abstract: 'lastekaitsejuhtum' }), rules)).toMatchObject({ confident: false, best: 'noustamine' });
  });

  test('two categories equally strong are not confident: triage', () => {
    const c = classify(input({ title: 'Mentorlus ja supervisioon' }), rules);
    expect(c.confident).toBe(false);
    expect(c.category).toBeUndefined();
  });
});

describe('the rules file', () => {
  test('a broken rules file is refused with every problem listed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, threshold: -1, margin: 1, fieldWeights: {}, rules: [{ id: 'x', category: 'nope', weight: 1, patterns: [] }] }));
    expect(() => loadRules(file)).toThrow(/threshold[\s\S]*rules\.0\.category[\s\S]*rules\.0\.patterns/);
    fs.rmSync(dir, { recursive: true });
  });

  test('the shipped file parses and every rule id is unique', () => {
    const raw = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../rules/classification.json'), 'utf8')) as unknown;
    const parsed = rulesFileSchema.parse(raw);
    expect(() => compileRules({ ...parsed, rules: [...parsed.rules, parsed.rules[0]!] })).toThrow(/used twice/);
  });
});
