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

/** Runs `check` and expects it done in seconds (the quadratic passes these tests guard against took minutes). */
function atOnce(check: () => void): void {
  const started = process.hrtime.bigint();
  check();
  expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5_000);
}

describe('sentences and clauses', () => {
  test('a full stop after a number, an abbreviation or an initial does not end a sentence; "?", "!" and blank lines do', () => {
    const s = sentencesOf('Alates 1. märtsist on uus kord, vt. lisa nr. 3 ja K. Saare kiri. Kas saate aidata? Aitäh!\n\nLugupidamisega');
    expect(s.map((x) => x.trim())).toEqual(['Alates 1. märtsist on uus kord, vt. lisa nr. 3 ja K. Saare kiri.', 'Kas saate aidata?', 'Aitäh!', 'Lugupidamisega']);
  });

  test('a full stop after a number ends a sentence when a capital follows: a date closing a request, then an attachment list', () => {
    const s = sentencesOf('Palume arvamust hiljemalt 10.12.2026. Lisatud: teenuseosutaja vahearuanne 10.11.2026.');
    expect(s.map((x) => x.trim())).toEqual(['Palume arvamust hiljemalt 10.12.2026.', 'Lisatud: teenuseosutaja vahearuanne 10.11.2026.']);
    const c = contentClauses('Palume arvamust hiljemalt 10.12.2026. Lisatud: teenuseosutaja vahearuanne.', emphasis);
    expect(c.find((x) => x.words.includes('vahearuanne'))?.emphasis).toBe('background');
  });

  test('a text of many full stops after numbers or abbreviations is split at once (in seconds; copying the sentence so far at each stop took half a minute)', () => {
    for (const t of ['1. a '.repeat(80_000), 'nr. '.repeat(100_000)]) {
      atOnce(() => {
        expect(sentencesOf(t)).toHaveLength(1);
        expect(() => byText(t)).not.toThrow();
      });
    }
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
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-tanukiri')).toMatchObject({ matched: 'taname', score: 7 });
    expect(c.reasons.find((r) => r.category === 'toonoustamine')).toMatchObject({ emphasis: 'background', score: 2.5 });
    // The thanks outweigh the topic thanked for by more than the margin: a confident letter of thanks.
    expect([c.confident, c.category]).toEqual([true, 'muu']);
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
    // A letter that forwards papers of a child's case (no counselling request): muu's words lead, the guard holds it back.
    const c = byText('Edastame 12-aastase poisi juhtumi kohta võrgustiku koosoleku protokolli ja kooli tagasiside.');
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
    // Beside a KLAT word (opinion words only support a KLAT request), SKA's opinion counts.
    expect(byText('Palume SKA arvamust lapse kinnisesse lasteasutusse paigutamise kohta.').reasons.find((r) => r.rule === 'sisu-klat-arvamus')).toMatchObject({ matched: 'arvamust' });
  });
});

describe('work counselling: help for the KOV\'s workers themselves', () => {
  test.each([
    ['group supervision', 'Soovime oma lastekaitsetöötajatele grupisupervisiooni kevadel.'],
    ['supervision, inflected, and peer supervision', 'Meie spetsialistid vajaksid supervisioone ning kord kuus kovisiooni.'],
    ['a case conference for a worn-out team', 'Palume korraldada meie töötajatele juhtumikonverents, sest meeskond on keerulise perega kurnatud.'],
    ['crisis counselling for the team after an incident', 'Pärast eilset õnnetust vajab meie meeskond kriisinõustamist.'],
    ['burnout and workload', 'Meie töötaja on läbipõlemise äärel ja töökoormus on liiga suur, palume meeskonnale tuge.'],
  ])('%s is toonoustamine, confident', (_, text) => {
    expect(byText(text)).toMatchObject({ category: 'toonoustamine', confident: true });
  });

  test('crisis counselling of the team is not case counselling; a case conference is no conference event', () => {
    const c = byText('Pärast eilset õnnetust vajab meie meeskond kriisinõustamist.');
    expect(c.reasons.filter((r) => r.category === 'noustamine')).toEqual([]);
    const d = byText('Palume korraldada juhtumikonverents meie töötajate toetuseks.');
    expect(d.reasons.filter((r) => r.category === 'muu')).toEqual([]);
  });
});

