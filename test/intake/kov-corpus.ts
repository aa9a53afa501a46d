import { createHash } from 'node:crypto';
import { buildCapsuleToBuffer } from '../../src/capsule/build';
import { makeDraft } from '../../src/capsule/draft';
import { personalCode } from '../fixtures-gen/personal-code';
import { KOVS, kovDraftInput, type KovRequest } from './kov';

/**
 * The KOV request corpus (fixtures/capsules/kov): realistic requests to SKA's child-welfare
 * department in every category, worded in different ways, some without Estonian diacritics, with the
 * category and sub-kind the default rules must give. Every person and personal code is fictional (valid
 * checksums, test/fixtures-gen/personal-code.ts); 7500990x are fictional municipalities.
 */

export interface CorpusEntry extends KovRequest {
  file: string;
  expect: { category: string; subKind?: string } | 'triage';
}

const CHILD = [
  personalCode('F', '2012-04-11', 21),
  personalCode('M', '2010-11-30', 104),
  personalCode('M', '2013-02-07', 58),
  personalCode('F', '2009-08-19', 333),
  personalCode('M', '2011-06-25', 12),
];

const [TARTU, KASEMETSA, JARVESALU, POLLUMAE, KIVISILLA] = KOVS as [typeof KOVS[0], typeof KOVS[0], typeof KOVS[0], typeof KOVS[0], typeof KOVS[0]];

const KLAT_RTSM = `<klat:Taotlus xmlns:klat="urn:x-ska:klat:1"><klat:Teenus>kinnise lasteasutuse teenus</klat:Teenus><klat:Liik>pikendamine</klat:Liik></klat:Taotlus>`;

