import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classify } from '../../src/intake/classify';
import { compileRules, defaultRulesPath, rulesFileSchema } from '../../src/intake/rules';
import { compileWordModel, formatWordModel, predictCategory, stemsOf, trainWordModel, wordModelSchema, type TrainingLetter } from '../../src/intake/word-model';
import { TRAINING, trainedModel } from './training-letters';

/**
 * The word model's file (rules/content-model.json) is counted from the labelled letters of ./training-letters.ts
 * and nothing else: this test fails when the file is not what these letters train (a hand edit, or a corpus
 * changed without retraining). `npm run train:model` rewrites it.
 */

const FILE = path.join(path.dirname(defaultRulesPath()), 'content-model.json');

const write = process.env.TRAIN_WORD_MODEL === '1' ? test : test.skip;

write('TRAIN_WORD_MODEL=1: rules/content-model.json rewritten from the training letters', () => {
  fs.writeFileSync(FILE, trainedModel());
});

test('rules/content-model.json is what the named training letters count (npm run train:model rewrites it)', () => {
  const text = fs.readFileSync(FILE, 'utf8');
  expect(wordModelSchema.safeParse(JSON.parse(text)).success).toBe(true);
  expect(text).toBe(trainedModel());
  expect(JSON.parse(text).trainedOn).toHaveLength(TRAINING.length);
});

describe('the word model', () => {
  const letters: TrainingLetter[] = [
    { category: 'mentorlus', text: 'Uuele töötajale palume mentorit, ta alustas tööd novembris.' },
    { category: 'mentorlus', text: 'Meie uus lastekaitsetöötaja vajab kogenud mentorit esimesel tööaastal.' },
    { category: 'muu', text: 'Kutsume teid koolitusele, registreeruda saab veebis.' },
    { category: 'muu', text: 'Saadame arve koolituse eest, maksetähtaeg on kuu lõpp.' },
    { category: 'noustamine', text: 'Palume nõu lapse juhtumis, ema ei tee koostööd.' },
  ];
  const model = compileWordModel(trainWordModel(letters, { trainedOn: ['five letters'] }));

  test('stems: folded, the first letters of each word, short words and numbers left out, each once', () => {
    expect(stemsOf('Mentorluse MENTORLUS, mõte 12 ja õpe', 5, 3)).toEqual(['mento', 'mote', 'ope']);
  });

  test('the same letters give the same file; counts are per letter, not per word', () => {
    const a = trainWordModel(letters, { trainedOn: ['x'] });
    expect(formatWordModel(a)).toBe(formatWordModel(trainWordModel(letters, { trainedOn: ['x'] })));
    expect(a.stems['mento']).toEqual([0, 0, 2, 0, 0, 0]);
    expect(wordModelSchema.parse(JSON.parse(formatWordModel(a)))).toEqual(a);
  });

  test('a verdict: the category, a posterior, and the stems that weighed most', () => {
    const v = predictCategory(model, 'Palume mentorit uuele töötajale.');
    expect(v?.category).toBe('mentorlus');
    expect(v!.posterior).toBeGreaterThan(0.5);
    expect(v!.posterior).toBeLessThanOrEqual(1);
    expect(v!.evidence).toContain('mento');
    expect(predictCategory(model, 'xyz qqq')).toBeUndefined();
  });
});

describe('the word model in classification: it confirms, never brings a category', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-model-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const training: TrainingLetter[] = [
    ...['Palume uuele töötajale mentorit.', 'Uus töötaja vajab mentorit ja juhendajat.', 'Mentorit vajab meie uus spetsialist.'].map((text) => ({ category: 'mentorlus' as const, text })),
    ...['Kutsume koolitusele, registreeruda saab veebis.', 'Koolitus toimub mais, kutse on lisatud.', 'Saadame arve.'].map((text) => ({ category: 'muu' as const, text })),
  ];
  fs.writeFileSync(path.join(dir, 'model.json'), formatWordModel(trainWordModel(training, { trainedOn: ['six letters'] })));
  const rulesWith = (model: object | undefined) =>
    compileRules(
      rulesFileSchema.parse({
        version: 1,
        threshold: 3,
        margin: 2,
        fieldWeights: {},
        rules: [{ id: 'm', category: 'mentorlus', weight: 5, patterns: ['mentorlus'] }],
        content: {
          weight: 1,
          threshold: 5,
          margin: 3,
          rules: [
            { id: 'sisu-m', category: 'mentorlus', weight: 5, patterns: ['mentor'] },
            { id: 'sisu-u', category: 'muu', weight: 5, patterns: ['koolitus'] },
          ],
          ...(model ? { model } : {}),
        },
      }),
      '(test)',
      dir,
    );
  const input = { recordType: 'Kiri', title: 'Kiri', abstract: '', fileNames: '', sender: '', senderUnit: '', messageForRecipient: '', typeSpecific: '' };
  const tie = 'Meie uus töötaja käis koolitusel ja vajab nüüd mentorit.';

  test('a tie the rules cannot break is confirmed when the model names one of the tied categories', () => {
    expect(classify(input, rulesWith(undefined), tie)).toMatchObject({ confident: false, scores: { mentorlus: 5, muu: 5 } });
    const c = classify(input, rulesWith({ id: 'mudel', file: 'model.json', posterior: 0.6, minScore: 3 }), tie);
    expect([c.confident, c.category]).toEqual([true, 'mentorlus']);
    expect(c.reasons.at(-1)).toMatchObject({ rule: 'mudel', category: 'mentorlus', field: 'content', pattern: 'word model' });
    expect(c.reasons.at(-1)!.matched).toContain('mento');
  });

  test('not confirmed below the posterior, below minScore, or when the model names a category the rules did not score highest', () => {
    expect(classify(input, rulesWith({ id: 'mudel', file: 'model.json', posterior: 1, minScore: 3 }), tie).confident).toBe(false);
    expect(classify(input, rulesWith({ id: 'mudel', file: 'model.json', posterior: 0.6, minScore: 6 }), tie).confident).toBe(false);
    // The rules see only "koolitus" (muu); the model's words say mentoring: the model does not bring mentorlus.
    const c = classify(input, rulesWith({ id: 'mudel', file: 'model.json', posterior: 0.5, minScore: 3 }), 'Uus töötaja, uus spetsialist, juhendaja vajab: koolitus.');
    expect(c.scores).toEqual({ muu: 5 });
    expect(c.confident).toBe(c.category === 'muu');
    expect(c.category).not.toBe('mentorlus');
  });

  test('a missing or broken model file is a configuration error naming the file', () => {
    expect(() => rulesWith({ id: 'mudel', file: 'missing.json', posterior: 0.9, minScore: 3 })).toThrow(/word model .*missing\.json/);
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ version: 1, stems: { a: [1] } }));
    expect(() => rulesWith({ id: 'mudel', file: 'broken.json', posterior: 0.9, minScore: 3 })).toThrow(/word model .*broken\.json is invalid/);
  });
});