describe('counselling: a plain request for advice decides alone', () => {
  test.each([
    ['an imperative', 'Nõustage meid palun, vanem keeldub igasugusest koostööst.'],
    ['"andke nõu"', 'Andke nõu, ema ei luba meid koju.'],
    ['"mida teha" as a question', 'Isa ei too last koolist ära, mida teha?'],
    ['"kuidas edasi" as a question', 'Vanemad on lahku läinud ja kumbki ei hooli, kuidas edasi?'],
    ['"palun abi" with services', 'Palun abi, milliseid teenuseid sellisele perele pakkuda.'],
  ])('%s is noustamine, confident', (_, text) => {
    expect(byText(text)).toMatchObject({ category: 'noustamine', confident: true });
  });

  test('administrative side words do not out-weigh a clear counselling request', () => {
    expect(byText('Palume nõustamist ja kiiret tagasisidet, pere küsimust arutas ka valla komisjon.')).toMatchObject({ category: 'noustamine', confident: true });
    // The careless case: a request for help with a child's case that also forwards minutes is not muu.
    expect(byText('Palume abi 12-aastase poisi juhtumis. Lisatud on võrgustiku koosoleku protokoll ja kooli tagasiside.').category).not.toBe('muu');
  });

  test('court and opinion words only support a KLAT request: alone they do not compete with counselling', () => {
    const c = byText('Palume nõu, millise arvamuse peaks spetsialist andma, kui kohus seda küsib.');
    expect(c).toMatchObject({ category: 'noustamine', confident: true });
    expect(c.reasons.filter((r) => r.category === 'klat_arvamus')).toEqual([]);
    // Beside a KLAT word they count.
    const k = byText('Palume arvamust kohtule lapse paigutamiseks kinnisesse lasteasutusse.');
    expect(k.category).toBe('klat_arvamus');
    expect(k.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['sisu-klat-arvamus', 'sisu-klat-kontekst']));
  });
});

describe('international: a foreign country, an unaccompanied minor, a central authority', () => {
  test.each([
    ['one country in the request of a short e-mail', 'Kas võime saata lapse Saksamaale isa juurde?'],
    ['a country adjective in a question', 'Pere kolis ära. Kuidas anda toimik üle Iiri ametnikele?'],
    ['an unaccompanied minor', 'Meie valda saabus saatjata alaealine, palume nõustamist, kuidas tema eestkoste korraldada.'],
    ['the Hague convention', 'Palume abi Haagi konventsiooni alusel taotluse koostamisel.'],
  ])('%s is rahvusvaheline, confident', (_, text) => {
    expect(byText(text)).toMatchObject({ category: 'rahvusvaheline', confident: true });
  });

  test('counselling asked in an international case yields to the international words; a country in passing does not', () => {
    const c = byText('Palume nõustamist: lapse ema viis ta Norrasse ja Norra keskasutus ei vasta meile.');
    expect(c).toMatchObject({ category: 'rahvusvaheline', confident: true });
    const yielded = c.reasons.find((r) => r.rule === 'sisu-noustamine')!;
    expect(yielded.score).toBe(5);
    const d = byText('Palume nõustamist, milliseid meetmeid rakendada: isa töötab välismaal ja ema ei tule lastega toime.');
    expect(d.category).not.toBe('rahvusvaheline');
  });
});

describe('muu: events that mention children, one\'s own data', () => {
  test.each([
    ['a training on child welfare', 'Kutsume Teid koolitusele „Lapse heaolu ja turvalisus“, registreerumine on avatud.'],
    ['a seminar on children\'s rights', 'Kutsume kõiki lastekaitsetöötajaid seminarile laste õigustest, kohtade arv on piiratud.'],
    ['one\'s own data', 'Palun saatke mulle kõik isikuandmed, mida amet minu kohta töötleb.'],
    ['who received one\'s data', 'Soovin teada, kellele olete mu andmeid edastanud.'],
  ])('%s is muu, confident', (_, text) => {
    expect(byText(text)).toMatchObject({ category: 'muu', confident: true });
  });

  test('a specific child\'s case still guards muu: an age, a named relation, "juhtum", a personal code', () => {
    for (const text of [
      'Kutsume koolitusele, kus arutame ka 10-aastase poisi olukorda.',
      'Edastame koosoleku protokolli, laps on endiselt hooldusperes.',
      'Edastame koosoleku protokolli juhtumi kohta.',
      'Edastame koosoleku protokolli, lapse isikukood on lisas.',
    ]) {
      const c = byText(text);
      expect([text, c.category]).toEqual([text, undefined]);
      expect(c.reasons.at(-1)).toMatchObject({ rule: 'sisu-muu-lapse-juhtum' });
    }
  });
});

