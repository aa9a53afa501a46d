import type { Category } from '../../src/cases/categories';
import type { DocumentFormat } from '../fixtures-gen/documents';
import { personalCode } from '../fixtures-gen/personal-code';

/**
 * A second held-out corpus: 60 letters that KOVs, courts and parents send to SKA's child-welfare department, 10
 * per category, written independently of the rules and of the first corpus. Styles differ on purpose: short
 * e-mails forwarded as documents, long formal letters with legal references, court letters, a parent's letter,
 * topics mentioned in passing, some text without diacritics. All names and places are fictional; personal codes
 * come from the generator. Titles are generic, so the category is stated only inside the file. Formats rotate
 * over PDF, DOCX, ODT, RTF, HTML and plain text; 12 letters travel inside an ASiC-E container.
 */

export interface Heldout2Letter {
  id: string;
  category: Category;
  title: string;
  format: DocumentFormat;
  /** Set when the file travels inside an ASiC-E container of this name. */
  container?: string;
  fileName: string;
  paragraphs: string[];
}

const CHILD_1 = personalCode('M', '2011-02-14', 121);
const CHILD_2 = personalCode('F', '2010-07-03', 44);
const CHILD_3 = personalCode('M', '2012-11-22', 307);
const CHILD_4 = personalCode('F', '2015-04-09', 18);
const CHILD_5 = personalCode('M', '2009-09-30', 512);
const CHILD_6 = personalCode('F', '2013-01-27', 233);


