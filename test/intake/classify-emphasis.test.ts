import { classify, contentClauses, sentencesOf, type ClassifyInput } from '../../src/intake/classify';
import { compileRules, loadRules, rulesFileSchema } from '../../src/intake/rules';

/**
 * The content's emphasis (docs/intake.md, "Content"): the sentence that carries the request decides, background
 * (past, hypothetical) weighs less; `muu` has an administrative vocabulary of its own but never decides a letter
 * about a child's case. The sentences here are written for these tests, not taken from the corpora.
 */

const rules = loadRules();
const emphasis = rules.content!.emphasis!;
const input = (o: Partial<ClassifyInput> = {}): ClassifyInput => ({
  recordType: '',
  title: 'Kiri',
  abstract: '',
  fileNames: '',
  sender: '',
  senderUnit: '',
  messageForRecipient: '',
  typeSpecific: '',
  ...o,
});
const byText = (text: string): ReturnType<typeof classify> => classify(input(), rules, text);

describe('sentences and clauses', () => {
  test('a full stop after a number, an abbreviation or an initial does not end a sentence; "?", "!" and blank lines do', () => {
    const s = sentencesOf('Alates 1. märtsist on uus kord, vt. lisa nr. 3 ja K. Saare kiri. Kas saate aidata? Aitäh!\n\nLugupidamisega');
    expect(s.map((x) => x.trim())).toEqual(['Alates 1. märtsist on uus kord, vt. lisa nr. 3 ja K. Saare kiri.', 'Kas saate aidata?', 'Aitäh!', 'Lugupidamisega']);
  });

  test('a single line break (PDF text breaks lines inside sentences) does not end a sentence', () => {
    expect(sentencesOf('Palume arvamust poisi\nsuunamiseks kinnisesse\nasutusse.')).toHaveLength(1);
  });

  test('a clause takes its own marker first, else its sentence\'s: request over background', () => {
    const c = contentClauses('Pere kolis möödunud suvel Lätist tagasi, ja nüüd soovime juhendamist, kuidas edasi minna. Poiss käib koolis. Varem oli tal tugiisik, kes aitas.', emphasis);
    expect(c.map((x) => [x.words.join(' '), x.emphasis ?? '-'])).toEqual([
      ['pere kolis moodunud suvel latist tagasi', 'background'],
      ['ja nuud soovime juhendamist', 'request'],
      ['kuidas edasi minna', 'request'],
      ['poiss kaib koolis', '-'],
      ['varem oli tal tugiisik', 'background'],
      ['kes aitas', 'background'],
    ]);
  });

  test('a question asks: its clauses without a marker of their own are request, those with a background marker stay background', () => {
    const c = contentClauses('Pere elas varem Taanis, mida peaksime nüüd tegema?', emphasis);
    expect(c.map((x) => x.emphasis)).toEqual(['background', 'request']);
  });

  test('request markers are whole words: "palumine" or "soovitus" are not requests, "kas oleks võimalik" is', () => {
    const e = (t: string): string | undefined => contentClauses(t, emphasis)[0]?.emphasis;
    expect(e('Soovitus on koostatud hoolikalt')).toBeUndefined();
    expect(e('Kas oleks võimalik kohtuda detsembris')).toBe('request');
    expect(e('KAS OLEKS VÕIMALIK kohtuda')).toBe('request');
    expect(e('Tulevikus võib-olla kolitakse')).toBe('background');
  });

  test('without emphasis markers in the rules file every sentence is one clause of weight 1', () => {
    expect(contentClauses('Varem elas ta Soomes, nüüd palume nõu. Teine lause.')).toEqual([
      { words: ['varem', 'elas', 'ta', 'soomes', 'nuud', 'palume', 'nou'] },
      { words: ['teine', 'lause'] },
    ]);
  });

  test('a phrase does not match across a clause or sentence boundary', () => {
    expect(byText('Uks jäi kinnine, asutus oli suletud.').reasons.find((r) => r.rule === 'sisu-klat-kinnine')).toBeUndefined();
    expect(byText('Palume arvamust. Kinnine asutus on vajalik.').reasons.find((r) => r.rule === 'sisu-klat-kinnine')).toMatchObject({ matched: 'kinnine asutus' });
  });

  test('careless input: punctuation only, empty lines, a huge text', () => {
    expect(contentClauses('... !!! ??? ,,, \n\n\n', emphasis)).toEqual([]);
    const huge = 'Palume nõu. '.repeat(20_000) + 'Eelmisel aastal elas pere Norras.';
    const c = byText(huge);
    expect(c.category).toBe('noustamine');
    expect(c.reasons.find((r) => r.category === 'rahvusvaheline')).toMatchObject({ emphasis: 'background', score: 2 });
  });
});

