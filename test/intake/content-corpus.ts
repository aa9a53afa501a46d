import type { Category } from '../../src/cases/categories';
import type { DocumentFormat } from '../fixtures-gen/documents';
import { personalCode } from '../fixtures-gen/personal-code';

/**
 * Requests as KOV document systems send them: a generic title ("Kiri", "Dokument", "Pöördumine") and what
 * they are about only in the letter inside the file. Written in varied everyday wording of Estonian
 * child-protection letters (inflected, some without diacritics), not in the words of the rules. Every
 * person and code is fictional (codes from ./personal-code).
 */

export interface ContentRequest {
  id: string;
  title: string;
  format: DocumentFormat;
  category: Category;
  body: string[];
}

const TITLES = ['Kiri', 'Dokument', 'Pöördumine', 'Kiri', 'Dokument'];
const FORMATS: DocumentFormat[] = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];
const KOVS = ['Tartu Linnavalitsus', 'Kasemetsa Vallavalitsus', 'Järvesalu Vallavalitsus', 'Põllumäe Vallavalitsus', 'Kivisilla Linnavalitsus'];
const WORKERS = ['Mari Maasikas', 'Jüri Õunapuu', 'Kätlin Šmidt', 'Tõnu Žukov', 'Ülle Kask'];

function letter(i: number, lines: string[]): string[] {
  const kov = KOVS[i % KOVS.length]!;
  const who = WORKERS[(i * 3) % WORKERS.length]!;
  return [
    kov,
    'Sotsiaalkindlustusamet, Laste heaolu osakond',
    `${10 + (i % 18)}.0${1 + (i % 9)}.2026 nr 12-3/${100 + i}`,
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    ...lines,
    'Lugupidamisega',
    `${who}\nlastekaitsespetsialist\n${kov}\ntel 5${String(1000000 + i * 7919).slice(0, 7)}`,
  ];
}

const child = (i: number): string => personalCode(i % 2 ? 'M' : 'F', `20${String(10 + (i % 9)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 9}`, 100 + i);

