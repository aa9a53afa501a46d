import type { Category } from '../../src/cases/categories';
import type { DocumentFormat } from '../fixtures-gen/documents';
import { personalCode } from '../fixtures-gen/personal-code';

/**
 * A held-out corpus of KOV letters to SKA's child-welfare department, written independently of the rules and of
 * test/intake/content-corpus.ts: each letter's category is stated only in its body (the title is generic), the
 * way a child-protection specialist of a municipality writes it: greetings, background, the request in varied
 * wording (inflections, synonyms, abbreviations, missing diacritics, typos), other topics in passing, sign-off.
 * Every person, place of work and personal code is fictional (codes from test/fixtures-gen/personal-code.ts).
 */

export interface HeldoutLetter {
  id: string;
  category: Category;
  format: DocumentFormat;
  /** A generic title, as many KOV document systems give: the category is not in it. */
  title: 'Kiri' | 'Dokument' | 'Pöördumine';
  /** The file's name in the capsule: generic too. */
  fileName: string;
  paragraphs: string[];
}

const FORMATS: DocumentFormat[] = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];
const TITLES: HeldoutLetter['title'][] = ['Kiri', 'Dokument', 'Pöördumine'];
const FILES = ['kiri', 'dokument', 'poordumine', 'skan_0042', 'taotlus_allkirjastatud', 'lisa1'];

const IK1 = personalCode('M', '2011-03-14', 217);
const IK2 = personalCode('F', '2010-09-02', 88);
const IK3 = personalCode('F', '2012-12-21', 405);

type Draft = [id: string, category: Category, paragraphs: string[]];