describe('the sentence that carries the request decides', () => {
  test('a country where the child lived before does not outweigh the counselling asked for', () => {
    const text = 'Tüdruk elas varem emaga Norras. Nüüd on ta isa juures ja koolis on raskusi. Palume nõustamist, milliseid teenuseid pakkuda.';
    const c = byText(text);
    expect(c).toMatchObject({ category: 'noustamine', confident: true });
    expect(c.reasons.find((r) => r.category === 'noustamine')).toMatchObject({ field: 'content', emphasis: 'request', matched: 'noustamist', score: 10 });
    expect(c.reasons.find((r) => r.category === 'rahvusvaheline')).toMatchObject({ emphasis: 'background', score: 2 });
  });

  test('a closed institution mentioned as a possibility does not outweigh the advice asked for', () => {
    const c = byText('Tulevikus võib-olla tuleb arutada ka kinnise lasteasutuse teenust. Praegu soovime nõu, kuidas poissi kodus toetada.');
    expect(c).toMatchObject({ category: 'noustamine', confident: true });
  });

  test('counselling asked for earlier does not outweigh the KLAT opinion asked for now', () => {
    const c = byText('Eelmisel aastal saime SKA-lt nõustamist. Nüüd palume arvamust noormehe paigutamiseks kinnisesse lasteasutusse, kohus ootab seda.');
    expect(c).toMatchObject({ category: 'klat_arvamus', confident: true });
  });

  test('without the request and background markers the same topics tie: triage', () => {
    const c = byText('Tüdruk on Norras. Nõustamine on teemaks.');
    expect(c.confident).toBe(false);
    expect(Object.keys(c.scores).sort()).toEqual(['noustamine', 'rahvusvaheline']);
  });

  test('two kinds both asked for in request sentences stay triage', () => {
    const c = byText('Palume mentorit meie uuele töötajale. Samuti palume supervisiooni kogu meeskonnale.');
    expect(c.confident).toBe(false);
  });

  test('the margin is counted in words of the same weight: a request word against a present-day topic is not enough', () => {
    // nõu in a request (5 × 2) against a country in a plain sentence (4): the lead of 6 is below 3.5 × 2.
    const c = byText('Ema töötab Soomes. Vajame nõu.');
    expect(c.confident).toBe(false);
    expect(c.best).toBe('noustamine');
  });

  test('a single candidate is decided by the threshold alone: the margin separates two candidates', () => {
    // "teadmiseks" (3) in a request (× 2) = 6: over the threshold 5, below the scaled margin 7 — and nothing to separate.
    expect(byText('Edastame teadmiseks linnapea käskkirja.')).toMatchObject({ category: 'muu', confident: true, score: 6 });
    expect(byText('Linnapea käskkiri teadmiseks.').confident).toBe(false);
  });

  test('the rules file without `emphasis` scores every clause alike (no emphasis in the reasons)', () => {
    const file = rulesFileSchema.parse({
      version: 1,
      threshold: 3,
      margin: 2,
      fieldWeights: {},
      rules: [{ id: 'k', category: 'klat_arvamus', weight: 5, patterns: ['klat'] }],
      content: { weight: 1, threshold: 5, margin: 3, rules: [{ id: 'n', category: 'noustamine', weight: 5, patterns: ['nou'] }, { id: 'r', category: 'rahvusvaheline', weight: 5, patterns: ['norra'] }] },
    });
    const c = classify(input(), compileRules(file), 'Varem elas ta Norras. Palume nõu.');
    expect(c.confident).toBe(false);
    expect(c.reasons.every((r) => r.emphasis === undefined)).toBe(true);
  });
});