describe('support and yieldsTo in the rules file', () => {
  const file = rulesFileSchema.parse({
    version: 1,
    threshold: 3,
    margin: 2,
    fieldWeights: {},
    rules: [{ id: 'k', category: 'klat_arvamus', weight: 5, patterns: ['klat'] }],
    content: {
      weight: 1,
      threshold: 5,
      margin: 1,
      yieldFactor: 0.2,
      rules: [
        { id: 'ctx', category: 'klat_arvamus', weight: 4, support: true, patterns: ['kohus'] },
        { id: 'core', category: 'klat_arvamus', weight: 5, patterns: ['kinnine'] },
        { id: 'n', category: 'noustamine', weight: 5, yieldsTo: ['rahvusvaheline'], patterns: ['nou'] },
        { id: 'r', category: 'rahvusvaheline', weight: 6, patterns: ['norra'] },
      ],
    },
  });
  const compiled = compileRules(file);

  test('a support rule counts only beside a core rule of its category', () => {
    expect(classify(input(), compiled, 'kohus').reasons).toEqual([]);
    expect(classify(input(), compiled, 'kohus kinnine').scores).toEqual({ klat_arvamus: 9 });
  });

  test('a yielding rule scores × yieldFactor only when the category it yields to scores more', () => {
    expect(classify(input(), compiled, 'nou norra').scores).toEqual({ noustamine: 1, rahvusvaheline: 6 });
    expect(classify(input(), compiled, 'nou').scores).toEqual({ noustamine: 5 });
  });

  test('a bad yieldFactor or an unknown category is refused', () => {
    const bad = (content: object): boolean => rulesFileSchema.safeParse({ ...file, content: { ...file.content, ...content } }).success;
    expect(bad({ yieldFactor: 2 })).toBe(false);
    expect(bad({ rules: [{ id: 'x', category: 'noustamine', weight: 1, yieldsTo: ['nonsense'], patterns: ['a'] }] })).toBe(false);
  });
});

describe('side words of other genres', () => {
  test('a court hearing ("istung") does not make a KLAT request an administrative letter', () => {
    const c = byText('Kohus on määranud istungi alaealise kinnisesse lasteasutusse paigutamise asjas. Palume esitada arvamus enne istungit.');
    expect(c).toMatchObject({ category: 'klat_arvamus', confident: true });
    expect(c.reasons.filter((r) => r.category === 'muu')).toEqual([]);
  });

  test('"tagasi" looks back only after a span of time ("kaks aastat tagasi"), not in "tagasi tooma"', () => {
    expect(contentClauses('Pere kolis kaks aastat tagasi Soome', emphasis)[0]).toMatchObject({ emphasis: 'background' });
    expect(contentClauses('Isa ei too last Soomest tagasi', emphasis)[0]!.emphasis).toBeUndefined();
  });

  test('a side remark ("lisaks") weighs as background unless it asks itself', () => {
    expect(contentClauses('Lisaks osaleks ta hea meelega koolitusel.', emphasis)[0]).toMatchObject({ emphasis: 'background' });
    expect(contentClauses('Lisaks palume koolituse kava.', emphasis)[0]).toMatchObject({ emphasis: 'request' });
  });
});