const BODIES: Record<Category, ((i: number) => string[])[]> = {
  klat_arvamus: [
    (i) => [`Vallavalitsus kavatseb pöörduda maakohtusse, et taotleda 14-aastase poisi (isikukood ${child(i)}) paigutamist kinnisesse lasteasutusse.`, 'Palume Sotsiaalkindlustusameti arvamust lastekaitseseaduse § 45 alusel.'],
    () => ['Noormees on korduvalt põgenenud asenduskodust ja tema käitumine ohustab tema enda tervist.', 'Soovime teada ameti seisukohta kinnise lasteasutuse teenuse vajalikkuse kohta, et esitada see kohtule.'],
    () => ['Tüdruku kinnises asutuses viibimise tähtaeg saab peagi läbi.', 'Kohaliku omavalitsuse hinnangul on vajalik meetme pikendamine veel kuueks kuuks. Ootame Teie arvamust hiljemalt kuu aja jooksul.'],
    () => ['Seoses lapse vabadust piirava teenuse lõpetamisega enne tähtaega palume Sotsiaalkindlustusameti hinnangut.', 'Lapse olukord on paranenud ja ta naaseb perre.'],
    (i) => [`Taotleme arvamust lapse ${child(i)} suunamiseks KLAT-i.`, 'Laps tarvitab sõltuvusaineid ja on korduvalt toime pannud õigusrikkumisi; tavapärased meetmed ei ole aidanud.'],
    () => ['Maakohus on palunud esitada kohtule arvamus kinnise lasteasutuse teenuse jätkamise kohta.', 'Lisame juhtumiplaani ja võrgustiku kohtumise protokolli.'],
    () => ['Lapsevanemad ja võrgustik on seisukohal, et noor vajab tugevama järelevalvega kohta.', 'Kaalume taotluse esitamist lapse paigutamiseks kinnisele teenusele ning ootame ameti kirjalikku arvamust.'],
    () => ['Palume SKA arvamust: laps vajab kinnist lasteasutust, kuna tema kaitumine on ohtlik nii talle endale kui teistele.', 'Kohtumaaruse taotlus on koostamisel.'],
    () => ['Esmakordne pöördumine: 15-aastase tüdruku liikumisvabaduse piiramise vajadus.', 'Tüdruk lahkub öösiti kodust ja satub ohtlikesse olukordadesse. Palume ameti arvamust enne kohtusse pöördumist.'],
  ],
  noustamine: [
    () => ['Meie vallas on keeruline lastekaitsejuhtum, kus vanemad ei tee koostööd.', 'Vajame Sotsiaalkindlustusameti spetsialisti nõu, kuidas edasi tegutseda.'],
    () => ['Palun nõustamist juhtumis, kus laps keeldub kooli minemast ja pere on abi suhtes vastuseisus.'],
    () => ['Soovime juhtumikonsultatsiooni: 8-aastase lapse hooldusõiguse vaidlus, mõlemad vanemad esitavad vastukäivaid väiteid.'],
    () => ['Lastekaitsespetsialist vajab tuge keerulise perevägivalla juhtumi lahendamisel.', 'Ootame soovitusi edasiste sammude osas ning võimalusel juhtumi arutelu.'],
    () => ['Pöördume Teie poole nõuande saamiseks seoses lapse elukorraldusega pärast vanemate lahuminekut.'],
    (i) => [`Kas SKA saaks meid nõustada olukorras, kus lapse (${child(i)}) vanaema soovib last enda juurde elama võtta, kuid ema on vastu?`],
    () => ['vajame noustamist lapse hooletusse jatmise juhtumis, pere on kolinud meie valda hiljuti ja varasem info puudub'],
    () => ['Küsime Teie spetsialistide nõuandeid, kuidas toimida, kui teismeline keeldub igasugusest suhtlusest.', 'Juhtum on meie menetluses olnud pool aastat.'],
  ],
  mentorlus: [
    () => ['Meie valda asus tööle uus lastekaitsetöötaja, kes alustas ametis eelmisel kuul.', 'Soovime talle mentorit Sotsiaalkindlustusameti programmist.'],
    () => ['Palume võimalust liituda mentorprogrammiga meie alustaval lastekaitsespetsialistil.'],
    () => ['Meie äsja ametisse asunud spetsialist vajab esimesel tööaastal kogenud kolleegi tuge.'],
    () => ['Noor spetsialist lõpetas kevadel ülikooli ja alustab lastekaitsetööd. Taotleme talle mentorlust.'],
    () => ['Soovime, et uuele töötajale määrataks mentor sisseelamise toetamiseks.'],
    () => ['Kolleeg, kes alles alustab tööd lastekaitses, vajab juhendajat, kes aitaks tal ametisse sisse elada.'],
    () => ['Taotleme mentorlust kahele uuele lastekaitsetöötajale, kes asuvad tööle septembris.'],
    () => ['uus tootaja vajab mentorit, kes aitaks tal esimestel kuudel juhtumitega toime tulla'],
  ],
  toonoustamine: [
    () => ['Meie lastekaitse meeskond on viimastel kuudel olnud suure koormuse all ning vajame supervisiooni.'],
    () => ['Soovime tellida töönõustamist osakonna töötajatele, kuna mitu kolleegi tunnevad läbipõlemise märke.'],
    () => ['Palume korraldada meie lastekaitsespetsialistidele kovisiooni kord kuus.'],
    () => ['Töötajate emotsionaalne koormus on kasvanud pärast rasket juhtumit. Soovime meeskonnale töönõustaja tuge.'],
    () => ['Lastekaitsetöötajad on kurnatud ja vajavad välist tuge; palume võimalust saada töönõustamist.'],
    () => ['Meie töötajad vajavad supervisiooni, et ennetada läbipõlemist.'],
    () => ['Taotleme tööalast nõustamist lastekaitse meeskonnale, kes on viimasel ajal kogenud suurt tööstressi.'],
    () => ['soovime supervisiooni ja toonoustamist meie osakonnale'],
  ],
  rahvusvaheline: [
    () => ['Perekond kolis eelmisel aastal Soome, lapse isa elab endiselt Eestis.', 'Palume abi piiriülese juhtumi lahendamisel.'],
    () => ['Lapse ema viis lapse ilma isa nõusolekuta Rootsi.', 'Kas Sotsiaalkindlustusamet kui keskasutus saaks algatada Haagi konventsiooni alusel menetluse?'],
    () => ['Laps elab välisriigis ning sealne lastekaitseasutus on palunud meilt teavet pere olukorra kohta.'],
    () => ['Ukrainast saabunud saatjata alaealine vajab eestkostjat ja elukohta.'],
    () => ['Saksamaa ametiasutus teatas, et Eesti kodanikust laps on paigutatud sealsesse asenduskoju.'],
    () => ['Norras elav ema soovib last enda juurde võtta; palume vahendada suhtlust Norra lastekaitsega ja selgitada rahvusvahelist menetlust.'],
    () => ['Lapse isa elab Lätis ja ei maksa elatist; palume abi välisriigi asutusega suhtlemisel.'],
    () => ['Pere plaanib lapsega välismaale kolida, kuigi lastekaitse juhtum on pooleli. Palume juhiseid piiriüleses koostöös.'],
  ],
  muu: [
    () => ['Kutsume Sotsiaalkindlustusameti esindaja osalema maakondlikul lastekaitse infopäeval 12. märtsil.'],
    () => ['Edastame arve lastekaitsetöötajate koolituse ruumide rendi eest. Palume tasuda 14 päeva jooksul.'],
    () => ['Saadame teadmiseks valla lastekaitse aastaaruande.'],
    () => ['Palume vastata küsitlusele laste heaolu teenuste kohta hiljemalt reedeks.'],
    () => ['Korraldame konverentsi "Laps keskmes" ning ootame Teie spetsialiste esinema.'],
    () => ['Palume väljastada meie valla lastekaitse juhtumite statistika eelmise aasta kohta.'],
    () => ['Seminarile registreerimine on avatud kuni 20. aprillini, lisatud on päevakava.'],
    () => ['Teabenõue: palume saata asutuse dokumendiregistri väljavõte jaanuari kohta.'],
  ],
};

/** Every category's letters, in turn over titles and file formats. */
export function contentCorpus(): ContentRequest[] {
  const out: ContentRequest[] = [];
  let i = 0;
  for (const [category, bodies] of Object.entries(BODIES) as [Category, ((i: number) => string[])[]][]) {
    bodies.forEach((body, k) => {
      out.push({ id: `${category}-${k + 1}`, title: TITLES[i % TITLES.length]!, format: FORMATS[i % FORMATS.length]!, category, body: letter(i, body(i)) });
      i++;
    });
  }
  return out;
}