const KLAT: string[][] = [
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    `Kasemetsa Vallavalitsus pöördub Teie poole lastekaitseseaduse § 45² alusel seoses alaealise Kristjan Lepiku (isikukood ${CHILD_1}) olukorraga. Laps on viimase poole aasta jooksul korduvalt kodust ja koolist ära jooksnud, teda on mitmel korral leitud joobes ning ta on sattunud täiskasvanute seltskonda, kes kaasavad teda varavastastesse süütegudesse.`,
    'Valla lastekaitsespetsialist on koostöös kooli, politsei ja noortekeskusega rakendanud tugiisikuteenust, perelepitust ja noorte vaimse tervise keskuse teenuseid, kuid need ei ole olukorda muutnud. Ema on avaldanud nõusolekut abi saamiseks, kuid ei suuda lapse käitumist ohjata.',
    'Vald kavatseb esitada kohtule avalduse lapse paigutamiseks kinnisesse lasteasutusse. Palume Sotsiaalkindlustusametil anda seaduses ettenähtud arvamus lapse kinnisesse lasteasutusse paigutamise vajalikkuse kohta.',
    'Lisatud on abivajaduse hindamise kokkuvõte, juhtumiplaan, kooli iseloomustus ja psühhiaatri hinnang.',
    'Lugupidamisega\nHelle Saar\nsotsiaalosakonna juhataja',
  ],
  [
    'Harju Maakohus',
    `Tsiviilasjas nr 2-26-4417 Tallinna Linnavalitsuse avalduses alaealise Marta Kuuse (isikukood ${CHILD_2}) kinnisesse lasteasutusse paigutamiseks palub kohus tsiviilkohtumenetluse seadustiku § 550¹ ja lastekaitseseaduse § 45² alusel Sotsiaalkindlustusametil esitada kohtule oma arvamus.`,
    'Arvamuses palume käsitleda, kas lapse paigutamine kinnisesse lasteasutusse on tema huvides vajalik ning kas muud meetmed on ammendatud. Arvamus esitada kohtule 30 päeva jooksul käesoleva määruse kättesaamisest.',
    'Lisatud: avaldus koos lisadega, lapse ärakuulamise protokoll.',
    'Kohtunik Raivo Tamm',
  ],
  [
    'Tere',
    'Edastan kinnise lasteasutuse arvamuse taotluse. Poiss 14 a, korduvad ärajooksmised, koolikohustus täitmata, ema ei saa hakkama. Kõik dokumendid lisas. Palun kinnitage kättesaamist.',
    'Tervitades, Kadri (Järvesalu valla lastekaitse)',
  ],
  [
    'Lugupeetud ametnik',
    `Järvesalu Vallavalitsus taotleb Sotsiaalkindlustusameti arvamust alaealise Sander Paju (isikukood ${CHILD_3}) kinnises lasteasutuses viibimise pikendamiseks. Laps paigutati kohtumäärusega kinnisesse lasteasutusse tänavu mais ning paigutuse tähtaeg lõpeb järgmise aasta jaanuaris.`,
    'Lasteasutuse vahekokkuvõtte kohaselt on lapse käitumine paranenud, kuid tagasipöördumine koju ei ole veel turvaline, sest kodune olukord ei ole muutunud ja laps on puhkusel olles taas kasutanud narkootilisi aineid.',
    'Vald kavatseb taotleda kohtult kinnisesse lasteasutusse paigutamise pikendamist kuue kuu võrra ning palub selleks ameti arvamust.',
    'Lugupidamisega\nAnneli Kask\nlastekaitsespetsialist',
  ],
  [
    'Tere',
    'Pollumae Linnavalitsus palub Sotsiaalkindlustusameti arvamust alaealise paigutamiseks kinnisesse lasteasutusse. Tudruk on 15-aastane, on korduvalt kodust lahkunud ja viibinud mitu ood teadmata kohas, esineb enesevigastamist.',
    'Linn on rakendanud perelepitust, tugiisikut ja psuhhiaatrilist ravi, kuid need ei ole olnud piisavad. Kohtusse poordumiseks vajame ameti arvamust vastavalt lastekaitseseaduse paragrahvile 45 prim 2.',
    'Lisatud juhtumiplaan ja hinnangud.',
    'Parimat\nMerike Roos',
  ],
  [
    'Tartu Maakohus',
    'Kohus menetleb Tartu Linnavalitsuse avaldust alaealise kinnisesse lasteasutusse paigutamise loa andmiseks. Tsiviilkohtumenetluse seadustiku § 550¹ lõike 4 kohaselt tuleb enne lahendi tegemist ära kuulata Sotsiaalkindlustusameti arvamus.',
    'Tartu Maakohus palub Sotsiaalkindlustusametil esitada kirjalik arvamus hiljemalt 30 päeva jooksul. Arvamus palume saata kohtu e-toimiku kaudu või digitaalselt allkirjastatult kohtu e-posti aadressile.',
    'Kohtunikuabi Liis Orav',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kivisilla Vallavalitsus teatab, et alaealine Rasmus Kivi viibib kohtumääruse alusel kinnises lasteasutuses. Lapse olukord on viimastel kuudel oluliselt paranenud, ta käib koolis ja on taastanud suhted emaga.',
    'Vald kaalub kohtule avalduse esitamist kinnisesse lasteasutusse paigutamise ennetähtaegseks lõpetamiseks ning palub Sotsiaalkindlustusameti arvamust meetme lõpetamise kohta.',
    'Lapse tagasipöördumist koju toetab pereteenus ja tugiisik. Lisatud on asutuse iseloomustus ja juhtumiplaani uuendus.',
    'Lugupidamisega\nTiina Lõhmus',
  ],
  [
    'Tere',
    'Eelmisel kuul saime teie piirkondlikult spetsialistilt selle pere osas nõu ja leppisime kokku, et proovime veel intensiivset pereteenust. Kahjuks ei ole see aidanud: noormees on kahe nädala jooksul kaks korda kodust kadunud ja politsei on teda otsinud.',
    'Seetõttu esitame nüüd ametlikult taotluse Sotsiaalkindlustusameti arvamuse saamiseks lapse kinnisesse lasteasutusse paigutamiseks. Hindamise materjalid ja juhtumiplaan on lisatud.',
    'Lugupidamisega\nKarin Mets\nTartu Linnavalitsuse lastekaitse osakond',
  ],
  [
    'Tere',
    'Saadame KLAT arvamuse taotluse (LasteKS § 45²). Laps: T. P., 13 a. Kohtusse pöördume kohe, kui SKA arvamus käes. Materjalid: AVH, JP, kooli iseloomustus, PPA teated.',
    'Kontakt: lastekaitsespetsialist, tel 5555 1234.',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    `Haldusmenetluse seaduse § 14 ja lastekaitseseaduse § 45² alusel esitab Põllumäe Linnavalitsus taotluse ameti arvamuse saamiseks alaealise Liisa Rebase (isikukood ${CHILD_4}) kinnisesse lasteasutusse paigutamise kohta.`,
    'Laps on alates septembrist elanud asenduskodus, kust ta on korduvalt lahkunud. Ta on kahel korral toimetatud haiglasse alkoholimürgistusega ning on kontaktis täiskasvanutega, kes teda ilmselt ära kasutavad.',
    'Asenduskodu, kool ja tervishoiutöötajad on leidnud, et lapse elu ja tervise kaitseks ei piisa avatud asutuse meetmetest. Linn on arutanud lapse olukorda võrgustikukohtumisel ning jõudnud järeldusele, et ainus võimalus lapse kaitseks on paigutus kinnisesse lasteasutusse.',
    'Palume arvamus esitada seaduses sätestatud tähtaja jooksul. Vajadusel oleme valmis andma täiendavaid selgitusi.',
    'Lugupidamisega\nEvelin Tuul\nsotsiaalosakonna juhataja',
  ],
];