describe('a request declined is no request', () => {
  test('a negated request verb ("ei küsi", "ei taotle", "pole vaja") makes its clause declined, the rest of its sentence background', () => {
    const e = (t: string): string | undefined => contentClauses(t, emphasis)[0]?.emphasis;
    expect(e('SKA arvamust me praegu ei küsi')).toBe('declined');
    expect(e('Uut mentorit me ei taotle')).toBe('declined');
    expect(e('Kinnise asutuse arvamust pole vaja')).toBe('declined');
    expect(e('Palume arvamust')).toBe('request');
    expect(contentClauses('Mentorit me ei vaja, sest meie uus töötaja on kogenud.', emphasis).map((c) => c.emphasis)).toEqual(['declined', 'background']);
  });

  test('a declined clause weighs less than a background one (content.emphasis.declined)', () => {
    expect(emphasis.declined).toBeLessThan(emphasis.background);
    const declined = byText('Mentorit me ei vaja.').scores.mentorlus ?? 0;
    const past = byText('Mentor oli meil varem.').scores.mentorlus ?? 0;
    expect(declined).toBeLessThan(past);
  });

  test('the category declined does not outweigh the one asked for in the same letter', () => {
    const c = byText('Kinnise lasteasutuse arvamust me praegu ei vaja, kohtusse me ei lähe. Palume juhtumi nõustamist, kuidas poissi toetada.');
    expect(c.best).toBe('noustamine');
    expect(c.category).not.toBe('klat_arvamus');
    for (const r of c.reasons.filter((x) => x.category === 'klat_arvamus')) expect(['background', 'declined']).toContain(r.emphasis);
  });

  test('one service declined and another asked for: the one asked for, with confidence', () => {
    const c = byText('Vastuseks Teie küsimusele: mentorit me ei vaja. Küll aga vajame supervisiooni kogu meeskonnale, sest inimesed on väsinud.');
    expect(c).toMatchObject({ category: 'toonoustamine', confident: true });
  });

  test('a matter asked about in a separate letter ("eraldi") is not this letter\'s request', () => {
    expect(contentClauses('Pöördume eraldi kirjaga ka grupisupervisiooni saamiseks.', emphasis)[0]?.emphasis).toBe('declined');
  });

  test('the addressee\'s earlier letter ("küsisite", "pakkusite") looks back', () => {
    expect(contentClauses('Teie kirjas küsisite, kas vajame supervisiooni.', emphasis)[0]?.emphasis).toBe('background');
    expect(contentClauses('Pakkusite meie töötajale mentorit.', emphasis)[0]?.emphasis).toBe('background');
  });
});

describe('a letter that declines or withdraws', () => {
  test('declining an offer and asking for nothing is "other" (sisu-muu-loobumine), and the word model does not confirm the service declined', () => {
    const c = byText(
      'Täname Teid kirja eest, milles pakkusite meie uuele lastekaitsespetsialistile kohta mentorprogrammis. Oleme otsustanud sellest praegu loobuda. Vajaduse tekkimisel pöördume Teie poole uuesti.',
    );
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-loobumine')).toMatchObject({ category: 'muu', matched: 'loobuda' });
    expect(c.category).not.toBe('mentorlus');
    expect(c.reasons.find((r) => r.rule === rules.content!.model!.id)).toBeUndefined();
  });

  test('withdrawing a request for an opinion is not a request for one', () => {
    const c = byText('Võtame tagasi oma 02.11.2026 taotluse Sotsiaalkindlustusameti arvamuse saamiseks kinnise lasteasutuse teenuse kohta. Poiss läks vabatahtlikult rehabilitatsiooni.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-loobumine')).toBeDefined();
    expect(c.category).not.toBe('klat_arvamus');
  });

  test('a decline beside a request is no letter of its own kind', () => {
    const c = byText('Supervisioonist me loobume. Palume aga mentorit uuele töötajale.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-loobumine')).toBeUndefined();
    expect(c.category).toBe('mentorlus');
  });
});

describe('a quoted passage is someone else\'s', () => {
  test('a passage in quotation marks („…“, «…», "…") is background whatever it asks', () => {
    const c = contentClauses('Teie kirjas märkisite: „Palume Teil kaaluda kinnise lasteasutuse teenust ja esitada kohtule avaldus.“ Palume nüüd nõustamist.', emphasis);
    expect(c.filter((x) => x.words.includes('kinnise')).map((x) => x.emphasis)).toEqual(['background']);
    expect(c.find((x) => x.words.includes('noustamist'))?.emphasis).toBe('request');
    expect(contentClauses('Kiri ütles: «Palume esitada arvamus kinnise lasteasutuse teenuse vajalikkuse kohta.»', emphasis).find((x) => x.words.includes('arvamus'))?.emphasis).toBe('background');
  });

  test('quotation marks unbalanced, nested or by the hundred thousand: classified at once (in seconds, not minutes)', () => {
    const texts = [
      `Palume nõustamist. ${'„'.repeat(100_000)}`,
      `${('„' + 'a'.repeat(2_999)).repeat(70)} Palume nõustamist.`,
      `${('"' + 'sõna '.repeat(20)).repeat(2_000)} Palume nõustamist.`,
      `«„"${'«„" tekst '.repeat(20_000)}`,
    ];
    for (const t of texts) {
      atOnce(() => {
        expect(() => contentClauses(t, emphasis)).not.toThrow();
        expect(() => byText(t)).not.toThrow();
      });
    }
  });

  test('a short name or title in quotation marks is not a quoted passage', () => {
    expect(contentClauses('Palume registreerida meid koolitusele „Laps keskmes“.', emphasis)[0]?.emphasis).toBe('request');
  });

  test('an earlier letter quoted in a reply does not outweigh what the reply asks for', () => {
    const c = byText(
      'Täname vastuse eest. Teie kirjas märkisite: „Sotsiaalkindlustusamet ei pea kinnise lasteasutuse teenust praegu põhjendatuks ning soovitab kohtule avaldust mitte esitada.“ Palume nüüd Sotsiaalkindlustusameti nõustamist juhtumi edasise plaani koostamisel.',
    );
    expect(c.best).toBe('noustamine');
    expect(c.category).not.toBe('klat_arvamus');
    for (const r of c.reasons.filter((x) => x.category === 'klat_arvamus')) expect(r.emphasis).toBe('background');
  });
});