describe('muu: administrative letters by their vocabulary', () => {
  test('a letter that thanks and asks for nothing is a letter of thanks; the topic thanked for looks back', () => {
    const c = byText('Täname Teid möödunud nädala supervisiooni eest. Meeskond oli rahul.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-tanukiri')).toMatchObject({ matched: 'taname', score: 5 });
    expect(c.reasons.find((r) => r.category === 'toonoustamine')).toMatchObject({ emphasis: 'background', score: 2.5 });
    expect(c.category).not.toBe('toonoustamine');
    // A closing "Täname!" after a request is no letter of thanks.
    const d = byText('Palume mentorit meie uuele kolleegile. Täname!');
    expect(d.reasons.find((r) => r.rule === 'sisu-muu-tanukiri')).toBeUndefined();
    expect(d.category).toBe('mentorlus');
  });


  test.each([
    ['an invoice', 'Saadame arve märtsi ruumide kasutamise eest, summa 180 eurot, viitenumber on arvel.'],
    ['a brochure order', 'Soovime tellida 30 trükist vanematele mõeldud voldikutest.'],
    ['a new contact person', 'Teatame, et meie valla uus kontaktisik on alates aprillist Mart Mets.'],
    ['minutes of a meeting', 'Edastame eilse koosoleku protokolli, ootame märkusi reedeni.'],
    ['a working group on a development plan', 'Ootame Teie esindajat töörühma, mis koostab valla heaolu arengukava.'],
    ['a data-protection question', 'Küsime, kas isikuandmete edastamine huvikoolile on lubatud ja millisel alusel.'],
    ['a questionnaire', 'Edastame täidetud küsimustiku teenuste kättesaadavuse kohta.'],
    ['statistics', 'Palume saata maakonna statistika abivajavate perede arvu kohta.'],
    ['a training invitation', 'Kutsume Teid veebiseminarile, registreerumine on avatud.'],
    ['thanks for a seminar', 'Täname Teid eelmise kuu seminari eest, tagasiside oli hea.'],
  ])('%s is muu, confident', (_, text) => {
    const c = byText(text);
    expect(c).toMatchObject({ category: 'muu', confident: true });
    expect(c.reasons.filter((r) => r.category === 'muu').every((r) => r.field === 'content')).toBe(true);
  });

  test('administrative words in a letter about a child\'s case never make it muu with confidence (guard in the reasons)', () => {
    const c = byText('Palume abi 12-aastase poisi juhtumis. Lisatud on võrgustiku koosoleku protokoll ja kooli tagasiside.');
    expect(c.confident).toBe(false);
    expect(c.category).toBeUndefined();
    expect(c.best).toBe('muu');
    expect(c.reasons.at(-1)).toMatchObject({ rule: 'sisu-muu-lapse-juhtum', field: 'content', score: 0 });
  });

  test('a counselling request that mentions a meeting protocol in passing is not muu', () => {
    const c = byText('Soovime nõustamist lapse hooldusõiguse küsimuses. Lisame ümarlaua protokolli.');
    expect(c.category).not.toBe('muu');
  });

  test('the child\'s views ("lapse arvamus") are not SKA\'s opinion', () => {
    const c = byText('Palume nõu, kuidas lapse arvamust kohtus arvesse võtta.');
    expect(c.reasons.find((r) => r.rule === 'sisu-klat-arvamus')).toBeUndefined();
    expect(byText('Palume SKA arvamust lapse kohta.').reasons.find((r) => r.rule === 'sisu-klat-arvamus')).toMatchObject({ matched: 'arvamust' });
  });
});