const NOUSTAMINE: string[][] = [
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kasemetsa valla lastekaitsetöötaja palub juhtumipõhist nõustamist keerulises lastekaitsejuhtumis. Peres kasvab kolm last, vanemad on lahus ja lapsed elavad vaheldumisi mõlema vanema juures. Ema on teatanud, et isa kasutab alkoholi ja on lastega hooletu, isa eitab seda.',
    'Oleme teinud abivajaduse hindamise, kuid spetsialist ei ole kindel, milliseid meetmeid rakendada ja kas lapsed on ohus. Sooviksime ameti lastekaitse spetsialistiga arutada juhtumit ja saada nõu edasise tegevuse osas.',
    'Lugupidamisega\nMaarja Ilves',
  ],
  [
    'Tere',
    'Vajaksime nõu ühe juhtumi osas: 9-aastane laps räägib koolis, et kodus teda lüüakse, vanemad eitavad. Kas peaksime kohe politseisse pöörduma või kõigepealt perega kohtuma? Kas saaksite meid nõustada?',
    'Aitäh!\nPiret',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusameti lastekaitse osakond',
    'Olen 11-aastase poja ema. Meie perel on kohaliku omavalitsusega lastekaitsejuhtum, kuna poeg ei käi koolis ja tal on raske käitumine. Ma ei saa aru, mida vald minult ootab ja milliseid teenuseid me saame küsida.',
    'Palun nõustage mind: millised on minu õigused lastekaitsejuhtumis, kas ma võin näha juhtumiplaani ja kuidas ma saaksin pojale abi, et ta jälle kooli läheks.',
    'Lugupidamisega\nKatrin Sepp',
  ],
  [
    'Tere',
    'Jarvesalu valla lastekaitsespetsialist palub noustamist juhtumis, kus 4-aastane laps elab vanaema juures, kuna ema on vanglas. Vanaema soovib lapse eestkostjaks saada, kuid tal on terviseprobleemid.',
    'Sooviksime nou, kuidas lapse huve koige paremini hinnata, kas toetada eestkoste seadmist voi otsida muud lahendust. Kas saaksime juhtumi arutamiseks kohtuda teie piirkondliku lastekaitse spetsialistiga?',
    'Lugupidamisega\nAnu Vaher',
  ],
  [
    'Lugupeetud ametnik',
    'Kivisilla Vallavalitsuse lastekaitsespetsialist kaalub lastekaitseseaduse § 33 alusel hädaohus oleva lapse perekonnast eraldamist. Peres on korduvalt esinenud lähisuhtevägivalda ning viimati oli 6-aastane laps kodus tunnistajaks, kuidas isa ema peksis.',
    'Ema on nüüd koos lapsega turvakodus, kuid soovib koju tagasi minna. Spetsialist vajab nõustamist, kas eraldamise eeldused on täidetud ja kuidas olukorda hinnata.',
    'Palume võimalikult kiiret tagasisidet telefoni või e-posti teel.',
    'Lugupidamisega\nMarko Lind',
  ],
  [
    'Tere',
    'Meil on perekond, kus ema on raske depressiooniga ja kaks väikest last on sageli järelevalveta. Isa töötab välismaal ja käib kodus kord kuus. Vald on pakkunud koduteenust, kuid ema keeldub.',
    'Paluksime SKA lastekaitse spetsialisti nõustamist, kuidas abivajaduse hindamist jätkata ja milliseid meetmeid rakendada, kui vanem koostööd ei tee.',
    'Parimate soovidega\nLiina Oja, Põllumäe linna lastekaitsespetsialist',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    `Tartu Linnavalitsuse lastekaitse osakond menetleb lastekaitseseaduse § 27 ja § 28 alusel abivajava lapse juhtumit (laps ${CHILD_5}). Laps on 17-aastane, elab koos sõbraga üüripinnal, vanemad ei ole temaga mitu kuud suhelnud.`,
    'Tekkinud on küsimus, milline on omavalitsuse roll ja vastutus, kui laps ei soovi koju naasta ega asendushooldusele minna, ning kuidas toimida tema täisealiseks saamiseni jäänud kuude jooksul.',
    'Palume Sotsiaalkindlustusameti nõustamist selles juhtumis ning võimaluse korral kohtumist juhtumi arutamiseks.',
    'Lugupidamisega\nReet Kallas\nlastekaitse osakonna juhataja',
  ],
  [
    'Tere',
    'Eelmisel aastal osalesime teie korraldatud koolitusel lapse heaolu hindamise kohta ja see oli väga kasulik. Nüüd on meil juhtum, kus vajame konkreetselt nõu.',
    'Kaheteistkümneaastane tüdruk on rääkinud sõbrannale, et kasuisa puudutab teda ebasobivalt. Oleme teavitanud politseid, kuid ema ei usu last. Kuidas peaks lastekaitsetöötaja edasi tegutsema ja last toetama seni, kuni uurimine käib?',
    'Tänan ette\nSigne Org',
  ],
  [
    'Lugupeetud piirkondlik lastekaitse spetsialist',
    'Kasemetsa vald soovib kokku leppida kohtumist juhtumi arutamiseks. Tegemist on perega, kus vanemate vahel on pikaajaline hooldusõiguse vaidlus ning lapsed on vaidlusse tugevalt kaasatud.',
    'Lastekaitsetöötaja soovib nõu, kuidas lastega rääkida, kuidas vanematega suhelda ja millise arvamuse anda, kui kohus seda küsib.',
    'Lugupidamisega\nMaarja Ilves',
  ],
  [
    'Tere',
    'palun nõu - 15a poiss varastab poest, koolis kiusab teisi, ema ütleb et ei jaksa. Alaealiste komisjoni enam ei ole, mis meetmed meil praegu on? Kas keegi teist saaks meile helistada?',
    'Tervitades\nJaan, Kivisilla vald',
  ],
];