describe('words every letter has are not "other"', () => {
  test('a contact person in the signature does not count as "other"; a change of contact person does', () => {
    const signed = byText('Palume määrata mentor meie uuele lastekaitsetöötajale. Kontaktisik: Mari Mets, tel 5555 1234.');
    expect(signed.reasons.find((r) => r.rule === 'sisu-muu-kontakt')).toBeUndefined();
    expect(signed).toMatchObject({ category: 'mentorlus', confident: true });
    expect(byText('Teatame, et alates detsembrist on meie uus kontaktisik Mari Mets.').reasons.find((r) => r.rule === 'sisu-muu-kontakt')).toBeDefined();
  });

  test('"Teie ettepanek" (a suggestion) is not a meeting\'s paper', () => {
    const c = byText('Lähtudes Teie ettepanekust palume nüüd nõustamist juhtumi edasise plaani koostamisel.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-koosolek')).toBeUndefined();
    expect(c.category).toBe('noustamine');
  });

  test('SKA\'s specialist asked to a case network\'s round table is counselling, not an event', () => {
    const c = byText('Käesolevaga palume Sotsiaalkindlustusameti spetsialisti osalemist juhtumivõrgustiku ümarlaual, kus arutame 11-aastase tüdruku abistamist.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-sundmus')).toBeUndefined();
    expect(c.best).toBe('noustamine');
  });
});

describe('complaints and research are muu', () => {
  test('a complaint about a mentor is not a request for mentoring', () => {
    const c = byText('Esitame kaebuse mentori tegevuse kohta: mentor kasutas meie töötaja juhtumit oma ettekandes. Uut mentorit me ei taotle. Palume selgitada, kuidas amet kaebuse läbi vaatab.');
    expect(c.category).not.toBe('mentorlus');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-kaebus')).toBeDefined();
  });

  test('a student researching supervision asks for an interview: never supervision with confidence', () => {
    const c = byText('Olen magistrant ja kirjutan magistritööd supervisiooni kasutamisest. Kas saaksin intervjueerida teie supervisiooni koordinaatorit?');
    expect(c.category).not.toBe('toonoustamine');
    expect(c.scores.muu).toBeGreaterThanOrEqual(c.scores.toonoustamine ?? 0);
  });
});

describe('words that look like a genre but are not', () => {
  test("a court ruling's appeal instructions (\"edasi kaevata\") are no complaint", () => {
    const c = byText('Küsida Sotsiaalkindlustusameti arvamust alaealise kinnise lasteasutuse teenusele paigutamise kohta. Määruse peale võib edasi kaevata 15 päeva jooksul.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-kaebus')).toBeUndefined();
    expect(c.category).toBe('klat_arvamus');
  });

  test('"nõustusid" (they agreed) is not counselling', () => {
    expect(byText('Vanemad ja kool nõustusid lahendusega.').reasons.find((r) => r.rule === 'sisu-noustamine')).toBeUndefined();
  });

  test("a journalist's questions are 'other'; an article of a regulation (\"artikli 15 alusel\") is not the press", () => {
    const press = byText('Olen ajakirjanik ja kirjutan artiklit lastekaitsetöötajate koormusest. Oleksin tänulik vastuste eest reedeks.');
    expect(press.reasons.find((r) => r.rule === 'sisu-muu-meedia')).toBeDefined();
    expect(press.best).toBe('muu');
    expect(byText('Palume teavet määruse 2019/1111 artikli 80 alusel.').reasons.find((r) => r.rule === 'sisu-muu-meedia')).toBeUndefined();
  });
});

