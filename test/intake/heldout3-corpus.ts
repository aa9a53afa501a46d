import type { Category } from '../../src/cases/categories';
import type { DocumentFormat } from '../fixtures-gen/documents';
import { personalCode } from '../fixtures-gen/personal-code';

/**
 * The third held-out corpus: 60 requests to SKA's child-welfare department (10 per category) whose generic title
 * says nothing — what each is about is stated only inside its file. Written independently of the rules file:
 * varied authors (KOV child-protection workers, heads of social departments, municipal secretaries, county
 * courts, parents, school social pedagogues), lengths, registers, passing mentions of other topics, a few
 * without diacritics or with typos. Every name is fictional; personal codes come from the fixture generator.
 * Formats rotate over the six the text step reads; 12 letters (PDF or DOCX) travel inside an ASiC-E.
 */

export type Heldout3Title = 'Kiri' | 'Dokument' | 'Pöördumine' | 'Vastus' | 'Info' | 'Taotlus';

export interface Heldout3Letter {
  id: string;
  category: Category;
  title: Heldout3Title;
  format: DocumentFormat;
  fileName: string;
  /** The ASiC-E's name when the letter travels in one. */
  container?: string;
  paragraphs: string[];
}

interface Draft {
  id: string;
  category: Category;
  title: Heldout3Title;
  paragraphs: string[];
}

const FORMATS: DocumentFormat[] = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];
const EXT: Record<DocumentFormat, string> = { pdf: 'pdf', docx: 'docx', odt: 'odt', rtf: 'rtf', html: 'html', txt: 'txt' };

/** Letters that travel inside an ASiC-E: two per category, each a PDF or DOCX under the rotation below. */
const BOXED = new Set(['k2', 'k7', 'n4', 'n10', 'm5', 'm6', 't1', 't8', 'r3', 'r9', 'u5', 'u6']);

const c1 = personalCode('M', '2011-04-17', 274);
const c2 = personalCode('F', '2012-09-02', 31);
const c3 = personalCode('M', '2010-12-23', 518);
const c4 = personalCode('F', '2015-06-11', 102);
const c5 = personalCode('M', '2018-01-30', 77);