const MENTORLUS: string[][] = [
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kasemetsa Vallavalitsuses alustas 1. novembril tööd uus lastekaitsespetsialist Kertu Valge. Tal on sotsiaaltöö haridus, kuid varasem töökogemus lastekaitses puudub.',
    'Palume Sotsiaalkindlustusametil pakkuda uuele lastekaitsetöötajale mentorlust, et toetada tema sisseelamist ja aidata tal esimestel kuudel juhtumitega toime tulla.',
    'Lugupidamisega\nHelle Saar\nsotsiaalosakonna juhataja',
  ],
  [
    'Tere',
    'Olen Järvesalu valla uus lastekaitsetöötaja, alustasin kaks nädalat tagasi. Kuulsin, et SKA-s saab uus töötaja endale mentori. Kas saaksin ka? Mul on kohe mitu keerulist juhtumit ja tahaksin kogenud kolleegilt küsida.',
    'Aitäh\nLaura Mänd',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Tartu Linnavalitsuse lastekaitse osakonda on alates oktoobrist tööle asunud kaks uut lastekaitsespetsialisti, kes on hiljuti lõpetanud ülikooli. Osakond on koostanud neile sisseelamisplaani, kuid soovime, et nende professionaalset arengut toetaks ka ameti mentor.',
    'Palume kaasata uued töötajad Sotsiaalkindlustusameti uute lastekaitsetöötajate mentorprogrammi ning teatada, millal ja kuidas mentorlus algab ning kes on mentorid.',
    'Uute töötajate kontaktid on lisatud.',
    'Lugupidamisega\nReet Kallas\nlastekaitse osakonna juhataja',
  ],
  [
    'Tere',
    'Pollumae linnas on uus lastekaitsetootaja, kes alustas septembris. Palume talle mentorit Sotsiaalkindlustusametist, kuna linnas ei ole teist lastekaitsetootajat, kes saaks teda juhendada.',
    'Tootaja nimi on Mihkel Saar, kontaktid allpool.',
    'Lugupidamisega\nMerike Roos',
  ],
  [
    'Lugupeetud ametnik',
    'Kivisilla valla senine lastekaitsespetsialist lahkus töölt suvel ning tema asemele asus tööle Eliisa Kuusk, kes on varem töötanud koolis sotsiaalpedagoogina. Tal on menetluses üle kolmekümne juhtumi.',
    'Et ta saaks esimesel tööaastal vajalikku tuge, palume talle määrata Sotsiaalkindlustusameti mentor. Mentorlus aitaks tal kiiremini omandada lastekaitsetöö töövõtted ja vältida läbipõlemist.',
    'Lugupidamisega\nTiina Lõhmus\nvallasekretär',
  ],
  [
    'Tere',
    'Meie uue lastekaitsetöötaja mentorlusperiood lõpeb detsembris. Kuna ta oli vahepeal kolm kuud haiguslehel, palume mentorlust pikendada veel kolme kuu võrra.',
    'Mentor on olnud väga toetav ja töötaja soovib koostööd jätkata.',
    'Lugupidamisega\nAnneli Kask, Järvesalu Vallavalitsus',
  ],
  [
    'Tere',
    'Meil alustas uus lastekaitsespetsialist Kadi Rand ja sooviksime talle mentorit teie poolt. Lisaks küsiks, kas tal oleks võimalik osaleda ka kevadistel lastekaitse põhikoolitustel.',
    'Tänan\nPiret Lill, Kasemetsa Vallavalitsus',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Seoses Järvesalu ja Laanemetsa valla ühinemisega on ühinenud vallas kaks uut lastekaitsespetsialisti, kes alustasid tööd tänavu. Kummalgi ei ole varasemat kogemust lastekaitsetöös.',
    'Palume mõlemale uuele töötajale Sotsiaalkindlustusameti mentorlust. Töötajad on valmis kohtuma mentoriga kord kahe nädala jooksul ning tegema koostööd ka veebi teel.',
    'Lugupidamisega\nAnu Vaher',
  ],
  [
    'Tere',
    'Põllumäe linnas asus novembri alguses tööle uus lastekaitsetöötaja. Palume, et SKA määraks talle kogenud lastekaitsetöötaja mentoriks, kes juhendaks teda esimese tööaasta jooksul.',
    'Lugupidamisega\nLiina Oja',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Vastuseks Teie kirjale saadame täidetud mentorluse avalduse vormi. Tartu linna uus lastekaitsespetsialist Johanna Põder soovib osaleda uute lastekaitsetöötajate mentorprogrammis alates jaanuarist.',
    'Tema otsene juht on nõus, et töötaja kasutab mentorkohtumisteks tööaega.',
    'Lugupidamisega\nKarin Mets',
  ],
];