export const CORPUS: CorpusEntry[] = [
  // ---- KLAT arvamus ----
  { file: 'klat-01-esmane-taotlus.xml', kov: TARTU, title: 'Taotlus arvamuse saamiseks kinnise lasteasutuse teenuse osutamiseks (esmane)', abstract: `Laps ${CHILD[0]} vajab kinnise lasteasutuse teenust. Palume SKA arvamust kohtule esitamiseks.`, fileNames: ['taotlus.pdf', 'juhtumiplaan.pdf'], expect: { category: 'klat_arvamus', subKind: 'esmane' } },
  { file: 'klat-02-esmakordne-ascii.xml', kov: KASEMETSA, title: 'Arvamuse taotlus lapse esmakordseks paigutamiseks kinnisesse lasteasutusse', abstract: 'Lapse vabadust piirava meetme sobivuse hindamine', expect: { category: 'klat_arvamus', subKind: 'esmane' } },
  { file: 'klat-03-vabadust-piirav-meede.xml', kov: JARVESALU, title: 'Lapse vabadust piirava meetme sobivus - arvamuse küsimine', message: 'Palume arvamust 30 päeva jooksul.', expect: { category: 'klat_arvamus' } },
  { file: 'klat-04-lyhend.xml', kov: POLLUMAE, title: 'KLAT arvamuse taotlus', recordType: 'Taotlus', expect: { category: 'klat_arvamus' } },
  { file: 'klat-05-pikendamine.xml', kov: TARTU, title: 'Kinnise lasteasutuse teenuse pikendamine – SKA arvamuse taotlus', abstract: `Lapse ${CHILD[1]} teenuse tähtaeg lõpeb, taotleme pikendamist.`, expect: { category: 'klat_arvamus', subKind: 'pikendamine' } },
  { file: 'klat-06-pikendamine-ascii.xml', kov: KIVISILLA, title: 'kinnise lasteasutuse teenuse pikendamise taotlus', abstract: 'teenuse jatkamine on vajalik, palume arvamust', expect: { category: 'klat_arvamus', subKind: 'pikendamine' } },
  { file: 'klat-07-lopetamine.xml', kov: KASEMETSA, title: 'Kinnise lasteasutuse teenuse ennetähtaegne lõpetamine', abstract: 'Palume arvamust teenuse lõpetamise kohta.', expect: { category: 'klat_arvamus', subKind: 'lopetamine' } },
  { file: 'klat-08-lopetamine-ascii.xml', kov: POLLUMAE, title: 'KLAT teenuse lopetamine - arvamus', expect: { category: 'klat_arvamus', subKind: 'lopetamine' } },
  { file: 'klat-09-failinimi.xml', kov: JARVESALU, title: 'Arvamuse küsimine', abstract: 'Kohtule esitamiseks vajalik arvamus, vt lisatud taotlust.', fileNames: ['KLAT_taotlus_2026.pdf'], expect: { category: 'klat_arvamus' } },
  { file: 'klat-10-tyybimetaandmed.xml', kov: TARTU, title: 'Arvamuse taotlus', typeSpecific: KLAT_RTSM, expect: { category: 'klat_arvamus', subKind: 'pikendamine' } },
  { file: 'klat-11-suurtahed.xml', kov: KIVISILLA, title: 'TAOTLUS: LAPSE PAIGUTAMINE KINNISESSE LASTEASUTUSSE', expect: { category: 'klat_arvamus' } },
  { file: 'klat-12-noustamisega.xml', kov: KASEMETSA, title: 'Kinnise lasteasutuse teenuse vajadus ja nõustamine', abstract: 'Palume arvamust ning lisaks nõustamist juhtumi edasiseks korraldamiseks.', expect: { category: 'klat_arvamus' } },

  // ---- nõustamine ----
  { file: 'noustamine-01-taotlus.xml', kov: TARTU, title: 'Nõustamise taotlus lastekaitsejuhtumis', abstract: `Juhtum puudutab last ${CHILD[2]}.`, expect: { category: 'noustamine' } },
  { file: 'noustamine-02-ascii.xml', kov: KASEMETSA, title: 'noustamise taotlus', abstract: 'vajame noustamist keerulises lastekaitsejuhtumis', expect: { category: 'noustamine' } },
  { file: 'noustamine-03-siseriiklik.xml', kov: JARVESALU, title: 'Siseriikliku nõustamisteenuse taotlus', recordType: 'Taotlus', expect: { category: 'noustamine' } },
  { file: 'noustamine-04-juhtumikonsultatsioon.xml', kov: POLLUMAE, title: 'Juhtumikonsultatsiooni soov', abstract: 'Palume konsultatsiooni lapse hooldusõiguse küsimuses.', expect: { category: 'noustamine' } },
  { file: 'noustamine-05-liitsona.xml', kov: KIVISILLA, title: 'NÕUSTAMISTAOTLUS', expect: { category: 'noustamine' } },
  { file: 'noustamine-06-lastekaitsenoustamine.xml', kov: TARTU, title: 'Lastekaitsenõustamise vajadus perevägivalla juhtumis', expect: { category: 'noustamine' } },
  { file: 'noustamine-07-nouanne.xml', kov: KASEMETSA, title: 'Pöördumine', abstract: 'Palume SKA lastekaitse spetsialisti nõuannet lapse elukorralduse küsimuses.', message: 'Vajame nõuannet hiljemalt järgmisel nädalal.', expect: { category: 'noustamine' } },
  { file: 'noustamine-08-juhtumi-arutelu.xml', kov: JARVESALU, title: 'Taotlus juhtumi arutelu korraldamiseks', abstract: 'Soovime juhtumi arutelu SKA nõustajaga.', expect: { category: 'noustamine' } },
  { file: 'noustamine-09-failinimi.xml', kov: POLLUMAE, title: 'Pöördumine SKA poole', abstract: 'Juhtumi kirjeldus lisatud.', fileNames: ['noustamise_taotlus.pdf', 'juhtumi_kirjeldus.pdf'], expect: { category: 'noustamine' } },
  { file: 'noustamine-10-nou-kysimine.xml', kov: KIVISILLA, title: 'Nõu küsimine lastekaitsejuhtumis', expect: { category: 'noustamine' } },

  // ---- mentorlus ----
  { file: 'mentorlus-01-taotlus.xml', kov: TARTU, title: 'Mentorluse taotlus', abstract: 'Alustav lastekaitsetöötaja vajab mentorit.', expect: { category: 'mentorlus' } },
  { file: 'mentorlus-02-alustav.xml', kov: KASEMETSA, title: 'Mentori soov alustavale lastekaitsetöötajale', expect: { category: 'mentorlus' } },
  { file: 'mentorlus-03-programm.xml', kov: JARVESALU, title: 'MENTORPROGRAMMIGA liitumine', expect: { category: 'mentorlus' } },
  { file: 'mentorlus-04-ascii.xml', kov: POLLUMAE, title: 'mentorlus uuele lastekaitsetootajale', abstract: 'uue tootaja sisseelamise toetamine', expect: { category: 'mentorlus' } },
  { file: 'mentorlus-05-teenus.xml', kov: KIVISILLA, title: 'Taotlus: lastekaitsetöötaja mentorlusteenus', expect: { category: 'mentorlus' } },
  { file: 'mentorlus-06-sisseelamine.xml', kov: TARTU, title: 'Uue spetsialisti sisseelamise toetamine', abstract: 'Soovime mentorit tööleasumise esimesteks kuudeks.', expect: { category: 'mentorlus' } },
  { file: 'mentorlus-07-failinimi.xml', kov: KASEMETSA, title: 'Taotlus', abstract: 'Lisatud taotlus.', fileNames: ['mentorluse_taotlus.pdf'], expect: { category: 'mentorlus' } },

  // ---- töönõustamine / supervisioon ----
  { file: 'toonoustamine-01-taotlus.xml', kov: TARTU, title: 'Töönõustamise taotlus lastekaitsetöötajatele', expect: { category: 'toonoustamine' } },
  { file: 'toonoustamine-02-ascii.xml', kov: KASEMETSA, title: 'toonoustamine lastekaitsemeeskonnale', expect: { category: 'toonoustamine' } },
  { file: 'toonoustamine-03-supervisioon.xml', kov: JARVESALU, title: 'Supervisiooni taotlus', abstract: 'Meeskond vajab supervisiooni.', expect: { category: 'toonoustamine' } },
  { file: 'toonoustamine-04-grupisupervisioon.xml', kov: POLLUMAE, title: 'Grupisupervisioon lastekaitsetöötajatele', expect: { category: 'toonoustamine' } },
  { file: 'toonoustamine-05-kovisioon.xml', kov: KIVISILLA, title: 'Kovisiooni korraldamine', abstract: 'Soovime kovisiooni korraldamist valla lastekaitsetöötajatele.', expect: { category: 'toonoustamine' } },
  { file: 'toonoustamine-06-tooalane.xml', kov: TARTU, title: 'Tööalane nõustamine lastekaitsetöötajale', expect: { category: 'toonoustamine' } },
  { file: 'toonoustamine-07-labipolemine.xml', kov: KASEMETSA, title: 'Läbipõlemise ennetamine', abstract: 'Palume supervisiooni või töönõustamist meeskonnale.', expect: { category: 'toonoustamine' } },

  // ---- rahvusvaheline ----
  { file: 'rahvusvaheline-01-paring.xml', kov: TARTU, title: 'Rahvusvahelise juhtumi päring', abstract: `Laps ${CHILD[3]} elab ema juures Soomes.`, expect: { category: 'rahvusvaheline' } },
  { file: 'rahvusvaheline-02-piiriulene.xml', kov: KASEMETSA, title: 'Piiriülene lastekaitsejuhtum – Soome', expect: { category: 'rahvusvaheline' } },
  { file: 'rahvusvaheline-03-valisriik.xml', kov: JARVESALU, title: 'Lapse elukoha väljaselgitamine välisriigis', expect: { category: 'rahvusvaheline' } },
  { file: 'rahvusvaheline-04-brussel.xml', kov: POLLUMAE, title: 'Brüsseli IIb määruse alusel taotlus', abstract: 'Taotlus teise liikmesriigi keskasutusele edastamiseks.', expect: { category: 'rahvusvaheline' } },
  { file: 'rahvusvaheline-05-haagi.xml', kov: KIVISILLA, title: 'Haagi 1996. aasta konventsiooni artikli 33 konsultatsioon', expect: { category: 'rahvusvaheline' } },
  { file: 'rahvusvaheline-06-ascii.xml', kov: TARTU, title: 'piiriulene juhtum, laps viibib Rootsis', abstract: `laps ${CHILD[4]}`, expect: { category: 'rahvusvaheline' } },
  { file: 'rahvusvaheline-07-valismaal.xml', kov: KASEMETSA, title: 'Laps viibib välismaal – abi vajadus', abstract: 'Perekond kolis Saksamaale.', expect: { category: 'rahvusvaheline' } },

  // ---- muu ----
  { file: 'muu-01-teabenoue.xml', kov: TARTU, title: 'Teabenõue', abstract: 'Palume väljastada 2025. aasta kokkuvõtte.', expect: { category: 'muu' } },
  { file: 'muu-02-arve.xml', kov: KASEMETSA, title: 'Arve nr 2026-15', access: 'Avalik', expect: { category: 'muu' } },
  { file: 'muu-03-kutse.xml', kov: JARVESALU, title: 'Kutse koolitusele: lastekaitse infopäev', access: 'Avalik', expect: { category: 'muu' } },
  { file: 'muu-04-statistika.xml', kov: POLLUMAE, title: 'Statistika aruanne 2025', access: 'Avalik', expect: { category: 'muu' } },
  { file: 'muu-05-teabenoue-ascii.xml', kov: KIVISILLA, title: 'teabenoue menetluse kohta', expect: { category: 'muu' } },

  // ---- nothing to go on: a person decides ----
  { file: 'triage-01-dokument.xml', kov: TARTU, title: 'Dokument', abstract: 'Edastame dokumendi.', expect: 'triage' },
  { file: 'triage-02-kiri.xml', kov: KASEMETSA, title: 'Kiri', expect: 'triage' },
];

const NOW = new Date('2026-03-02T08:15:00Z');

function guids(seed: string): () => string {
  let n = 0;
  return () => {
    const h = createHash('sha256').update(`${seed}/${n++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

/** The corpus capsule of `e`, deterministic (fixed clock, GUIDs from the file name). */
export async function corpusCapsule(e: CorpusEntry, i: number): Promise<Buffer> {
  const input = kovDraftInput({ ...e, originalIdentifier: e.originalIdentifier ?? `7-1/2026-${String(200 + i)}`, registeredAt: NOW });
  const draft = makeDraft(input, { now: NOW, newGuid: guids(e.file) });
  if (e.typeSpecific) draft.recordTypeSpecificMetadata = e.typeSpecific;
  return buildCapsuleToBuffer(draft);
}