describe('a letter that asks for nothing about a child\'s case', () => {
  test('thanks for help in a named family\'s case, asking for nothing, is "other" with confidence: the guard is for requests', () => {
    const c = byText('Soovin tänada teie spetsialisti, kes osales meie juhtumiarutelul. Tänu tema soovitustele läheb lapsel nüüd paremini ja juhtum on lõpetatud. Kirjutan ainult tänamiseks, oleme väga tänulikud.');
    expect(c).toMatchObject({ category: 'muu', confident: true });
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-tanukiri')).toBeDefined();
  });

  test('a letter about a child\'s case that asks something is still kept from "other" by the guard', () => {
    const c = byText('Täname koostöö eest. Palume saata teavet, kuidas 13-aastase poisi juhtum edasi läheb.');
    expect(c.category).not.toBe('muu');
  });
});

describe('a case to talk over, thanks passed on, registering for a service', () => {
  test('"kuidas edasi minna", "kas mul on alus" and a case to talk over with SKA\'s specialist are counselling', () => {
    const c = byText('Meil on 13-aastane tüdruk, kes lõikab ennast. Kuidas sellises olukorras õigesti edasi minna? Kas mul on alus suunata laps abile ilma ema nõusolekuta? Sooviksin teie spetsialistiga seda telefonis arutada.');
    expect(c).toMatchObject({ category: 'noustamine', confident: true });
    expect(c.reasons.find((r) => r.rule === 'sisu-noustamine-kuidas')?.matched).toBe('edasi minna');
  });

  test('"palun andke talle edasi minu suur aitäh" passes thanks on: a letter of thanks, not a request', () => {
    const c = byText('Tahan tänada teie spetsialisti, kes aitas mind ja mu lapselapsi. Palun andke talle edasi minu suur aitäh.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-tanukiri')).toBeDefined();
    expect(c.category).toBe('muu');
  });

  test('asking how to register for supervision asks for supervision, not for an event', () => {
    const c = byText('Kas SKA pakub sel aastal lastekaitsetöötajatele supervisiooni? Palun andke teada, kuidas registreeruda ja millal grupid algavad.');
    expect(c).toMatchObject({ category: 'toonoustamine', confident: true });
  });

  test('"tahaksin seda arutada teie spetsialistiga" and "mis on meie võimalused" ask for counselling', () => {
    const c = byText('Üks 16-aastane tüdruk ei ole kolm nädalat kodus käinud. Küsimus on: mis on meie võimalused? Tahaksin seda arutada teie spetsialistiga.');
    expect(c).toMatchObject({ category: 'noustamine', confident: true });
  });

  test('a regulation\'s articles ("artiklite 79–80 alusel") are not the press', () => {
    expect(byText('Palume aruannet määruse 2019/1111 artiklite 79–80 alusel Rootsi keskasutusele.').reasons.find((r) => r.rule === 'sisu-muu-meedia')).toBeUndefined();
  });
});

describe('a vendor and a foreign municipality', () => {
  test("a vendor's offer (\"hinnapakkumine\", \"soodustus\") is 'other'", () => {
    const c = byText('Pakume Sotsiaalkindlustusametile tõlketeenust erihinnaga, esimese tellimuse puhul kehtib 15% soodustus. Saadame meeleldi hinnapakkumise.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-pakkumine')).toBeDefined();
    expect(c.category).toBe('muu');
  });

  test('a Nordic municipality ("kommuun") and a return to Estonia are cross-border', () => {
    const c = byText('Palume Sotsiaalkindlustusametil võtta ühendust Odense kommuuniga ja aidata korraldada noormehe tagasitulek Eestisse.');
    expect(c).toMatchObject({ category: 'rahvusvaheline', confident: true });
  });
});

describe('gratitude in advance asks', () => {
  test('"oleksin tänulik" is a request, not a letter of thanks', () => {
    const c = byText('Alustasin sel kuul lastekaitsetöötajana. Kas amet saab mulle määrata mentori. Oleksin väga tänulik.');
    expect(c.reasons.find((r) => r.rule === 'sisu-muu-tanukiri')).toBeUndefined();
    expect(c).toMatchObject({ category: 'mentorlus', confident: true });
    // Thanks that look back are still a letter of thanks.
    expect(byText('Täname Teid mentorluse eest, see oli väga kasulik.').reasons.find((r) => r.rule === 'sisu-muu-tanukiri')).toBeDefined();
  });
});