const TOONOUSTAMINE: string[][] = [
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kasemetsa Vallavalitsuse sotsiaalosakonnas töötab kolm lastekaitsetöötajat, kelle töökoormus on viimasel aastal oluliselt kasvanud. Töötajad on väsinud ning osakonnas on tunda läbipõlemise märke.',
    'Palume Sotsiaalkindlustusametil korraldada meie lastekaitsetöötajatele supervisiooni, et toetada nende vaimset heaolu ja tööga toimetulekut.',
    'Lugupidamisega\nHelle Saar',
  ],
  [
    'Tere',
    'Sooviksime grupisupervisiooni 4 lastekaitsetöötajale, eelistatult jaanuaris-veebruaris. Kas see on võimalik?',
    'Tervitades\nKadri, Järvesalu vald',
  ],
  [
    'Lugupeetud ametnik',
    'Tartu Linnavalitsuse lastekaitse osakond palub Sotsiaalkindlustusametil korraldada juhtumikonverentsi. Juhtumisse on kaasatud kool, perearst, psühhiaater, politsei ja asenduskodu ning spetsialistide seisukohad lähevad lahku.',
    'Lastekaitsetöötaja vajab juhtumikonverentsi, et võrgustik saaks ühiselt arutada lapse olukorda ja leppida kokku edasistes sammudes. Palume teatada, millised kuupäevad Teile sobivad.',
    'Lugupidamisega\nReet Kallas',
  ],
  [
    'Tere',
    'Maakonna lastekaitsetöötajad sooviksid kord kuus kokku saada kovisiooniks. Palume, et Sotsiaalkindlustusamet aitaks kovisioonigruppi juhtida ja leiaks kovisiooni läbiviija.',
    'Huvi on üles näidanud üheksa lastekaitsetöötajat viiest omavalitsusest.',
    'Lugupidamisega\nAnu Vaher',
  ],
  [
    'Tere',
    'Pollumae Linnavalitsus palub tooalast noustamist meie lastekaitsetootajatele. Meie tootajad vajavad tuge keeruliste juhtumite emotsionaalsel labitootamisel ja soovivad regulaarset individuaalset supervisiooni.',
    'Sobiv aeg oleks kord kuus, toopaeva teisel poolel.',
    'Lugupidamisega\nMerike Roos',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Kivisilla vallas juhtus eelmisel nädalal traagiline sündmus: hukkus laps, kelle pere oli lastekaitse vaateväljas. Juhtumiga tegelenud lastekaitsespetsialist on sügavalt šokis.',
    'Palume kiiremas korras võimaldada lastekaitsespetsialistile individuaalset supervisiooni ja kriisinõustamist ning kogu meeskonnale grupisupervisiooni.',
    'Lugupidamisega\nTiina Lõhmus',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Sotsiaalhoolekande seaduse ja lastekaitseseaduse alusel on omavalitsuse lastekaitsetöötaja ülesanne tegeleda abivajavate laste juhtumitega, mis nõuab suurt emotsionaalset pingutust. Põllumäe Linnavalitsus peab oluliseks oma töötajate professionaalset toetamist.',
    'Palume Sotsiaalkindlustusametilt töönõustamist ja supervisiooni linna lastekaitse meeskonnale 2027. aasta esimesel poolaastal. Meeskonnas on viis töötajat, kellest kaks alustasid tööd tänavu.',
    'Oleme valmis tagama ruumid ja leppima kokku sobivad kuupäevad.',
    'Lugupidamisega\nEvelin Tuul',
  ],
  [
    'Tere',
    'Meie meeskond vajab töönõustamist: viimasel ajal on palju konflikte vanematega ja kaebusi meie tegevuse kohta. Sooviksime, et keegi aitaks meil oma tööd analüüsida ja leida viise, kuidas pingelisi olukordi paremini lahendada.',
    'Tervitades\nSigne Org, Kasemetsa vald',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Järvesalu Vallavalitsus soovib korraldada juhtumikonverentsi perele, kus kasvavad neli last ning kellega tegelevad nii valla sotsiaaltöötaja, lastekaitsetöötaja, kool kui ka erihoolekande teenuse osutaja.',
    'Palume, et Sotsiaalkindlustusameti spetsialist juhiks juhtumikonverentsi ja aitaks võrgustikul ühise plaani kokku leppida.',
    'Lugupidamisega\nAnneli Kask',
  ],
  [
    'Tere',
    'Vastuseks teie pakkumisele kinnitame, et meie lastekaitsetöötajad soovivad osaleda grupisupervisioonis. Sobivad kuupäevad oleksid 12. jaanuar, 9. veebruar ja 9. märts.',
    'Osalejaid on kuus.',
    'Lugupidamisega\nLiina Oja',
  ],
];