const DRAFTS: Draft[] = [
  // ---- klat_arvamus: SKA's opinion on placing a child in a closed childcare institution ----
  {
    id: 'k1',
    category: 'klat_arvamus',
    title: 'Kiri',
    paragraphs: [
      'Sotsiaalkindlustusamet, laste heaolu osakond',
      'Lugupeetud ametnik',
      `Rae Vallavalitsus palub Sotsiaalkindlustusameti arvamust alaealise Kevin Lepiku (isikukood ${c1}) kinnisesse lasteasutusse paigutamise kohta. Vallavalitsus kavatseb pöörduda Harju Maakohtusse avaldusega lapse paigutamiseks kinnise lasteasutuse teenusele.`,
      'Kevin on 15-aastane. Viimase aasta jooksul on ta korduvalt kodust ära jooksnud, kooli ei külasta alates septembrist ning on politsei andmetel tarvitanud narkootilisi aineid. Rakendatud on tugiisikuteenust, perelepitust, noorte psühhiaatri konsultatsioone ja alaealiste komisjoni mõjutusvahendit, kuid olukord ei ole paranenud.',
      'Lisatud on juhtumiplaan, kooli iseloomustus ja psühhiaatri hinnang. Palume arvamus esitada seaduses ettenähtud 30 päeva jooksul.',
      'Lugupidamisega',
      'Triin Saarepuu, lastekaitsespetsialist',
    ],
  },
  {
    id: 'k2',
    category: 'klat_arvamus',
    title: 'Dokument',
    paragraphs: [
      'TARTU MAAKOHUS',
      'MÄÄRUS',
      'Tsiviilasi nr 2-26-14873, avaldaja Tartu Linnavalitsus, huvitatud isik alaealine Mirjam Põder.',
      'Tartu Linnavalitsus on esitanud kohtule avalduse alaealise lapse kinnisesse lasteasutusse paigutamiseks kuni üheks aastaks. Lastekaitseseaduse kohaselt tuleb enne lapse kinnisesse lasteasutusse paigutamist ära kuulata Sotsiaalkindlustusameti arvamus.',
      'Kohus määras: kohustada Sotsiaalkindlustusametit esitama kohtule kirjalik arvamus lapse kinnisesse lasteasutusse paigutamise vajalikkuse ja põhjendatuse kohta 30 päeva jooksul määruse kättesaamisest.',
      'Kohtunik Andres Kaljuvee',
    ],
  },
  {
    id: 'k3',
    category: 'klat_arvamus',
    title: 'Pöördumine',
    paragraphs: [
      'Tere',
      'palun SKA arvamust kinnisesse lasteasutusse suunamiseks, laps 14 a, poiss. Taotlus, juhtumiplaan ja kooli kiri manuses. Kohtusse tahame avalduse anda jaanuari alguses.',
      'Parimat',
      'Marko Tammik, Narva-Joesuu linnavalitsus, lastekaitse',
    ],
  },
  {
    id: 'k4',
    category: 'klat_arvamus',
    title: 'Taotlus',
    paragraphs: [
      'Sotsiaalkindlustusametile',
      'Viljandi Vallavalitsuse sotsiaalosakond taotleb Teie seisukohta alaealise Sandra Kivi suunamise kohta kinnisesse lasteasutusse.',
      'Sandra juhtumiga on tegeletud alates 2024. aastast. Oleme varasemalt saanud Teie osakonnalt ka juhtumipõhist nõustamist ning selle käigus soovitatud meetmed (pereteraapia, noorte tugiprogramm, asenduskoduteenus) on ära proovitud. Sandra lahkub asenduskodust öösiti, tema suhtes on alustatud mitu väärteomenetlust ja ta on kahel korral vajanud erakorralist meditsiinilist abi.',
      'Peame vajalikuks tüdruku paigutamist kinnise lasteasutuse teenusele ning palume ametilt sellekohast arvamust, mis lisatakse maakohtule esitatavale avaldusele.',
      'Heli Mäeots',
      'sotsiaalosakonna juhataja',
    ],
  },
  {
    id: 'k5',
    category: 'klat_arvamus',
    title: 'Vastus',
    paragraphs: [
      'Saaremaa Vallavalitsus',
      'Vastuseks Teie 12.11.2026 kirjale teatame, et vald on otsustanud siiski esitada kohtule avalduse alaealise Rasmus Oja paigutamiseks kinnisesse lasteasutusse. Palume seetõttu Sotsiaalkindlustusameti arvamust lapse kinnise lasteasutuse teenusele paigutamise kohta.',
      'Dokumendid, mida Te eelmises kirjas küsisite (psühholoogi hinnang ja kooli tugimeeskonna kokkuvõte), on lisatud.',
      'Lugupidamisega',
      'Kadri Laur, vallasekretär',
    ],
  },
  {
    id: 'k6',
    category: 'klat_arvamus',
    title: 'Info',
    paragraphs: [
      'Pärnu Maakohus',
      'Kohus teavitab, et menetluses on tsiviilasi nr 2-26-9911 alaealise Oliver Rebase kinnisesse lasteasutusse paigutamiseks loa andmise avalduse läbivaatamiseks.',
      'Kohus palub Sotsiaalkindlustusametil esitada arvamus lapse kinnisesse lasteasutusse paigutamise kohta hiljemalt 30 päeva jooksul. Arvamuses palume käsitleda, kas lapse abivajadust on võimalik rahuldada muude meetmetega.',
      'Istungi aeg teatatakse eraldi.',
      'Kohtujurist Liisa Orav',
    ],
  },
  {
    id: 'k7',
    category: 'klat_arvamus',
    title: 'Kiri',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
      `Pöördun Teie poole Põlva valla nimel seoses alaealise Karl-Erik Mäe (isikukood ${c3}) olukorraga. Karl-Erik elab koos ema ja kahe noorema õega. Isa ei osale lapse elus. Ema on korduvalt pöördunud valla poole abi saamiseks, sest ta ei tule poja käitumisega toime.`,
      'Kahe viimase aasta jooksul on Karl-Erik olnud mitmel korral politsei vaateväljas: vargused, kaklused, alkoholi tarvitamine. Koolis on tal suured puudumised ja ta on jäänud klassikursust kordama. Noorsoopolitseiniku, kooli sotsiaalpedagoogi ja lastekaitse koostöös on rakendatud tugiisikut, huvitegevust, psühholoogilist nõustamist ning lühiajalist asendushooldust. Samuti osales poiss noorte riskikäitumise programmis, kuid katkestas selle.',
      'Hiljuti lahkus Karl-Erik kodust kolmeks päevaks ja leiti lõpuks naabervallast väga halvas seisundis. Arst hindas tema tervise ohtu sattunuks. Ema on nõus, et poiss vajab turvalist ja piiratud keskkonda.',
      'Eeltoodust tulenevalt kaalub vald kohtule avalduse esitamist lapse paigutamiseks kinnisesse lasteasutusse. Palume Sotsiaalkindlustusametilt arvamust, kas kinnise lasteasutuse teenus on lapse huvides põhjendatud.',
      'Lisad: juhtumiplaan, kooli iseloomustus, psühholoogi kokkuvõte, arsti tõend.',
      'Lugupidamisega',
      'Eve Kask',
      'lastekaitsespetsialist',
    ],
  },
  {
    id: 'k8',
    category: 'klat_arvamus',
    title: 'Pöördumine',
    paragraphs: [
      'tere,',
      'Saadan teile meie valla taotluse arvamuse saamiseks, et suunata 13 aastane tudruk kinisesse lasteasutusse. Olukord on kriitiline, laps on olnud mitu korda kadunud ja suhtleb täiskasvanud meestega internetis. Kohtuga oleme ühendust võtnud, nemad ootavad teie arvamust.',
      'Lisasin ka politsei teatise.',
      'Anneli Pukk',
      'Kohila vald',
    ],
  },
  {
    id: 'k9',
    category: 'klat_arvamus',
    title: 'Dokument',
    paragraphs: [
      'Täiendus taotlusele',
      'Jõgeva Vallavalitsus täiendab oma 03.11.2026 esitatud taotlust Sotsiaalkindlustusameti arvamuse saamiseks alaealise Artur Sepa kinnisesse lasteasutusse paigutamise küsimuses.',
      'Lisame värske psühhiaatri hinnangu ja teabe selle kohta, et lapse ema on avaldanud nõusolekut kinnise lasteasutuse teenuse kasutamiseks. Palume arvamuse koostamisel arvestada ka lisatud materjale.',
      'Lugupidamisega',
      'Kaire Uibo, lastekaitsespetsialist',
    ],
  },
  {
    id: 'k10',
    category: 'klat_arvamus',
    title: 'Taotlus',
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Taotlus arvamuse saamiseks',
      'Anija Vallavalitsus kavatseb esitada Harju Maakohtule avalduse alaealise Diana Kuuse kinnisesse lasteasutusse paigutamiseks. Diana elas kuni eelmise aastani koos emaga Soomes ning tuli tagasi Eestisse vanaema juurde, kes ei suuda enam last kontrollida.',
      'Tüdruk on süstemaatiliselt koolist puudunud, ähvardanud end vigastada ning lahkunud kodust mitmeks päevaks. Muud abinõud ei ole tulemust andnud.',
      'Palume Sotsiaalkindlustusameti arvamust lapse kinnisesse lasteasutusse paigutamise kohta.',
      'Maris Kuldkepp',
      'lastekaitsespetsialist',
    ],
  },

  // ---- noustamine: counselling on a child-protection case ----
  {
    id: 'n1',
    category: 'noustamine',
    title: 'Kiri',
    paragraphs: [
      'Tere',
      'Meil on menetluses keeruline juhtum: lahutatud vanemad vaidlevad 8-aastase poja suhtluskorra üle ja poiss keeldub isaga kohtumast. Isa süüdistab ema lapse mõjutamises, ema väidab, et laps kardab isa. Kohtus on suhtluskorra asi pooleli ja kohus on küsinud valla arvamust.',
      'Sooviksime Sotsiaalkindlustusameti lastekaitse nõustamist, kuidas last ära kuulata ja millised soovitused kohtule anda. Kas oleks võimalik kokku leppida nõustamine järgmisel nädalal?',
      'Tänan',
      'Liina Vares',
      'Kambja valla lastekaitsespetsialist',
    ],
  },
  {
    id: 'n2',
    category: 'noustamine',
    title: 'Pöördumine',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusamet',
      'Olen kolme lapse ema ja pöördun Teie poole, sest ei tea enam, kelle poole minna. Meie valla lastekaitsetöötaja on otsustanud, et minu vanim poeg vajab asendushooldust, kuid minuga ei ole keegi korralikult rääkinud. Poeg on 12-aastane ja tal on ATH diagnoos.',
      'Palun Teie nõu, mida ma saan teha ja kas vald on toiminud õigesti. Sooviksin, et keegi vaataks meie lapse juhtumi üle ja annaks nõu, kuidas edasi minna.',
      'Lugupidamisega',
      'Kristiina Vaher',
    ],
  },
  {
    id: 'n3',
    category: 'noustamine',
    title: 'Info',
    paragraphs: [
      'Tere!',
      'Olen Tabasalu kooli sotsiaalpedagoog. Meie 4. klassi õpilasel on korduvalt olnud sinikaid ja ta ütles klassijuhatajale, et kasuisa lööb teda. Teavitasime valda ja politseid, kuid vald ei ole kaks nädalat midagi teinud ja laps käib edasi koolis hirmunult.',
      'Vajame nõu, kuidas sellises olukorras edasi tegutseda ja kuidas last koolis toetada. Kas Sotsiaalkindlustusamet saab selle lapse juhtumis nõustada?',
      'Pille Koppel',
      'sotsiaalpedagoog',
    ],
  },
  {
    id: 'n4',
    category: 'noustamine',
    title: 'Taotlus',
    paragraphs: [
      'Palume nõustamist abivajava lapse juhtumi osas. Tegemist on 6-aastase lapsega, kelle vanemad on sõltuvusprobleemidega. Täpsem info juhtumi kohta lisatud.',
      'Lugupidamisega',
      'Helen Aas, Lääne-Nigula vald',
    ],
  },
  {
    id: 'n5',
    category: 'noustamine',
    title: 'Kiri',
    paragraphs: [
      'Tere',
      'Olen Marteni vanaisa. Vald eraldas lapse tema emast kaks kuud tagasi ja paigutas ta asenduskodusse, kuigi mina ja mu naine oleksime valmis teda enda juurde võtma. Meile öeldi, et peame ootama.',
      'Palun andke nõu, kuidas me saaksime lapse enda juurde võtta, kas me peaksime taotlema eestkostet või hoopis perekonnas hooldamist. Vallaga suhtlemine on väga raske.',
      'Lugupidamisega',
      'Jaan Kärner',
    ],
  },
  {
    id: 'n6',
    category: 'noustamine',
    title: 'Dokument',
    paragraphs: [
      'Sotsiaalkindlustusameti laste heaolu osakonnale',
      `Tapa Vallavalitsus palub juhtumipõhist nõustamist seoses alaealise Emma Leesi (isikukood ${c4}) juhtumiga. Lapsega on seotud mitu asutust: perearst, lasteaed, rehabilitatsiooniasutus ja politsei, kuid võrgustiku tegevus ei ole kooskõlas ning ema ei tee koostööd.`,
      'Emmal on kõnearengu mahajäämus ja lasteaia hinnangul on ta sageli hooletusse jäetud. Ema on öelnud, et kolib peagi teise valda. Soovime, et Sotsiaalkindlustusameti spetsialist osaleks võrgustikukohtumisel ning annaks soovitusi lapse abivajaduse hindamiseks ja juhtumiplaani koostamiseks.',
      'Kontaktisik: Raili Sepp, lastekaitsespetsialist, tel 5550 1234.',
    ],
  },
  {
    id: 'n7',
    category: 'noustamine',
    title: 'Pöördumine',
    paragraphs: [
      'Tere',
      'kas te saaksite meid noustada uhe juhtumi osas? Isa kasvatab 3 last uksi, ema suri kevadel. Kool annab teada et vanem tudruk on masenduses ja ei soo. Isa ei taha abi vastu votta. Ei tea kuidas edasi minna, kas teha abivajaduse hindamine voi mida.',
      'Tervitades',
      'Merle, Alutaguse vald',
    ],
  },
  {
    id: 'n8',
    category: 'noustamine',
    title: 'Vastus',
    paragraphs: [
      'Lugupeetud kolleegid',
      'Vastuseks Teie küsimusele teatame, et perekonnas on olukord viimase kuu jooksul veelgi halvenenud. Kaalume lapse perest eraldamist, kuid ei ole kindlad, kas see on proportsionaalne abinõu, kuna vanemad on viimastel nädalatel nõustunud perenõustaja juures käima.',
      'Palume Teie nõu juhtumi osas: kas selles olukorras oleks õigem jätkata toetavate teenustega või lapse kodust eraldada? Kas amet saaks meiega juhtumit arutada?',
      'Lugupidamisega',
      'Ülle Rand, Valga valla lastekaitsespetsialist',
    ],
  },
  {
    id: 'n9',
    category: 'noustamine',
    title: 'Info',
    paragraphs: [
      'Tere',
      'Olen perekonnas hooldaja, minu juures elab kaks last. Noorema lapse bioloogiline isa on hakanud lapsele sotsiaalmeedias kirjutama ja kohtumisi nõudma, kuigi suhtluskorda ei ole määratud. Valla lastekaitsetöötaja on puhkusel.',
      'Palun nõu, kuidas toimida ja kas ma tohin isa suhtlust lapsega piirata.',
      'Aitäh',
      'Marika Lumi',
    ],
  },
  {
    id: 'n10',
    category: 'noustamine',
    title: 'Taotlus',
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Kehtna Vallavalitsus pöördub ameti poole nõustamise saamiseks järgmise lapse juhtumi asjus. Üheksa-aastasel Robinil on raske liitpuue. Vanemad keelduvad lapse rehabilitatsiooniteenustest ning lapsehoiuteenusest ja ei luba last kooli viia, sest nende sõnul on kodus parem.',
      'Vallal puudub varasem kogemus sellise olukorraga. Palume nõu, milliseid meetmeid saab rakendada lapse õiguste tagamiseks ja kuidas vanematega koostööd teha.',
      'Lugupidamisega',
      'Katrin Pärn, sotsiaalosakonna juhataja',
    ],
  },

  // ---- mentorlus: mentoring a new child-protection worker ----
  {
    id: 'm1',
    category: 'mentorlus',
    title: 'Kiri',
    paragraphs: [
      'Tere',
      'Meie valda asus 1. novembril tööle uus lastekaitsespetsialist Kärt Lõhmus. Tal on sotsiaaltöö haridus, kuid lastekaitses töökogemus puudub. Soovime, et Sotsiaalkindlustusamet määraks talle mentori esimeseks tööaastaks.',
      'Lugupidamisega',
      'Tiina Roos, Märjamaa valla sotsiaalosakonna juhataja',
    ],
  },
  {
    id: 'm2',
    category: 'mentorlus',
    title: 'Pöördumine',
    paragraphs: [
      'Tere',
      'Alustasin oktoobris tööd Otepää vallas lastekaitsespetsialistina. Olen vallas ainuke lastekaitsetöötaja ja mul ei ole kolleegi, kellelt nõu küsida. Kuulsin, et SKA pakub uutele lastekaitsetöötajatele mentorlust.',
      'Sooviksin väga mentorit, kes aitaks mul esimestel kuudel töökorraldusega, STAR-is dokumenteerimisega ja esimeste juhtumitega toime tulla.',
      'Ette tänades',
      'Kätlin Soo',
    ],
  },
  {
    id: 'm3',
    category: 'mentorlus',
    title: 'Taotlus',
    paragraphs: [
      'Sotsiaalkindlustusametile',
      'Hiiumaa Vallavalitsus teatab, et vallas on alates 15.11.2026 tööl uus lastekaitsespetsialist Rene Tamm. Palume võimaldada temale osalemist Sotsiaalkindlustusameti mentorprogrammis.',
      'Vald võimaldab töötajale mentorkohtumisteks aja ja katab sõidukulud.',
      'Lugupidamisega',
      'Piret Ilves',
      'vallasekretär',
    ],
  },
  {
    id: 'm4',
    category: 'mentorlus',
    title: 'Info',
    paragraphs: [
      'tere, uus lastekaitsetootaja alustas meil eelmisel nadalal, palun mentorit talle. kontakt: lastekaitse@vald.example, tel 5551 8888. aitah, Ene (Raasiku vald)',
    ],
  },
  {
    id: 'm5',
    category: 'mentorlus',
    title: 'Taotlus',
    paragraphs: [
      'Taotlus mentorluse saamiseks',
      'Kohalik omavalitsus: Luunja vald',
      'Uue töötaja nimi ja ametikoht: Sirje Paju, lastekaitsespetsialist',
      'Tööle asumise kuupäev: 02.11.2026',
      'Varasem töökogemus: 3 aastat lasteaiaõpetajana, lastekaitses kogemus puudub',
      'Soovitud mentorluse teemad: abivajava lapse juhtumi menetlemine, võrgustikutöö, dokumenteerimine',
      'Taotluse esitaja: Mari Kuusk, sotsiaalosakonna juhataja',
    ],
  },
  {
    id: 'm6',
    category: 'mentorlus',
    title: 'Kiri',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
      'Võru Linnavalitsuse sotsiaalosakonnas on viimase poole aasta jooksul vahetunud kaks lastekaitsespetsialisti. Uus töötaja Getter Ploom asus ametisse novembri alguses. Ta on lõpetanud Tallinna Ülikooli sotsiaaltöö eriala, kuid lastekaitsetöö kogemus tal puudub.',
      'Linnas on hetkel menetluses ligikaudu 60 abivajava lapse juhtumit ning kogenud kolleegide töökoormus ei võimalda uut töötajat piisavalt juhendada. Sellepärast palume, et amet pakuks Getterile mentorit, kes toetaks teda sisseelamisel ja ametialases arengus vähemalt kuue kuu jooksul.',
      'Oleme eriti huvitatud, et mentor aitaks tal õppida läbi viima lapse abivajaduse hindamist, koostama juhtumiplaani ja suhtlema keeruliste vanematega. Getter on läbinud ka ameti lastekaitsetöötajate baaskoolituse esimese mooduli.',
      'Lugupidamisega',
      'Anu Kõiv',
      'sotsiaalosakonna juhataja',
    ],
  },
  {
    id: 'm7',
    category: 'mentorlus',
    title: 'Vastus',
    paragraphs: [
      'Tere',
      'Vastuseks ameti küsimusele: meie uue lastekaitsespetsialisti mentorlussuhe lõpeb detsembris, kuid soovime seda pikendada veel kolme kuu võrra. Töötaja on mentorkohtumisi väga oluliseks pidanud ja mentor on ka ise pikendamisega nõus.',
      'Lugupidamisega',
      'Signe Talts, Elva vald',
    ],
  },
  {
    id: 'm8',
    category: 'mentorlus',
    title: 'Dokument',
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Lääneranna Vallavalitsus võttis novembris tööle kaks uut lastekaitsetöötajat, Laura Raud ja Mihkel Kõrts. Mõlemad on alles alustamas ja vajaksid kogenud kolleegi tuge.',
      'Palume mõlemale uuele töötajale mentorit. Võimaluse korral eelistaksime mentorit naabervallast, et kohtumisi oleks lihtsam korraldada.',
      'Lugupidamisega',
      'Reet Mets, vallasekretär',
    ],
  },
  {
    id: 'm9',
    category: 'mentorlus',
    title: 'Pöördumine',
    paragraphs: [
      'Tere',
      'Olen uus lastekaitse spetsialist Viimsi vallas (alustasin 9. nov). Kolleeg ütles et SKA-l on mentrolus programm uutele töötajatele. kas ma saaksin sinna registreeruda? Mul on sotsiaaltöö taust aga mitte lastekaitses. Kas mentorluse jaoks on vaja juhi kirjalikku nõusolekut?',
      'Aitäh!',
      'Mariliis Aru',
    ],
  },
  {
    id: 'm10',
    category: 'mentorlus',
    title: 'Info',
    paragraphs: [
      'Tere',
      'Meie uus lastekaitsespetsialist on registreeritud ka Teie jaanuarikuisele lastekaitse baaskoolitusele. Lisaks koolitusele soovime, et talle määrataks mentor, kuna ta töötab vallas üksi ja alles õpib töökorraldust.',
      'Palun andke teada, millised on mentorluse tingimused ja kas vald peab midagi täitma.',
      'Tervitustega',
      'Aili Nõmm, Rõuge valla sotsiaalosakonna juhataja',
    ],
  },

  // ---- toonoustamine: work counselling / supervision for the KOV's child-protection workers ----
  {
    id: 't1',
    category: 'toonoustamine',
    title: 'Kiri',
    paragraphs: [
      'Sotsiaalkindlustusameti laste heaolu osakond',
      'Harku valla lastekaitsetöötajad on viimastel kuudel tegelenud mitme väga raske juhtumiga, sealhulgas lapse surmaga lõppenud juhtumiga. Meeskond on emotsionaalselt kurnatud ja kaks töötajat on olnud haiguslehel.',
      'Palume võimaldada meie lastekaitsetöötajatele supervisiooni ehk tööalast nõustamist, et toetada nende vaimset tervist ja aidata juhtumitest tulenevat pinget maandada. Sobiv oleks grupisupervisioon neljale töötajale, algusega detsembris.',
      'Lugupidamisega',
      'Kristel Nurk, sotsiaalosakonna juhataja',
    ],
  },
  {
    id: 't2',
    category: 'toonoustamine',
    title: 'Taotlus',
    paragraphs: [
      'Taotlus',
      'Saue Vallavalitsus taotleb oma lastekaitsespetsialistidele tööalast nõustamist. Töötajate koormus on suur ja juhtumite arv on viimase aasta jooksul kasvanud ligi kolmandiku võrra. Töötajad on märkinud läbipõlemise tunnuseid.',
      'Sooviksime, et tööalane nõustamine toimuks kord kuus kahe tunni kaupa vähemalt poole aasta jooksul.',
      'Lugupidamisega',
      'Mairi Kalda, vallasekretär',
    ],
  },
  {
    id: 't3',
    category: 'toonoustamine',
    title: 'Pöördumine',
    paragraphs: [
      'Tere',
      'Ida-Virumaa omavalitsuste lastekaitsetöötajate võrgustiku nimel pöördun Teie poole, et küsida grupisupervisiooni võimalust meie maakonna lastekaitsetöötajatele. Oleme arutanud, et töötajad vajavad kohta, kus oma tööst tulenevaid raskusi ja tundeid jagada ning kutsealaselt areneda.',
      'Osalejaid oleks ligikaudu kümme. Kohtumised võiksid toimuda Jõhvis.',
      'Lugupidamisega',
      'Olga Ivanova, Jõhvi valla lastekaitsespetsialist',
    ],
  },
  {
    id: 't4',
    category: 'toonoustamine',
    title: 'Info',
    paragraphs: ['tere, soovime toonoustamist meie lastekaitse meeskonnale (3 inimest), koormus on väga suur ja inimesed on vasinud. kas saate pakkuda? Tervitades, Lea, Kose vald'],
  },
  {
    id: 't5',
    category: 'toonoustamine',
    title: 'Kiri',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusamet',
      'Meie lastekaitsespetsialisti ähvardas eelmisel nädalal lapse isa, kes tuli vallamajja ja käitus agressiivselt. Juhtum anti üle politseile. Töötaja on šokis ja kardab tööle tulla.',
      'Palume võimaldada töötajale kiiresti individuaalset tööalast nõustamist (supervisiooni), et ta saaks juhtunut läbi töötada ja tööle naasta.',
      'Lugupidamisega',
      'Ivar Kuusik, Kiili valla sotsiaalosakonna juhataja',
    ],
  },
  {
    id: 't6',
    category: 'toonoustamine',
    title: 'Dokument',
    paragraphs: [
      'Sotsiaalkindlustusameti laste heaolu osakonnale',
      'Tallinna Lasnamäe Linnaosa Valitsuse lastekaitse meeskonnas töötab üheksa lastekaitsetöötajat. Viimasel poolaastal on meeskonnas tekkinud pingeid, mis on seotud töökoormuse jaotamise ja keeruliste juhtumite arutamisega. Mitmel töötajal on esinenud läbipõlemise märke ning kaks kogenud töötajat on lahkunud.',
      'Oleme proovinud meeskonnasiseselt kovisiooni, kuid see ei ole olnud piisav. Leiame, et meeskond vajab välist professionaalset tuge. Seepärast palume Sotsiaalkindlustusametilt meeskonna supervisiooni, mis aitaks taastada usalduse, arutada raskeid juhtumeid turvalises keskkonnas ning vähendada töötajate emotsionaalset koormust.',
      'Soovime, et supervisioon toimuks vähemalt kuus korda 2027. aasta esimesel poolel. Oleme valmis pakkuma ruumid.',
      'Lugupidamisega',
      'Jelena Sokolova',
      'lastekaitse juhtivspetsialist',
    ],
  },
  {
    id: 't7',
    category: 'toonoustamine',
    title: 'Vastus',
    paragraphs: [
      'Tere',
      'Täname pakkumise eest. Vald soovib kasutada Sotsiaalkindlustusameti pakutavat tööalast nõustamist oma kahele lastekaitsetöötajale, kuna valla eelarves ei ole sel aastal supervisiooni ostmiseks vahendeid.',
      'Töötajatele sobivad kohtumised teisipäeviti.',
      'Lugupidamisega',
      'Urmas Kaasik, vallasekretär, Mustvee vald',
    ],
  },
  {
    id: 't8',
    category: 'toonoustamine',
    title: 'Pöördumine',
    paragraphs: [
      'Lugupeetud laste heaolu osakond',
      'Meie vallas hukkus eelmisel kuul tulekahjus kaks last, kelle pere oli lastekaitse vaateväljas. Juhtum on meedias palju tähelepanu saanud ja valla lastekaitsetöötajad on suure surve all.',
      'Palume korraldada töötajatele kriisijärgne tööalane nõustamine ja seejärel regulaarne supervisioon. Töötajad vajavad tuge, et juhtunuga toime tulla ja tööd jätkata.',
      'Lugupidamisega',
      'Helve Pihlak, sotsiaalosakonna juhataja',
    ],
  },
  {
    id: 't9',
    category: 'toonoustamine',
    title: 'Taotlus',
    paragraphs: [
      'Tere',
      'Töötan lastekaitsespetsialistina kaheksandat aastat ja tunnen, et olen tööst väga väsinud. Juht soovitas pöörduda ameti poole individuaalse supervisiooni saamiseks. Kas see on minu jaoks võimalik ja kuidas seda taotleda?',
      'Tervitades',
      'Karin Metsoja, Paide linn',
    ],
  },
  {
    id: 't10',
    category: 'toonoustamine',
    title: 'Info',
    paragraphs: [
      'Tere',
      'Meie lastekaitsetöötajad osalesid oktoobris Teie koolitusel ning koolitaja soovitas neil jätkata tööalase nõustamisega. Palume Sotsiaalkindlustusametil pakkuda meie lastekaitse meeskonnale supervisiooni 2027. aasta alguses.',
      'Lugupidamisega',
      'Annika Reinsalu, Haapsalu Linnavalitsus',
    ],
  },

  // ---- rahvusvaheline: international cases ----
  {
    id: 'r1',
    category: 'rahvusvaheline',
    title: 'Kiri',
    paragraphs: [
      'Tere',
      'Meie poole pöördus ema, kelle 5-aastase poja viis isa suvel Soome ja ei ole last tagasi toonud. Vanematel on ühine hooldusõigus ja laps elas alaliselt Eestis. Ema soovib lapse tagasi Eestisse.',
      'Palun nõu, kuidas ema saab lapse tagastamiseks pöörduda ja kas Sotsiaalkindlustusamet saab võtta ühendust Soome ametiasutustega. Kas siin kohaldub Haagi lapseröövi konventsioon?',
      'Lugupidamisega',
      'Karmen Ots, Kuusalu valla lastekaitsespetsialist',
    ],
  },
  {
    id: 'r2',
    category: 'rahvusvaheline',
    title: 'Dokument',
    paragraphs: [
      'Sotsiaalkindlustusameti laste heaolu osakond',
      `Norra lastekaitseasutus Barnevernet on pöördunud Sotsiaalkindlustusameti kui keskasutuse kaudu meie valla poole päringuga alaealise Ats Raudsepa (isikukood ${c5}) kohta. Pere elab alates 2024. aastast Norras, kuid lapse vanaema elab meie vallas.`,
      'Norra ametiasutus soovib teada, kas vanaema oleks sobiv ja valmis last enda juurde võtma, ning palub valla hinnangut tema elutingimuste kohta. Koostasime vastuse ja saadame selle Teile edastamiseks Norra keskasutusele.',
      'Lugupidamisega',
      'Tiiu Allik, lastekaitsespetsialist',
    ],
  },
  {
    id: 'r3',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    paragraphs: [
      'Tõlge läti keelest',
      'Riia linna vaeslaste- ja hoolduskohus palub Eesti pädeval asutusel koguda teavet perekonna elutingimuste kohta, kes kolis 2026. aasta augustis koos kahe lapsega Lätist Eestisse Valga linna. Lätis oli perekond lastekaitse järelevalve all.',
      'Palume teavet, kas perekond on Eestis elukohta registreerinud, kas lapsed käivad koolis ja kas Eesti lastekaitse on peret külastanud. Päring on esitatud nõukogu määruse (EL) 2019/1111 alusel.',
    ],
  },
  {
    id: 'r4',
    category: 'rahvusvaheline',
    title: 'Info',
    paragraphs: [
      'Tere',
      'Politsei tõi eile meie valla varjupaika saatjata alaealise, 15-aastane Ukraina kodakondsusega poiss, kes saabus Poola kaudu. Tema vanemad on tema sõnul Ukrainas. Lapsel dokumente ei ole.',
      'Palume Sotsiaalkindlustusametil aidata välja selgitada lapse vanemate asukoht ja võtta ühendust Ukraina asutustega. Kuidas saatjata lapse puhul edasi tegutseda?',
      'Lugupidamisega',
      'Natalja Petrova, Narva Linnavalitsus',
    ],
  },
  {
    id: 'r5',
    category: 'rahvusvaheline',
    title: 'Taotlus',
    paragraphs: [
      'Sotsiaalkindlustusametile',
      'Saksamaa noorsooamet (Jugendamt Hamburg) soovib paigutada 16-aastase Eesti kodakondsusega tüdruku, kelle pere elab Saksamaal, Eestisse tema tädi perre. Paigutuse kohta on esitatud taotlus Brüsseli IIb määruse artikli 82 alusel nõusoleku saamiseks.',
      'Tädi elab Tartu linnas. Palume Sotsiaalkindlustusametil menetleda välisriigi taotlust ja teavitada, milliseid dokumente linnalt vajatakse.',
      'Lugupidamisega',
      'Tartu Linnavalitsuse lastekaitseosakond',
    ],
  },
  {
    id: 'r6',
    category: 'rahvusvaheline',
    title: 'Vastus',
    paragraphs: [
      'Tere',
      'Vastuseks Teie päringule teatame, et perekond, kelle lapsed olid meie vallas abivajavana arvel, kolis oktoobris Ühendkuningriiki. Ema andis teada, et nad elavad nüüd Manchesteris.',
      'Kuna juhtum on pooleli ja lapsed vajavad endiselt abi, palume juhtumi info edastada Ühendkuningriigi pädevale lastekaitseasutusele. Kas seda saab teha ameti kaudu?',
      'Lugupidamisega',
      'Kaja Remmel, Türi vald',
    ],
  },
  {
    id: 'r7',
    category: 'rahvusvaheline',
    title: 'Kiri',
    paragraphs: [
      'tere',
      'meil on juhtum kus laps elab Rootsis isaga ja ema on Eestis. Ema valjendab muret, et laps ei kai Rootsis koolis ja isa joob. Rootsi sotsiaalteenistusega me ise suhelda ei oska. Kas SKA saaks Rootsi ametile teate edastada?',
      'aitah',
      'Kersti, Saku vald',
    ],
  },
  {
    id: 'r8',
    category: 'rahvusvaheline',
    title: 'Dokument',
    paragraphs: [
      'HARJU MAAKOHUS',
      'Kohus menetleb tsiviilasja nr 2-26-20144, milles isa taotleb lapse hooldusõiguse üleandmist ja lapse elukoha määramist Eestis. Ema elab koos lapsega Iirimaal.',
      'Kohus palub Sotsiaalkindlustusametil kui keskasutusel pöörduda Iirimaa keskasutuse poole ning hankida teave lapse elutingimuste ja heaolu kohta Iirimaal. Teabe saamine on vajalik asja lahendamiseks.',
      'Kohtunik Merike Tuisk',
    ],
  },
  {
    id: 'r9',
    category: 'rahvusvaheline',
    title: 'Info',
    paragraphs: [
      'Eesti Vabariigi Suursaatkond Dublinis',
      'Saatkonda pöördus Eesti kodanik, kelle kaks last võeti Iirimaal asendushooldusele. Ema soovib, et lapsed saaksid tulla Eestisse elama tema õe juurde. Iirimaa lastekaitseasutus Tusla on valmis kaaluma lapse üleandmist Eestisse, kui Eesti asutused hindavad sugulaste sobivust.',
      'Palume Sotsiaalkindlustusametil võtta juhtum menetlusse ja suhelda Iirimaa ametiasutustega.',
      'Konsul Tõnu Lepp',
    ],
  },
  {
    id: 'r10',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusamet',
      `Minu endine elukaaslane viis meie tütre (isikukood ${c2}) ilma minu nõusolekuta Hispaaniasse ja ei vasta enam telefonile. Tütar peaks käima koolis Tallinnas. Politsei ütles, et see on tsiviilasi.`,
      'Palun abi, kuidas saada tütar tagasi Eestisse. Kas Eesti riik saab Hispaania ametiasutustega ühendust võtta?',
      'Lugupidamisega',
      'Rain Kallas',
    ],
  },

  // ---- muu: everything else ----
  {
    id: 'u1',
    category: 'muu',
    title: 'Dokument',
    paragraphs: [
      'ARVE nr 2026/1187',
      'Maksja: Sotsiaalkindlustusamet',
      'Teenus: koolitus „Lapse ärakuulamine lastekaitsetöös“ 18.11.2026, 24 osalejat',
      'Summa: 2 160,00 eurot, käibemaks 0 %',
      'Maksetähtaeg: 14 päeva. Arvelduskonto EE00 0000 0000 0000 0000.',
      'Koolituskeskus Sammud OÜ',
    ],
  },
  {
    id: 'u2',
    category: 'muu',
    title: 'Kiri',
    paragraphs: [
      'Kutse',
      'Pärnu Linnavalitsus kutsub Teid osalema Pärnumaa lastekaitsepäeval 14. jaanuaril 2027 Pärnu kontserdimajas. Päeva teemad on laste vaimne tervis ja koostöö kooli ja lastekaitse vahel.',
      'Palume anda teada, kas Sotsiaalkindlustusameti esindaja saaks pidada 20-minutilise ettekande. Registreerimine kuni 20. detsembrini.',
      'Lugupidamisega',
      'Helena Kivimäe',
    ],
  },
  {
    id: 'u3',
    category: 'muu',
    title: 'Info',
    paragraphs: [
      'Tere',
      'Koostame maakonna sotsiaalvaldkonna ülevaadet ja vajaksime statistikat: mitu lastekaitsejuhtumit oli Lääne-Virumaal 2025. aastal ja mitu last oli asendushooldusel aasta lõpu seisuga. Andmed võiksid olla omavalitsuste kaupa.',
      'Aitäh',
      'Reelika Saar, Lääne-Viru Omavalitsuste Liit',
    ],
  },
  {
    id: 'u4',
    category: 'muu',
    title: 'Pöördumine',
    paragraphs: [
      'Teabenõue',
      'Avaliku teabe seaduse alusel palun teavet, mitu arvamust lapse kinnisesse lasteasutusse paigutamise kohta on Sotsiaalkindlustusamet aastatel 2024–2026 koostanud ning mitmel juhul on kohus lapse paigutamise heaks kiitnud. Isikuandmeid ei ole vaja, piisab koondarvudest.',
      'Vastus palun saata e-postiga.',
      'Lugupidamisega',
      'Marta Lind, ajakirjanik',
    ],
  },
  {
    id: 'u5',
    category: 'muu',
    title: 'Info',
    paragraphs: [
      'Tere',
      'Anname teada, et Räpina valla lastekaitsespetsialist Maie Leht jääb alates 1. detsembrist lapsehoolduspuhkusele. Tema ülesandeid täidab ajutiselt sotsiaaltööspetsialist Tanel Koit, tel 5552 4321, e-post tanel.koit@rapina.example.',
      'Palume edaspidi saata kirjad uuele kontaktisikule.',
      'Lugupidamisega',
      'Räpina Vallavalitsus',
    ],
  },
  {
    id: 'u6',
    category: 'muu',
    title: 'Kiri',
    paragraphs: [
      'Koolituse teade',
      'Tervise Arengu Instituut korraldab 2027. aasta veebruaris lastekaitsetöötajatele ja sotsiaalpedagoogidele kahepäevase koolituse teemal „Laste ja noorte enesevigastamine ja suitsidaalne käitumine“. Koolitus on osalejatele tasuta.',
      'Palume koolituse infot levitada ka omavalitsuste lastekaitsetöötajatele. Registreerimise link ja päevakava on lisatud.',
      'Tervitustega',
      'Kaisa Pruul, koolitusjuht',
    ],
  },
  {
    id: 'u7',
    category: 'muu',
    title: 'Vastus',
    paragraphs: [
      'Tere',
      'Täname küsimustiku eest. Vastame Teie uuringule Mulgi valla nimel: lastekaitsetöötajaid on vallas 1,5 ametikohta, asendushooldusel on 11 last, perekonnas hooldajaid on 4. Täidetud küsimustik on lisatud.',
      'Lugupidamisega',
      'Liis Rebane, sotsiaalnõunik',
    ],
  },
  {
    id: 'u8',
    category: 'muu',
    title: 'Dokument',
    paragraphs: [
      'KOOSTÖÖKOKKULEPE',
      'Sotsiaalkindlustusamet ja Kastre Vallavalitsus sõlmivad kokkuleppe andmevahetuse korraldamiseks dokumendivahetuskeskkonna kaudu. Pooled kohustuvad saatma ametlikud dokumendid edaspidi elektrooniliselt ja määravad kontaktisikud.',
      'Kokkulepe jõustub allkirjastamisest ja kehtib tähtajatult. Kokkulepet saab muuta poolte kirjalikul kokkuleppel.',
      'Allkirjastatud digitaalselt',
    ],
  },
  {
    id: 'u9',
    category: 'muu',
    title: 'Taotlus',
    paragraphs: [
      'Tere',
      'palun avada meie uuele lastekaitsespetsialistile kasutajakonto ja juurdepaas STAR-i lastekaitse moodulile. Nimi: Kertu Vaino, Toila vald, ametikoht lastekaitsespetsialist. Vana töötaja Anne Hunt juurdepääs palun sulgeda.',
      'Aitäh',
      'Toila valla IT-tugi',
    ],
  },
  {
    id: 'u10',
    category: 'muu',
    title: 'Kiri',
    paragraphs: [
      'Sotsiaalministeerium',
      'Teavitame, et Riigikogu võttis vastu lastekaitseseaduse muutmise seaduse, mis jõustub 1. märtsil 2027. Muudatused puudutavad lapse abivajaduse hindamise korda ja andmete töötlemist lastekaitse infosüsteemis.',
      'Palume Sotsiaalkindlustusametil muudatustest teavitada kohalikke omavalitsusi ning vajadusel uuendada juhendmaterjale. Seaduse tekst ja seletuskiri on lisatud.',
      'Viide: ministeeriumi 02.10.2026 kiri nr 1.2-4/3315.',
      'Lugupidamisega',
      'Eha Sarapuu, laste ja perede poliitika osakond',
    ],
  },
];

export const HELDOUT3: Heldout3Letter[] = DRAFTS.map((d, i) => {
  const format = FORMATS[i % FORMATS.length]!;
  const base = `${d.title.toLowerCase().replace(/ö/g, 'o')}-${d.id}`;
  return { ...d, format, fileName: `${base}.${EXT[format]}`, ...(BOXED.has(d.id) ? { container: `${base}.asice` } : {}) };
});