const DRAFTS: Draft[] = [
  // ---- klat_arvamus ----
  ['k01', 'klat_arvamus', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    `Kasemetsa Vallavalitsus esitab taotluse arvamuse saamiseks alaealise Marten Kuusiku (isikukood ${IK1}) paigutamiseks kinnisesse lasteasutusse. Poiss on viimase poole aasta jooksul korduvalt kodust ja asenduskodust ära jooksnud, tarvitanud narkootilisi aineid ning ohustanud oma elu ja tervist.`,
    'Kõik seni rakendatud meetmed (tugiisik, noorsootöö, perelepitus) ei ole tulemust andnud. Vald kavatseb pöörduda kohtusse kinnise lasteasutuse teenusele paigutamise loa saamiseks ja palub selleks Sotsiaalkindlustusameti arvamust.',
    'Lisatud on juhtumiplaan, psühhiaatri hinnang ja kooli iseloomustus.',
    'Lugupidamisega\nKatrin Lepp\nlastekaitsespetsialist\nKasemetsa Vallavalitsus',
  ]],
  ['k02', 'klat_arvamus', [
    'Lugupeetud SKA',
    'Palume arvamust kinnise lasteasutuse teenuse pikendamiseks Liisa Tammele (13 a), kelle teenuse periood lõpeb 15. jaanuaril. Teenusel viibimise ajal on tüdruku seisund paranenud, kuid ta vajab teenust veel kuus kuud.',
    'Lisad: teenuseosutaja vahekokkuvõte, juhtumiplaan.',
    'Lugupidamisega\nAnne Saar',
  ]],
  ['k03', 'klat_arvamus', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Jarvesalu Vallavalitsus taotleb SKA arvamust lapse kinnisesse lasteasutusse paigutamise kohta. Laps Kevin Orav (15) on korduvalt sooritanud oigusrikkumisi, ei kai koolis ja on sattunud taiskasvanute poolt arakasutamise ohtu.',
    'Vanemad on andnud nousoleku, kuid ei suuda lapse kaitumist mojutada. Palume arvamus esitada 30 paeva jooksul, et saaksime kohtule avalduse esitada.',
    'Lugupidamisega\nMaria Kask\nlastekaitsetootaja',
  ]],
  ['k04', 'klat_arvamus', [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Lähtudes lastekaitseseaduse § 45² lõikest 2 palume Sotsiaalkindlustusameti arvamust, kas lapse paigutamine kinnise lasteasutuse teenusele on põhjendatud ja vajalik.',
    `Laps Eliise Rebane (isikukood ${IK2}) elab hetkel asendushooldusel. Viimase kolme kuu jooksul on ta kümme korda asenduskodust lahkunud ja politsei on teda otsinud. Lapse vaimne tervis on halvenenud.`,
    'Juhtumiga seotud dokumendid on lisatud käesolevale kirjale.',
    'Lugupidamisega\nPiret Mägi\nvanemspetsialist lastekaitse alal\nTartu Linnavalitsus',
  ]],
  ['k05', 'klat_arvamus', [
    'Tere',
    'Harju Maakohus on oma 12.11 määrusega kohustanud Põllumäe Linnavalitsust esitama seisukoha alaealise Robin Lille kinnisesse lasteasutusse paigutamise asjas. Kohus soovib ka Sotsiaalkindlustusameti arvamust.',
    'Palun koostage oma arvamus ja saatke see meile või otse kohtule hiljemalt 30 päeva jooksul. Kohtumääruse koopia ja KOV hinnang on lisatud.',
    'Parimate soovidega\nTiina Lõhmus\nlastekaitse peaspetsialist',
  ]],
  ['k06', 'klat_arvamus', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kivisilla Vallavalitsus soovib lõpetada Mari-Liis Pärna kinnise lasteasutuse teenuse enne kohtumääruses märgitud tähtaega. Tüdruk on teenusel olnud viis kuud, tema käitumine on stabiliseerunud ja ta on valmis naasma perekodusse.',
    'Palume Teie arvamust teenuse ennetähtaegse lõpetamise kohta, et saaksime kohtule vastava taotluse esitada.',
    'Lugupidamisega\nReet Kuusk',
  ]],
  ['k07', 'klat_arvamus', [
    'Lugupeetud SKA lastekaitse osakond!',
    'Pöördume KLAT arvamuse saamiseks. 14-aastane Sander Ilves on viimastel kuudel korduvalt enesevigastanud ja põgenenud, ambulatoorsed teenused pole aidanud. Plaanime esitada kohtule avalduse lapse suunamiseks kinisesse lasteasutusse.',
    'Palun andke teada, kas vajate lisadokumente.',
    'Lugupidamisega\nJanek Saarepuu\nlastekaitsespetsialist',
  ]],
  ['k08', 'klat_arvamus', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakonna juhataja',
    'Tartu Linnavalitsuse sotsiaalabi osakonna lastekaitse teenistus on alates 2024. aastast menetlenud alaealise Oskar Männi abivajaduse juhtumit. Perele on osutatud pereteenust, lapsele psühholoogilist nõustamist ja tugiisikuteenust; samuti oleme varem pöördunud juhtumi osas SKA poole nõustamiseks. Poisi olukord on vaatamata kõikidele meetmetele halvenenud: ta ei ela kodus, puudub koolist, on seotud vargustega ning tarvitab alkoholi ja muid aineid.',
    'Võrgustikukohtumisel 3. novembril jõudsid osalejad ühisele seisukohale, et lapse elu ja tervise kaitseks on vajalik tema paigutamine kinnisesse lasteasutusse. Sellest tulenevalt palume Sotsiaalkindlustusametilt lastekaitseseaduse alusel arvamust lapse kinnise lasteasutuse teenusele paigutamise vajalikkuse kohta.',
    'Kohtule esitatava avalduse ettevalmistamiseks ootame arvamust seaduses sätestatud tähtaja jooksul.',
    'Lugupidamisega\n(allkirjastatud digitaalselt)\nKaja Tamm\nlastekaitse teenistuse juht',
  ]],
  ['k09', 'klat_arvamus', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Palume anda arvamus lapse suhtes vabadust piirava meetme rakendamise vajalikkuse kohta. Kristjan Sepp (16) on sattunud kuritegelikku seltskonda ja ohustab enda ning teiste turvalisust; kõik avahooldusteenused on ammendatud.',
    'KOV kaalub kohtule pöördumist kinnise lasteasutuse teenuse määramiseks. Vastust ootame 30 päeva jooksul.',
    'Lugupidamisega\nHelen Kõiv',
  ]],
  ['k10', 'klat_arvamus', [
    'Tere päevast',
    'Saadame Teile taotluse arvamuse saamiseks seoses lapse suunamisega kinnise lasteasutuse teenusele. Laps on 12-aastane tüdruk, kes on korduvalt kadunud ja kelle suhtes on alust arvata seksuaalset ärakasutamist.',
    'Lapse esindaja nõustub teenusele suunamisega. Juhtumiplaan ja hindamise kokkuvõte on lisatud.',
    'Lugupidamisega\nEve Kallas\nJärvesalu Vallavalitsus',
  ]],
  ['k11', 'klat_arvamus', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    'Anett Kruus (14) elas kuni eelmise aastani koos emaga Soomes ning naasis seejärel Eestisse isa juurde. Pärast kolimist on tüdruk järjest sagedamini kodust ära olnud, ei käi koolis ja tema ümber on ohtlikud täiskasvanud.',
    'Ambulatoorne ravi ja tugiisik ei ole andnud tulemust. Palume SKA arvamust lapse paigutamiseks kinnisesse lasteasutusse, kuna soovime esitada kohtule vastava avalduse.',
    'Lugupidamisega\nMerle Raud\nlastekaitsespetsialist',
  ]],
  ['k12', 'klat_arvamus', [
    'tere',
    'palun ska arvamust kinnise lasteasutuse teenuse jatkamiseks lapsele Karl Pihlak, kohtumaarus kehtib 20.12 kuni. teenuseosutaja hinnangul vajab laps teenust veel 6 kuud. dokumendid lisan',
    'lugupidamisega\nAivar Kuld\nPollumae linnavalitsus',
  ]],

  // ---- noustamine ----
  ['n01', 'noustamine', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    'Kasemetsa Vallavalitsuse lastekaitsespetsialist soovib nõustamist keerulise lastekaitsejuhtumi osas. Peres kasvab kolm last, vanemate vahel on pikaajaline konflikt ja ema on teatanud vägivallast, isa eitab seda.',
    'Vajame abi lapse abivajaduse hindamisel ja edasise juhtumiplaani koostamisel. Sobiv oleks kohtumine järgmise kahe nädala jooksul.',
    'Lugupidamisega\nKatrin Lepp',
  ]],
  ['n02', 'noustamine', [
    'Tere',
    'Meil on juhtum, kus 6-aastase lapse vanemad on lahku läinud ja laps keeldub isa juurde minemast. Isa nõuab suhtluskorra täitmist, ema väidab, et laps kardab. Palun nõu, kuidas lapse arvamust välja selgitada ja kas kaasata psühholoog.',
    'Tänan\nAnne Saar\nlastekaitsetöötaja',
  ]],
  ['n03', 'noustamine', [
    'Lugupeetud SKA',
    'Palume juhtumipõhist noustamist. Tegemist on 10-aastase poisiga, kelle ema tarvitab alkoholi ja laps jaab sageli oheks koju. Oleme kaalunud lapse perest eraldamist, kuid ei ole kindlad, kas selleks on piisav alus.',
    'Sooviksime arutada juhtumit SKA lastekaitse spetsialistiga ja saada soovitusi edasisteks sammudeks.',
    'Lugupidamisega\nMaria Kask',
  ]],
  ['n04', 'noustamine', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Järvesalu Vallavalitsus pöördub Teie poole juhtumikorralduslikuks konsultatsiooniks. Perekond, kus kasvab puudega laps, keeldub koostööst ja ei luba lastekaitsetöötajat koju. Kooli andmetel on laps kurnatud ja näljane.',
    'Palume soovitusi, milliseid meetmeid rakendada ja kuidas perega kontakti saavutada. Eelistame veebikohtumist.',
    'Lugupidamisega\nEve Kallas\nsotsiaaltöö spetsialist',
  ]],
  ['n05', 'noustamine', [
    'Lugupeetud lastekaitse osakond',
    'Palun SKA lastekaitse nõustajat meie võrgustikukohtumisele, mis toimub 9. detsembril vallamajas. Arutusel on 14-aastase tüdruku juhtum, kellel on koolikohustuse mittetäitmine ja vaimse tervise probleemid; osalevad kool, perearst ja noorsootöötaja.',
    'Vajame välise eksperdi vaadet juhtumi edasiseks lahendamiseks ja koostöö korraldamiseks.',
    'Lugupidamisega\nHelen Kõiv',
  ]],
  ['n06', 'noustamine', [
    'Tere',
    'Kirjutan Põllumäe linnast. Meie juhtumis on 8-aastane laps, kes elas kuni kaks aastat tagasi koos perega Rootsis; nüüd elab ta vanaema juures Eestis, vanemad käivad tööl. Laps on koolis agressiivne ja vanaema ei tule toime.',
    'Soovin nõu, kas ja milliseid teenuseid peaks perele pakkuma ning kas vanaema hooldusõiguse küsimus tuleks tõstatada. Olen valmis juhtumit telefoni teel arutama.',
    'Lugupidamisega\nTiina Lõhmus',
  ]],
  ['n07', 'noustamine', [
    'Lugupeetud SKA spetsialist',
    'Palume nõustamist lapse abivajaduse hindamise osas. Lasteaed on teavitanud, et 4-aastasel lapsel esineb korduvalt sinikaid, vanemad selgitavad neid kukkumistega. Me ei ole kindlad, kas tegemist on hädaohus oleva lapsega.',
    'Soovime SKA lastekaitsespetsialisti hinnangut ja juhiseid, kuidas juhtumit edasi menetleda.',
    'Lugupidamisega\nReet Kuusk\nKivisilla Vallavalitsus',
  ]],
  ['n08', 'noustamine', [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Tartu Linnavalitsuse lastekaitse osakond menetleb juhtumit, kus eestkostel olev 12-aastane laps on avaldanud soovi elada oma bioloogilise isa juures, kellega tal puudus pikka aega kontakt. Eestkostja on sellele vastu ja olukord on lapsele väga pingeline.',
    'Lastekaitseseaduse alusel palume juhtumi nõustamist: kuidas korraldada lapse ja isa kohtumisi, kuidas arvestada lapse arvamusega ning millised on lastekaitsetöötaja võimalused eestkostja ja isa vahelise konflikti lahendamisel.',
    'Oleme valmis tutvustama juhtumi materjale kohtumisel.',
    'Lugupidamisega\nPiret Mägi',
  ]],
  ['n09', 'noustamine', [
    'Tere!',
    'Vajame SKA nou juhtumi osas: 15-aastane noor on raseduse tottu kodust lahkunud ja elab sobra juures, vanemad keelduvad teda tagasi votmast. Mida sellises olukorras KOV tegema peaks, kas asendushooldus voi muu lahendus?',
    'Aitah!\nJanek Saarepuu',
  ]],
  ['n10', 'noustamine', [
    'Lugupeetud Sotsiaalkindlustusamet',
    `Kasemetsa valla lastekaitsetöötaja palub juhtumikonsultatsiooni lapse ${IK3} asjas. Lapse ema on pöördunud vallavalitsusse abipalvega, kuna 13-aastane tütar veedab öid väljaspool kodu ja suhtleb endast palju vanemate meestega.`,
    'Me kaalume erinevaid võimalusi, sealhulgas tulevikus ka kinnise lasteasutuse teenust, kuid praegu soovime eelkõige nõu, milliseid ennetavaid ja toetavaid teenuseid lapsele ja perele esmalt rakendada.',
    'Lugupidamisega\nKatrin Lepp',
  ]],
  ['n11', 'noustamine', [
    'Lugupeetud SKA lastekaitse osakond',
    'Palun Teie abi juhtumi lahendamisel. Lahutatud vanemad ei suuda kokku leppida lapse elukohas ja kooli valikus, mõlemad pöörduvad korduvalt lastekaitse poole ning süüdistavad teineteist. Kohtumenetlust veel ei ole.',
    'Soovime nõustamist, kuidas vanematega koostööd teha ja millal soovitada perelepitust.',
    'Lugupidamisega\nMerle Raud',
  ]],
  ['n12', 'noustamine', [
    'Tere',
    'Kas SKA saaks meid juhtumi osas noustada? Noorel on diagnoositud autismispektrihaire, pere on kurnatud ja kasutab sageli politsei abi. Vajame nõuannet, millised teenused sobiksid ja kuidas hinnata lapse heaolu.',
    'Lp\nAivar Kuld\nlastekaitse spetsialist',
  ]],

  // ---- mentorlus ----
  ['m01', 'mentorlus', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kasemetsa Vallavalitsuses alustas 1. novembril tööd uus lastekaitsespetsialist Laura Põder, kellel puudub varasem lastekaitsetöö kogemus. Vallas on ta ainus lastekaitsetöötaja.',
    'Palume talle määrata SKA poolt mentor, kes toetaks teda esimestel töökuudel juhtumitöös ja seadusandluse tundmaõppimisel.',
    'Lugupidamisega\nSirje Kangur\nsotsiaalosakonna juhataja',
  ]],
  ['m02', 'mentorlus', [
    'Tere',
    'Meie uus lastekaitsetöötaja soovib osaleda SKA mentorprogrammis. Ta lõpetas ülikooli kevadel ja töötab meil teist kuud.',
    'Palun andke teada, kuidas programmiga liituda.',
    'Lugupidamisega\nTiina Lõhmus',
  ]],
  ['m03', 'mentorlus', [
    'Lugupeetud SKA lastekaitse osakond',
    'Jarvesalu Vallavalitsus taotleb mentorlust alustavale lastekaitsespetsialistile Kristi Lauk. Kristi alustas tood oktoobris ja vajab kogenud kolleegi tuge juhtumite menetlemisel, dokumenteerimisel ja STAR-is toimetamisel.',
    'Sooviksime, et mentor saaks temaga kohtuda vahemalt kord kuus.',
    'Lugupidamisega\nEve Kallas',
  ]],
  ['m04', 'mentorlus', [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Tartu Linnavalitsuse lastekaitse osakonda on tööle asunud kolm uut lastekaitsetöötajat. Osakonna sisese juhendamise kõrval sooviksime neile ka SKA mentori tuge, kuna osakonna kogenud töötajate koormus on suur.',
    'Palume infot mentorluse võimaluste kohta ning mentorite määramist võimalusel alates jaanuarist.',
    'Lugupidamisega\nKaja Tamm\nlastekaitse teenistuse juht',
  ]],
  ['m05', 'mentorlus', [
    'Tere päevast',
    'Meie vallas vahetus lastekaitsetöötaja. Uus töötaja Mart Kivi on varem töötanud noorsootöötajana, kuid lastekaitsetöös on ta algaja. Kas SKA saaks pakkuda talle juhendajat sisseelamisperioodiks?',
    'Lugupidamisega\nReet Kuusk\nKivisilla vald',
  ]],
  ['m06', 'mentorlus', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Palume mentorit meie uuele lastekaitse spetsialistile. Ta on tööl olnud kuu aega ja tal on juba mitu keerulist juhtumit, sealhulgas üks, kus laps elab osaliselt Lätis.',
    'Vajame kogenud kolleegi, kes aitaks tal oma tööd planeerida ja juhtumitega toime tulla.',
    'Lugupidamisega\nHelen Kõiv',
  ]],
  ['m07', 'mentorlus', [
    'Lugupeetud SKA',
    'Põllumäe Linnavalitsus soovib liituda alustavate lastekaitsetöötajate mentorlusprogrammiga. Meie uus spetsialist Grete Oja asus ametisse septembris.',
    'Palun saatke meile info mentori määramise ja kohtumiste korralduse kohta.',
    'Lugupidamisega\nAivar Kuld',
  ]],
  ['m08', 'mentorlus', [
    'tere',
    'kas meie uuele lastekaitsetootajale saaks mentori? ta alustas eelmisel nadalal, kogemus puudub. oleks vaja kedagi kellelt kusida.',
    'Maria Kask',
  ]],
  ['m09', 'mentorlus', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    'Kasemetsa Vallavalitsus esitab taotluse mentorluse saamiseks. Valla lastekaitsetöötaja ametikoht oli pool aastat täitmata ja 15. oktoobril asus ametisse Pille Rätsep, kes on lõpetanud sotsiaaltöö eriala, kuid ei ole varem lastekaitses töötanud.',
    'Soovime, et kogenud mentor toetaks teda esimesel tööaastal: aitaks mõista lastekaitseseaduse rakendamist, abivajaduse hindamist ja koostööd teiste asutustega ning oleks vajadusel kättesaadav ka telefoni teel.',
    'Lugupidamisega\nSirje Kangur',
  ]],
  ['m10', 'mentorlus', [
    'Lugupeetud SKA lastekaitse osakond',
    'Meie lastekaitsetöötaja on ametis olnud kaks kuud ja vajab individuaalset juhendamist. Palume teda mentorprogrammi kaasata.',
    'Lugupidamisega\nJanek Saarepuu',
  ]],
  ['m11', 'mentorlus', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kivisilla vald on ühinenud naabervallaga ja lastekaitsetööd hakkab tegema senine sotsiaaltöötaja, kellel puudub lastekaitse kogemus. Sooviksime talle SKA poolset mentorlust, et ta saaks uues rollis kindlust ja tuge.',
    'Palume ühendust võtta ja pakkuda sobivat mentorit.',
    'Lugupidamisega\nReet Kuusk',
  ]],
  ['m12', 'mentorlus', [
    'Lugupeetud SKA',
    'Uus lastekaitse spetsialist Andres Vaher vajaks oma esimestel kuudel kogenud kolleegi juhendamist. Oleme kuulnud, et SKA pakub alustavatele lastekaitsetöötajatele mentori tuge, ja sooviksime seda võimalust kasutada.',
    'Lugupidamisega\nPiret Mägi',
  ]],

  // ---- toonoustamine ----
  ['t01', 'toonoustamine', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Tartu Linnavalitsuse lastekaitse osakonna töötajad on viimastel kuudel tegelenud mitme raske juhtumiga, sealhulgas lapse surmaga lõppenud juhtumiga. Meeskonnas on tunda suurt emotsionaalset koormust.',
    'Palume korraldada meie lastekaitsetöötajatele töönõustamine (grupisupervisioon) detsembris või jaanuaris.',
    'Lugupidamisega\nKaja Tamm',
  ]],
  ['t02', 'toonoustamine', [
    'Tere',
    'Soovime SKA kaudu supervisiooni meie valla lastekaitse- ja sotsiaaltöötajatele. Grupis oleks 5 inimest.',
    'Lugupidamisega\nSirje Kangur',
  ]],
  ['t03', 'toonoustamine', [
    'Lugupeetud SKA lastekaitse osakond',
    'Jarvesalu Vallavalitsus taotleb toonoustamist oma lastekaitsetootajatele. Tootajad on ulekoormatud ja tunnevad labipolemise marke, mistottu vajavad professionaalset tuge.',
    'Palume pakkuda sobivaid aegu.',
    'Lugupidamisega\nEve Kallas',
  ]],
  ['t04', 'toonoustamine', [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Kasemetsa Vallavalitsus soovib oma lastekaitsespetsialistile individuaalset töönõustamist. Spetsialist on viimase aasta jooksul töötanud mitme vägivallajuhtumiga ja tal on raske tööpingetest taastuda.',
    'Palume teavet, kas ja millal saaks SKA töönõustaja temaga kohtuda.',
    'Lugupidamisega\nKatrin Lepp',
  ]],
  ['t05', 'toonoustamine', [
    'Tere päevast',
    'Meie lastekaitsemeeskond vajaks supervisiooni. Oleme väike meeskond, kolm inimest, ja viimasel ajal on tekkinud pinged ning töö on muutunud väga kurnavaks.',
    'Kas SKA pakub lastekaitsetöötajatele grupi töönõustamist ja kuidas seda taotleda?',
    'Lugupidamisega\nTiina Lõhmus',
  ]],
  ['t06', 'toonoustamine', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Põllumäe Linnavalitsus palub korraldada kovisiooni või supervisiooni linna lastekaitsetöötajatele. Viimasel ajal on mitu töötajat tööstressi tõttu haiguslehel olnud ja ülejäänute koormus on kasvanud.',
    'Töönõustamine aitaks meeskonnal oma tööd mõtestada ja vaimset tervist hoida.',
    'Lugupidamisega\nAivar Kuld',
  ]],
  ['t07', 'toonoustamine', [
    'Lugupeetud SKA',
    'Palun võimalust töönõustamiseks. Olen valla ainus lastekaitsetöötaja ja tunnen, et vajan professionaalset tuge oma töö reflekteerimiseks ja emotsionaalse koormusega toimetulekuks.',
    'Lugupidamisega\nHelen Kõiv\nlastekaitsespetsialist',
  ]],
  ['t08', 'toonoustamine', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    'Kivisilla Vallavalitsuse sotsiaal- ja haridusosakonna lastekaitse spetsialistid on käesoleval aastal menetlenud rekordarvu juhtumeid, millest mitmed on olnud seotud perevägivalla ja laste väärkohtlemisega. Spetsialistid on väljendanud vajadust tööalase toe järele.',
    'Sellest tulenevalt palume Sotsiaalkindlustusametil korraldada meie lastekaitsetöötajatele regulaarsed töönõustamise kohtumised, soovitavalt kord kuus kuue kuu jooksul. Kohtumised võiksid toimuda vallamajas või veebis.',
    'Lugupidamisega\nReet Kuusk',
  ]],
  ['t09', 'toonoustamine', [
    'tere',
    'meie lastekaitsetiim vajaks supervisiooni, viimased kuud on olnud rasked. kas saate aidata? 4 inimest',
    'Maria Kask',
  ]],
  ['t10', 'toonoustamine', [
    'Lugupeetud SKA lastekaitse osakond',
    'Meie lastekaitsetöötajad töötavad sageli rahvusvaheliste juhtumitega, kus lapsed on välismaal, ning see on neile suur koormus. Soovime neile töönõustamist, et nad saaksid oma kogemusi läbi töötada.',
    'Palume pakkuda sobiv aeg grupi töönõustamiseks jaanuaris.',
    'Lugupidamisega\nMerle Raud',
  ]],
  ['t11', 'toonoustamine', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Tartu Linnavalitsus soovib tellida lastekaitseosakonna töötajatele meeskonna supervisiooni. Meeskonnas on toimunud muudatused ja koostöö vajab tuge.',
    'Palume Teie pakkumist ja võimalikke kuupäevi.',
    'Lugupidamisega\nPiret Mägi',
  ]],
  ['t12', 'toonoustamine', [
    'Lugupeetud SKA',
    'Järvesalu valla lastekaitsetöötaja palub individuaalset töönõustamist. Pärast keerulist juhtumit, kus laps tuli perest eraldada, on tal raske tööle keskenduda.',
    'Lugupidamisega\nJanek Saarepuu',
  ]],

  // ---- rahvusvaheline ----
  ['r01', 'rahvusvaheline', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kasemetsa Vallavalitsus pöördub Teie poole seoses 9-aastase Mia Kase juhtumiga. Lapse ema viis lapse isa nõusolekuta Soome ja ei ole tagasi tulnud; isa palub abi lapse tagasitoomiseks.',
    'Palume SKA abi kontakti loomisel Soome lastekaitseasutusega ja teavet, kuidas Haagi konventsiooni alusel toimida.',
    'Lugupidamisega\nKatrin Lepp',
  ]],
  ['r02', 'rahvusvaheline', [
    'Tere',
    'Saime Rootsi sotsiaalteenistusest (socialtjänsten) kirja Eesti kodakondsusega lapse kohta, kes elab Rootsis ja kelle vanaema elab meie vallas. Rootsi pool soovib teada, kas vanaema saaks lapse hooldada.',
    'Palume SKA abi vastuse koostamisel ja suhtluse korraldamisel välisriigi asutusega.',
    'Lugupidamisega\nTiina Lõhmus',
  ]],
  ['r03', 'rahvusvaheline', [
    'Lugupeetud SKA lastekaitse osakond',
    'Norra lastekaitseasutus Barnevernet on paigutanud Eesti perekonna kaks last asendushooldusele. Vanemad pöördusid vallavalitsusse abi saamiseks ja soovivad, et lapsed tuleksid Eestisse sugulaste juurde.',
    'Palume SKA kui keskasutuse abi Norra asutusega suhtlemisel ja juhtumi rahvusvahelisel menetlemisel.',
    'Lugupidamisega\nEve Kallas',
  ]],
  ['r04', 'rahvusvaheline', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Tartu Linnavalitsus edastab Läti vaeslastekohtult (bāriņtiesa) saadud päringu. Läti pool palub hinnangut Tartus elava isa elutingimuste kohta, kuna kaalutakse lapse paigutamist isa juurde Eestisse.',
    'Kuna tegemist on piiriülese juhtumiga, palume SKA-l koordineerida vastamist vastavalt Brüsseli IIb määrusele.',
    'Lugupidamisega\nPiret Mägi',
  ]],
  ['r05', 'rahvusvaheline', [
    'Tere päevast',
    'Meie valda on saabunud Ukrainast pärit 16-aastane saatjata alaealine, kelle vanemad on jäänud Ukrainasse. Palume nõu ja abi välisriigi asutustega suhtlemisel ning lapse eestkoste korraldamisel.',
    'Lugupidamisega\nAivar Kuld',
  ]],
  ['r06', 'rahvusvaheline', [
    'Lugupeetud SKA',
    'Jarvesalu Vallavalitsus palub abi rahvusvahelises juhtumis. Lapse isa elab Saksamaal ja ei maksa elatist ning keeldub lapsega suhtlemast. Ema soovib, et lapse ja isa suhtlus taastuks.',
    'Kas SKA saab Saksamaa pädeva asutusega uhendust votta?',
    'Lugupidamisega\nEve Kallas',
  ]],
  ['r07', 'rahvusvaheline', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    'Soome lastekaitse (lastensuojelu) on teatanud, et Eesti kodanikust ema ja tema kaks last on Helsingis abivajavas olukorras. Ema soovib naasta Eestisse Kivisilla valda, kus elavad tema vanemad.',
    'Palume SKA abi laste üleandmise korraldamisel ja Soome asutusega infovahetuses. Valla poolt oleme valmis perele teenuseid pakkuma.',
    'Lugupidamisega\nReet Kuusk',
  ]],
  ['r08', 'rahvusvaheline', [
    'Tere',
    'Meie valla lapse ema plaanib lapsega kolida Iirimaale, isa sellega ei nõustu. Palun nõu piiriülese lapseröövi ennetamise ja välisriigi lastekaitse kaasamise kohta.',
    'Helen Kõiv',
  ]],
  ['r09', 'rahvusvaheline', [
    'Lugupeetud SKA',
    'Põllumäe Linnavalitsusele pöördus isa, kelle laps viidi välisriiki ilma tema nõusolekuta. Laps asub tõenäoliselt Suurbritannias. Palume juhtumi edastamist välisriigi keskasutusele ja teavet edasise menetluse kohta.',
    'Lugupidamisega\nMerle Raud',
  ]],
  ['r10', 'rahvusvaheline', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kasemetsa vallas elav pere soovib lapsendada last Leedust. Leedu pädev asutus on palunud Eesti poolt perekonna kohta sotsiaalraportit ja hinnangut. Palume selgitust, kuidas rahvusvaheline menetlus toimub ja milline on KOV roll.',
    'Lugupidamisega\nSirje Kangur',
  ]],
  ['r11', 'rahvusvaheline', [
    'Lugupeetud SKA lastekaitse osakond',
    'Tartu Linnavalitsus on saanud Hispaania konsulaadi kaudu teate, et 17-aastane Eesti noor on Hispaanias politsei poolt kinni peetud ja vajab tagasipöördumisel tuge. Noore vanemad elavad Tartus.',
    'Palume SKA-lt abi välisriigi ametiasutustega suhtlemisel ja noore Eestisse naasmise korraldamisel.',
    'Lugupidamisega\nKaja Tamm',
  ]],
  ['r12', 'rahvusvaheline', [
    'tere',
    'lapse ema elab Soomes ja isa Eestis, ema ei luba lapsel isaga suhelda. palun abi piiriulese juhtumi lahendamisel ja soome ametiasutusega suhtlemisel',
    'Janek Saarepuu\nlastekaitsespetsialist',
  ]],

  // ---- muu ----
  ['u01', 'muu', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kasemetsa Vallavalitsus esitab arve nr 2026-118 ruumide rendi eest, mis toimus SKA koolituse ajal 14. novembril. Arve summa on 240 eurot, maksetähtaeg 14 päeva.',
    'Lugupidamisega\nLea Pikk\nraamatupidaja',
  ]],
  ['u02', 'muu', [
    'Tere',
    'Kutsume SKA esindajat osalema meie maakonna lastekaitsetöötajate infopäeval 20. jaanuaril Põllumäe kultuurimajas. Päeva teemad on uuendused seadusandluses ja koostöö koolidega.',
    'Palume registreeruda hiljemalt 10. jaanuariks.',
    'Lugupidamisega\nTiina Lõhmus',
  ]],
  ['u03', 'muu', [
    'Lugupeetud SKA',
    'Palume saata meile valla lastekaitse statistika 2025. aasta kohta, mida kasutame arengukava koostamisel. Huvi pakub abivajavate laste arv ja osutatud teenuste maht.',
    'Lugupidamisega\nSirje Kangur',
  ]],
  ['u04', 'muu', [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    'Teatame, et alates 1. jaanuarist on Järvesalu Vallavalitsuse lastekaitse kontaktisik Eve Kallas (telefon 5555 1234, e-post eve.kallas@jarvesalu.example). Palume oma andmebaasis kontaktandmeid uuendada.',
    'Lugupidamisega\nJärvesalu Vallavalitsus',
  ]],
  ['u05', 'muu', [
    'Lugupeetud SKA',
    'Täname Teid eelmisel nädalal toimunud koolituse eest. Koolitus oli väga kasulik ja osalejad andsid positiivset tagasisidet.',
    'Lugupidamisega\nHelen Kõiv',
  ]],
  ['u06', 'muu', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Tartu Linnavalitsus edastab teabenõude, mille linnavalitsusele esitas ajakirjanik. Teabenõudes soovitakse teada, mitu lastekaitseteatist on SKA-le laekunud Tartu linna kohta viimase aasta jooksul.',
    'Kuna teave on SKA valduses, edastame teabenõude Teile vastamiseks avaliku teabe seaduse § 21 alusel.',
    'Lugupidamisega\nKaja Tamm',
  ]],
  ['u07', 'muu', [
    'Tere',
    'Palun saatke meile 50 eksemplari lastekaitse infovoldikuid, mida saaksime jagada koolides ja lasteaedades. Aadress: Kivisilla Vallavalitsus, Keskväljak 1.',
    'Tänan\nReet Kuusk',
  ]],
  ['u08', 'muu', [
    'Lugupeetud SKA',
    'Kivisilla vallavalitsus vastab Teie poolt saadetud küsimustikule laste heaolu teenuste kohta. Täidetud küsimustik on lisatud.',
    'Lugupidamisega\nReet Kuusk',
  ]],
  ['u09', 'muu', [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Palume informatsiooni, millal toimuvad 2026. aasta kevadel SKA korraldatavad koolitused lastekaitsetöötajatele ja kuidas neile registreeruda. Meie valla kaks spetsialisti sooviksid osaleda.',
    'Lugupidamisega\nMaria Kask',
  ]],
  ['u10', 'muu', [
    'tere',
    'saadan koosoleku protokolli 4.12 toimunud maakondliku lastekaitse umarlaua kohta. palun parandused kui on nadala jooksul',
    'Aivar Kuld',
  ]],
  ['u11', 'muu', [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Põllumäe Linnavalitsus koostab sotsiaalvaldkonna arengukava aastateks 2026–2030 ja soovib kaasata SKA esindajat töörühma. Töörühma kohtumised toimuvad kord kuus.',
    'Palun andke teada, kes SKA poolt osaleda saaks.',
    'Lugupidamisega\nMerle Raud',
  ]],
  ['u12', 'muu', [
    'Lugupeetud SKA',
    'Kasemetsa Vallavalitsus palub selgitust, kas lastekaitse andmete edastamine kooli sotsiaalpedagoogile on isikuandmete kaitse seisukohast lubatud ja millises ulatuses.',
    'Lugupidamisega\nKatrin Lepp',
  ]],
];

/** The letters, each with a format (every format used in every category), a generic title and file name. */
export const HELDOUT: HeldoutLetter[] = DRAFTS.map(([id, category, paragraphs], i) => {
  const n = Number(id.slice(1)) - 1;
  const format = FORMATS[(n + Math.floor(i / 12)) % FORMATS.length]!;
  return { id, category, format, title: TITLES[i % TITLES.length]!, fileName: `${FILES[i % FILES.length]}.${format}`, paragraphs };
});