const RAHVUSVAHELINE: string[][] = [
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Olen kuueaastase tütre ema. Tütre isa viis lapse suvepuhkuse ajal Soome ega ole teda tagasi toonud, kuigi lapse elukoht on Eestis ja meil on ühine hooldusõigus.',
    'Palun abi lapse tagasitoomiseks ja teavet, kuidas pöörduda Soome ametiasutuste poole. Olen kuulnud, et sellistes asjades tegeleb keskasutus.',
    'Lugupidamisega\nKristi Ploom',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Tartu Linnavalitsusele on pöördunud Norra lastekaitseasutus (Barnevernet), kes soovib teavet Eestis elava pere kohta. Pere elas varem Norras ning seal algatati lastekaitsemenetlus, kuid pere kolis enne selle lõppu Eestisse.',
    'Palume Sotsiaalkindlustusameti abi välisriigi asutuse päringule vastamisel ja teavet, kas teabevahetus peab toimuma keskasutuse kaudu.',
    'Lugupidamisega\nKarin Mets',
  ],
  [
    'Lugupeetud ametnik',
    `Kasemetsa Vallavalitsus kaalub alaealise Oskar Laane (isikukood ${CHILD_1}) paigutamist tema vanaema juurde, kes elab Lätis Valmiera linnas. Laps on praegu asenduskodus.`,
    'Nõukogu määruse (EL) 2019/1111 artikli 82 kohaselt tuleb lapse paigutamiseks teise liikmesriiki saada selle riigi pädeva asutuse nõusolek. Palume Sotsiaalkindlustusametil keskasutusena edastada Läti keskasutusele taotlus nõusoleku saamiseks ning juhendada meid vajalike dokumentide koostamisel.',
    'Lugupidamisega\nMaarja Ilves',
  ],
  [
    'Tere',
    'Edastame Vantaa linna sotsiaaltöö osakonna kirja tõlke. Soome kolleegid teatavad, et Soomes elav Eesti kodanikust 12-aastane laps on jäänud ilma vanemliku hoolitsuseta ja ema on Eestis.',
    'Soome asutus soovib teada, kas Eestis on sugulasi, kes saaksid lapse enda juurde võtta, ning palub sotsiaalraportit ema elutingimuste kohta. Kuidas peaksime edasi toimima?',
    'Lugupidamisega\nPiret Lill',
  ],
  [
    'Tere',
    'Pere kolis oktoobris Saksamaale, vald sai teada alles nüüd. Meil oli perega avatud lastekaitsejuhtum (lapsed 5 ja 8 a), vanemate alkoholitarvitamine. Kuidas anda juhtum üle Saksa asutustele?',
    'Jaan, Kivisilla vald',
  ],
  [
    'Harju Maakohus',
    'Harju Maakohus menetleb hooldusõiguse asja, milles laps elab koos isaga Rootsis ja ema elab Tallinnas. Kohus palub Sotsiaalkindlustusametil keskasutusena pöörduda Rootsi pädeva asutuse poole ja hankida teave lapse elutingimuste kohta Rootsis.',
    'Teabe saamiseks on kohus koostanud taotluse, mis on lisatud. Palume teavet edastada kohtule kolme kuu jooksul.',
    'Kohtunik Kaido Rebane',
  ],
  [
    'Tere',
    'Kasemetsa valda saabus Ukrainast saatjata alaealine, 16-aastane poiss, kes elab praegu tuttava pere juures. Tema vanemad on Ukrainas, isaga on telefoni teel kontakt.',
    'Palume noustamist, kuidas korraldada lapse eestkoste voi hooldus Eestis ja kuidas suhelda Ukraina asutustega. Kas Sotsiaalkindlustusamet saab aidata kontakti saamisel Ukraina lastekaitse teenistusega?',
    'Lugupidamisega\nSigne Org',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    `Välisministeeriumi konsulaarosakond teavitas Põllumäe Linnavalitsust, et Iirimaal on võetud ametiasutuse hoolde Eesti kodanikust laps (isikukood ${CHILD_6}). Lapse ema on Iirimaal kriminaalmenetluses.`,
    'Iiri lastekaitseasutus Tusla soovib teavet lapse Eestis elavate sugulaste kohta ning võimaluse kohta laps Eestisse tagasi tuua. Palume Sotsiaalkindlustusameti abi suhtlemisel Iiri asutusega ja lapse Eestisse toomise korraldamisel.',
    'Lugupidamisega\nEvelin Tuul',
  ],
  [
    'Lugupeetud ametnik',
    'Järvesalu Vallavalitsus menetleb lapse suhtluskorra küsimust. Lapse isa elab alaliselt Iirimaal ja soovib lapsega suhelda. Selleks, et hinnata isa elutingimusi ja suhtlemise tingimusi, vajame teavet Iiri ametiasutustelt.',
    'Palume Sotsiaalkindlustusametil taotleda välisriigi pädevalt asutuselt sotsiaalraportit isa elu- ja perekondlike olude kohta ning edastada see meile.',
    'Lugupidamisega\nAnneli Kask',
  ],
  [
    'Tere',
    'Meile tuli kiri Leedu lastekaitseametilt leedu keeles, tõlke lisame. Leedus elav ema väidab, et laps viidi Eestisse ilma tema nõusolekuta ja palub kontrollida lapse olukorda Eestis.',
    'Kas Eesti keskasutus on sellest teadlik ja kuidas peaksime vastama? Lapse isa elab Põllumäe linnas.',
    'Lugupidamisega\nMerike Roos',
  ],
];

const MUU: string[][] = [
  [
    'Tere',
    'Edastame arve nr 2026/118 lastekaitsetöötajate koolituse ruumide rendi eest vastavalt kokkuleppele. Arve summa 320 eurot, maksetähtaeg 14 päeva.',
    'Küsimuste korral palume pöörduda raamatupidamise poole.',
    'Lugupidamisega\nKivisilla Vallavalitsuse raamatupidamine',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
    'Tartu Linnavalitsus kutsub Teid osalema konverentsil „Lapsesõbralik kogukond“, mis toimub 15. jaanuaril Tartu raekojas. Konverentsil räägitakse laste osalusest kohaliku elu korraldamisel, noorsootööst ja koolide ning omavalitsuse koostööst.',
    'Palume registreeruda 5. jaanuariks. Soovi korral on võimalik esineda ka lühiettekandega.',
    'Lugupidamisega\nReet Kallas',
  ],
  [
    'Tere',
    'Palume esitada andmed Sotsiaalkindlustusameti poolt 2025. aastal Järvesalu valla elanikele osutatud teenuste kohta (ohvriabi, lepitusteenus, asendushooldus), et koostada valla sotsiaalvaldkonna arengukava.',
    'Vajame andmeid üldistatud kujul, ilma isikuandmeteta.',
    'Lugupidamisega\nAnu Vaher',
  ],
  [
    'Teabenõue',
    'Avaliku teabe seaduse § 14 alusel palun väljastada koopia Sotsiaalkindlustusameti ja Kasemetsa Vallavalitsuse vahel 2026. aastal sõlmitud koostöökokkuleppest ning selle lisadest.',
    'Teave palun saata e-posti teel.',
    'Lugupidamisega\nToomas Kõiv',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Olen ema ja soovin teada, kuidas saada kätte dokumendid, mis on minu ja mu laste kohta ametis koostatud. Palun saatke mulle kõik minu pere kohta olevad dokumendid ja selgitage, mis andmeid te minu kohta töötlete.',
    'Isikuandmete kaitse üldmääruse alusel on mul õigus neid teada.',
    'Lugupidamisega\nKatrin Sepp',
  ],
  [
    'Tere',
    'Põllumäe linn korraldab 20. veebruaril perevanematele ja hooldusperedele koolituse teemal „Lapse kiindumussuhe ja traumateadlik kasvatus“. Kutsume ka Sotsiaalkindlustusameti esindajat tutvustama asendushoolduse teenuseid.',
    'Koolitus toimub linnavalitsuse saalis kell 10–15.',
    'Lugupidamisega\nLiina Oja',
  ],
  [
    'Lugupeetud koostööpartner',
    'Teatame, et alates 1. jaanuarist on Kivisilla Vallavalitsuse sotsiaal- ja haridusosakonna uus aadress Kooli tn 3, Kivisilla. Osakonna uus juhataja on Marko Lind, e-post marko.lind@kivisilla.ee.',
    'Palume kasutada kirjavahetuses uusi kontaktandmeid.',
    'Lugupidamisega\nTiina Lõhmus\nvallasekretär',
  ],
  [
    'Tere',
    'Vastuseks teie küsimustikule lastekaitsetöö korralduse kohta omavalitsuses saadame täidetud vormi. Meil on 1,5 ametikohta lastekaitses, juhtumeid on aasta lõpu seisuga 74.',
    'Lugupidamisega\nPiret Lill, Kasemetsa Vallavalitsus',
  ],
  [
    'Lugupeetud Sotsiaalkindlustusamet',
    'Järvesalu Vallavalitsus saadab allkirjastamiseks piirkondliku võrgustikukohtumise koostöökokkuleppe projekti. Kokkuleppe eesmärk on korraldada kord kvartalis maakonna sotsiaal-, haridus- ja tervishoiutöötajate ühiseid kohtumisi.',
    'Palume tagasisidet kokkuleppe projektile 10. detsembriks.',
    'Lugupidamisega\nAnneli Kask',
  ],
  [
    'Tere',
    'Tuletame meelde, et Kasemetsa valla laste ja noorte heaolu ümarlaud toimub 3. detsembril kell 14 vallamajas. Päevakorras on noortekeskuse tegevuskava, koolitranspordi korraldus ja laste huvihariduse toetus.',
    'Palume kinnitada osalemine.',
    'Parimat\nMaarja Ilves',
  ],
];

const BY_CATEGORY: [Category, string[][]][] = [
  ['klat_arvamus', KLAT],
  ['noustamine', NOUSTAMINE],
  ['mentorlus', MENTORLUS],
  ['toonoustamine', TOONOUSTAMINE],
  ['rahvusvaheline', RAHVUSVAHELINE],
  ['muu', MUU],
];

const FORMATS: DocumentFormat[] = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];
const TITLES = ['Kiri', 'Dokument', 'Pöördumine', 'Vastus', 'Info'];
const EXT: Record<DocumentFormat, string> = { pdf: 'pdf', docx: 'docx', odt: 'odt', rtf: 'rtf', html: 'html', txt: 'txt' };

/** Letters 2 and 7 of each category travel inside an ASiC-E: the first as a PDF, the second as a DOCX. */
const IN_CONTAINER: Record<number, DocumentFormat> = { 2: 'pdf', 7: 'docx' };

export const HELDOUT2: Heldout2Letter[] = BY_CATEGORY.flatMap(([category, letters], ci) =>
  letters.map((paragraphs, j): Heldout2Letter => {
    const n = ci * 10 + j;
    const id = `h${String(n + 1).padStart(2, '0')}`;
    const inner = IN_CONTAINER[j];
    const format = inner ?? FORMATS[(ci + j) % FORMATS.length]!;
    const fileName = `${j % 2 === 0 ? 'kiri' : 'dokument'}_${id}.${EXT[format]}`;
    return {
      id,
      category,
      title: TITLES[n % TITLES.length]!,
      format,
      ...(inner ? { container: `${id}.asice` } : {}),
      fileName,
      paragraphs,
    };
  }),
);

