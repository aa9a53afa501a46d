import type { Category } from '../../src/cases/categories';
import type { DocumentFormat } from '../fixtures-gen/documents';
import { personalCode } from '../fixtures-gen/personal-code';
import type { CorpusLetter } from './heldout-harness';

/**
 * The eighth held-out corpus: 60 letters to SKA's child-welfare department, 10 per category, written from what
 * each category means (a request for counselling on a case, for SKA's opinion on a closed children's
 * institution, for a mentor, for supervision, a cross-border case, anything else) and independently of the
 * classification rules: nobody who wrote them read the rules or tuned a letter to a verdict. Its slant is the
 * short and terse letter: one to five lines typed in a hurry on a phone, forwarded e-mails with a line on top,
 * often no greeting, many without Estonian diacritics or with typos, Russian-speaking writers whose Estonian has
 * grammar errors, and questions in place of requests ("kas te saaksite ...", "kuhu pöörduda"); a few run to a
 * page. Their authors are fictional: KOV child-protection workers (one of them new), heads of social departments,
 * a municipal secretary, county courts, schools, a hospital, the police, a prosecutor's office, an embassy, a
 * Finnish municipality writing in Estonian, parents, a foster parent, NGOs, a journalist, a student and a
 * supervision company. At least three letters of every category mention another category's topic in passing;
 * the category is what the letter asks for. Every title is a generic one, as KOV document systems give it; the
 * subject is only in the file. Formats rotate over the six the generator makes, and twelve letters (PDF or DOCX)
 * travel inside an ASiC-E.
 */

const FORMATS: readonly DocumentFormat[] = ['pdf', 'docx', 'odt', 'rtf', 'html', 'txt'];

interface Draft {
  id: string;
  category: Category;
  title: CorpusLetter['title'];
  /** The file's name without its extension (the format decides that). */
  base: string;
  /** Travels inside an ASiC-E named `<base>.asice`. */
  boxed?: true;
  paragraphs: string[];
}

const DRAFTS: Draft[] = [
  // --- klat_arvamus -------------------------------------------------------------------------------------------
  {
    id: 'k1',
    category: 'klat_arvamus',
    title: 'Taotlus',
    base: 'taotlus_2026-11-18',
    boxed: true,
    paragraphs: [
      'Tere',
      `Narva Linnavalitsuse sotsiaalabiamet palub Teie arvamust kinnise lasteasutuse teenuse kohta alaealise Artjom Sergejev (isikukood ${personalCode('M', '2012-04-09', 215)}) jaoks. Poiss ei käi koolis juba kolm kuu, politsei on toonud teda koju mitu korda öösel, ema ei saa temaga hakkama.`,
      'Me tahame esitama kohtule avaldus teenuse määramiseks ja enne on vaja Teie arvamus. Varem saime selle juhtumi osas nõustamist Teie piirkonna spetsialistilt, nüüd oleme otsustanud kohtusse minna.',
      'Lisa: juhtumiplaan, kooli iseloomustus.',
      'Lugupidamisega',
      'Svetlana Ivanova',
      'lastekaitse peaspetsialist',
    ],
  },
  {
    id: 'k2',
    category: 'klat_arvamus',
    title: 'Dokument',
    base: 'maarus_2-26-14417',
    boxed: true,
    paragraphs: [
      'HARJU MAAKOHUS',
      'KOHTUMÄÄRUS',
      'Tsiviilasi nr 2-26-14417',
      `Kinnise lasteasutuse teenusele paigutamise loa pikendamine, alaealine Kätlin Mänd (isikukood ${personalCode('F', '2011-09-23', 84)}).`,
      'RESOLUTSIOON: Küsida Sotsiaalkindlustusameti arvamust alaealisele kinnise lasteasutuse teenusele paigutamise loa pikendamise kohta. Arvamus esitada kohtule 30 päeva jooksul määruse kättesaamisest.',
      'Määrus edasikaebamisele ei kuulu.',
      'Kohtunik Mart Kuusik',
    ],
  },
  {
    id: 'k3',
    category: 'klat_arvamus',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      `tere, meil poiss 14a (${personalCode('M', '2012-02-17', 303)}), jookseb pidevalt kodust ara, tarvitab, koolis ei kai. tahame kohtult kinnist teenust taotleda.`,
      'kas te saaksite oma arvamuse anda? mis dokumendid peab selleks saatma?',
      'Kristi, Rapla vald',
    ],
  },
  {
    id: 'k4',
    category: 'klat_arvamus',
    title: 'Pöördumine',
    base: 'poordumine_KLAT_lopetamine',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusamet',
      `Marten Ots (${personalCode('M', '2010-12-01', 42)}) viibib kohtu loal kinnise lasteasutuse teenusel alates 2026. aasta märtsist. Asutuse ja meie hinnangul on noor teinud suuri edusamme, käib koolis ja ema on valmis teda koju tagasi võtma.`,
      'Kaalume kohtule taotluse esitamist teenuse ennetähtaegseks lõpetamiseks ja palume enne seda Teie arvamust lõpetamise kohta. Juhtumit on viimased kuud vedanud meie uus kolleeg koos oma mentoriga, kontaktisik on allakirjutanu.',
      'Lugupidamisega',
      'Helle Rand',
      'sotsiaalosakonna juhataja, Põltsamaa vald',
    ],
  },
  {
    id: 'k5',
    category: 'klat_arvamus',
    title: 'Kiri',
    base: 'edastatud_kiri',
    paragraphs: [
      'Edastan kohtult tulnud määruse, meie lastekaitsetöötaja on puhkusel kuni 8.12. Palun vastake otse kohtule.',
      'Maire Tamm',
      'vallasekretär, Nõo Vallavalitsus',
      '-----Original Message-----',
      'From: Tartu Maakohus',
      'Subject: 2-26-9012 määrus',
      `Tartu Maakohus palub Sotsiaalkindlustusametil esitada 30 päeva jooksul arvamus, kas alaealise Robin Kase (isikukood ${personalCode('M', '2011-06-30', 158)}) paigutamine kinnise lasteasutuse teenusele on põhjendatud. Määrus on lisatud.`,
    ],
  },
  {
    id: 'k6',
    category: 'klat_arvamus',
    title: 'Taotlus',
    base: 'taotlus',
    paragraphs: [
      'Tere.',
      `Sillamae linnavalitsus. Nikita Petrov (${personalCode('M', '2011-03-14', 7)}) on praegu kinnises lasteasutuses, kohtu luba lopeb 15.01.2027. Me soovime pikendada, poiss ei ole valmis koju tulla, ema joob jalle. Isa elab Venemaal, temaga kontakti ei ole.`,
      'Palun teie arvamus pikendamise kohta et saaksime kohtule esitada. Aitah',
      'Olga Smirnova',
    ],
  },
  {
    id: 'k7',
    category: 'klat_arvamus',
    title: 'Pöördumine',
    base: 'poordumine_2026-11-20',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusameti laste heaolu osakond',
      `Viljandi Vallavalitsus kaalub kohtule avalduse esitamist kinnise lasteasutuse teenuse rakendamiseks 15-aastasele Liisa Rebasele (isikukood ${personalCode('F', '2011-05-02', 266)}). Tüdruk on viimase poole aasta jooksul korduvalt kodust lahkunud ja olnud mitu ööd teadmata kadunud, suhtleb endast palju vanemate meestega ning on politsei andmetel olnud seotud narkootikumide vahendamisega.`,
      'Peale on proovitud pereteraapiat, noorte tugiisikut, erikooli ja lühiajalist asendushooldust; ükski neist ei ole kestnud kauem kui paar nädalat, sest Liisa keeldub ega pea kokkuleppeid. Ema on ammendanud oma võimalused ja toetab avalduse esitamist.',
      'Juhtumi arutelu Teie eksperdiga toimus oktoobris ja siis leppisime kokku, et proovime veel kuu aega. Paraku olukord ei ole paranenud. Enne avalduse esitamist palume Sotsiaalkindlustusameti arvamust, kas kinnise lasteasutuse teenus on antud juhul sobiv ja proportsionaalne meede.',
      'Lisatud: abivajaduse hinnang, juhtumiplaan, politsei teatised.',
      'Lugupidamisega',
      'Siiri Kuusk',
      'lastekaitsespetsialist',
    ],
  },
  {
    id: 'k8',
    category: 'klat_arvamus',
    title: 'Dokument',
    base: 'Parnu_MK_2-26-7781',
    paragraphs: [
      'Lisatud kohtumäärus tsiviilasjas 2-26-7781.',
      'Palume SKA arvamust kinnise lasteasutuse teenuse pikendamise küsimuses hiljemalt 20.12.2026.',
      'Anu Lepik',
      'kohtuistungi sekretär, Pärnu Maakohus',
    ],
  },
  {
    id: 'k9',
    category: 'klat_arvamus',
    title: 'Kiri',
    base: 'kiri_SKA',
    paragraphs: [
      'Tere!',
      'Olen vallas alles 2 kuud tööl ja esimest korda selline asi, mentor soovitas kohe teile kirjutada. Tahame tüdrukule kinnise lasteasutuse teenust kohtult taotleda.',
      `Marleen Saar, ${personalCode('F', '2013-01-11', 91)}, 13a, ema ei suuda teda kontrollida, tüdruk on 3 korda olnud haiglas alkoholimürgistusega ja lõikab ennast.`,
      'Palun teie arvamust. Kas sellest kirjast piisab või on vaja midagi juurde saata?',
      'Triin Vaher, Kambja vald',
    ],
  },
  {
    id: 'k10',
    category: 'klat_arvamus',
    title: 'Vastus',
    base: 'vastus_11-2026',
    paragraphs: [
      'Vastuseks Teie 12.11.2026 kirjale saadame lisainfo.',
      `Lasnamäe Linnaosa Valitsus palub Sotsiaalkindlustusameti arvamust Daniil Koval (${personalCode('M', '2010-08-19', 530)}) kinnise lasteasutuse teenuse ennetähtaegse lõpetamise kohta. Noor on teenusel olnud 8 kuud, osaleb ravis, ema elukoht on muutunud turvalisemaks. Juhtumit oleme arutanud ka meeskonna supervisioonis ning oleme ühel meelel, et ta on valmis koju naasma.`,
      'Pärast Teie arvamuse saamist esitame kohtule taotluse.',
      'Jekaterina Pavlova',
      'lastekaitsespetsialist',
    ],
  },

  // --- noustamine ---------------------------------------------------------------------------------------------
  {
    id: 'n1',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'tere, kas saaks kiiresti nõu?',
      '7a poiss, ema toob ta lasteaeda purjus peaga, isa keeldub suhtlemast. kas peaks kohe lapse perest eraldama või proovima veel kokkulepet emaga? pole varem sellist olnud',
      'helistage palun 5341 7720',
      'Merike, Kose vald',
    ],
  },
  {
    id: 'n2',
    category: 'noustamine',
    title: 'Pöördumine',
    base: 'poordumine',
    paragraphs: [
      'Tere, ma tahan küsida nõu ühe perega.',
      'Lapsed 3 tükki, vanem poeg (15) lööb nooremaid, ema ei tee midagi, ütleb et poisid kaklevad ise. Kas ma pean tegema abivajaduse hindamine ise või teie spetsialist saab tulla ja aidata hinnata? Kuidas õige edasi minna?',
      'Tänan',
      'Jelena Kuznetsova',
      'Kohtla-Järve Linnavalitsus',
    ],
  },
  {
    id: 'n3',
    category: 'noustamine',
    title: 'Taotlus',
    base: 'taotlus_juhtumikohtumine',
    boxed: true,
    paragraphs: [
      'Lugupeetud laste heaolu osakond',
      'Saue Vallavalitsus soovib korraldada ühe pere osas juhtumivõrgustiku kohtumise ja palub sinna Sotsiaalkindlustusameti eksperdi. Peres on kaks last (6 ja 9), vanemad on lahus, mõlemal sõltuvusprobleemid ja lapsed elavad vaheldumisi vanaema juures. Kool ja perearst on mures, võrgustik ei jõua ühisele seisukohale, mida edasi teha.',
      'Kinnise lasteasutuse teenus ei ole siin meie hinnangul asjakohane, pigem vajame abi, et hinnata laste abivajadust ja leppida kokku, kes mida teeb.',
      'Sobivad ajad: 10.12 või 12.12 kell 10. Kas see on võimalik?',
      'Lugupidamisega',
      'Kaire Lill',
      'lastekaitse juhtivspetsialist',
    ],
  },
  {
    id: 'n4',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri_kiire',
    paragraphs: [
      'Tere. Mu mentor on puhkusel, sellepärast kirjutan teile.',
      '15a tüdruk ütles täna koolipsühholoogile et kasuisa katsub teda. Ema ei usu. Mis ma nüüd kõigepealt tegema pean, kas politsei kohe, kas tohin tüdrukuga ise rääkida enne? Palun nõu täna kui saate.',
      'Mari-Liis, Lääneranna vald',
    ],
  },
  {
    id: 'n5',
    category: 'noustamine',
    title: 'Pöördumine',
    base: 'poordumine_noustamine',
    paragraphs: [
      'Tere',
      'Pöördun Teie poole ühe väga keerulise juhtumiga, kus vajame sisulist nõu, kuidas edasi toimida.',
      `Vanemad läksid lahku kaks aastat tagasi ja sellest ajast on käinud vaidlused lapse (Emma, ${personalCode('F', '2017-07-07', 12)}) elukoha ja suhtluskorra üle. Kohus määras suhtluskorra, kuid ema takistab seda järjepidevalt, isa esitab iga nädal uusi avaldusi meile, politseisse ja kooli. Laps on hakanud kurtma kõhuvalu üle ja keeldub isa juurde minemast. Mõlemad vanemad süüdistavad teineteist vägivallas, kumbki pole seda tõendanud.`,
      'Meie töötaja on juhtumi pärast emotsionaalselt kurnatud ja seda on arutatud ka supervisioonis, aga sealt ei saa me vastust sellele, mida lapse huvides praegu teha. Kas peaksime pöörduma kohtusse, soovitama perelepitust või taotlema lapsele eraldi esindajat?',
      'Palume Teie eksperdi konsultatsiooni, sobib ka veebikohtumine.',
      'Lugupidamisega',
      'Reet Saar',
      'sotsiaalosakonna juhataja, Kiili vald',
    ],
  },
  {
    id: 'n6',
    category: 'noustamine',
    title: 'Kiri',
    base: 'FW_kooli_kiri',
    paragraphs: [
      'Edastan kooli kirja. Palun nõu, kas see on juba lastekaitseline juhtum ja mida ma peaksin tegema? Perega pole veel rääkinud. Anneli',
      '---------- Forwarded message ---------',
      'From: Haljala Kool',
      'Tere, 3. klassi õpilane tuleb juba teist kuud kooli näljasena, riided määrdunud ja liiga õhukesed. Emaga ei saa ühendust, telefon on kinni. Palun reageerige.',
      'Sotsiaalpedagoog Tiina Laur',
    ],
  },
  {
    id: 'n7',
    category: 'noustamine',
    title: 'Info',
    base: 'info',
    paragraphs: [
      'Tere. Vajan konsultatsiooni.',
      'Laps 11a, emal vaimse tervise probleemid (skisofreenia?), keeldub ravist. Isa teadmata. Vanaema tahab last enda juurde votta aga ema ei ole nous. Kuidas edasi, kas eestkoste vanaemale voi asendushooldus voi veel oodata?',
      'Toomas Kivi, Tõrva vald',
    ],
  },
  {
    id: 'n8',
    category: 'noustamine',
    title: 'Pöördumine',
    base: 'poordumine',
    paragraphs: [
      'Tere!',
      '9-aastane poiss on koolis väga agressiivne, lõi õpetajat, koolist tahetakse ta koduõppele saata. Ema tahab psühhiaatri juurde minna, isa keelab ja ütleb et poisil pole midagi viga. Isa käib Soomes tööl ja on kodus kord kuus, aga lapse asjades otsustab ikka tema.',
      'Mida ma saan lastekaitsetöötajana teha, kui vanemad ei ole ühel meelel? Kas saaksite mind nõustada või soovitada, kuidas lapse abivajadust hinnata?',
      'Lugupidamisega',
      'Ene Raud',
      'Räpina vald',
    ],
  },
  {
    id: 'n9',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Kas teie eksperdid aitaksid hinnata 4a lapse abivajadust? Kahtlus hooletusse jätmises, pere ei tee koostööd. Vald väike, olen üksi ja ei oska sellist juhtumit hinnata.',
      'Anu Mets, Ruhnu vald',
    ],
  },
  {
    id: 'n10',
    category: 'noustamine',
    title: 'Taotlus',
    base: 'taotlus_konsultatsioon',
    boxed: true,
    paragraphs: [
      'Tere,',
      'kas selle poisi puhul oleks mõistlik kinnine lasteasutus või on veel mingi muu võimalus? 13a, varastab, kaks korda politseis, koolis ei käi, ema ja vanaema on käed rüpes. Kohtule me veel ei lähe ja SKA arvamust praegu ei küsi, aga tahaks enne teie spetsialistiga juhtumit arutada, mis oleks järgmine samm.',
      'Aitäh,',
      'Kertu Tamm, Türi vald',
    ],
  },

  // --- mentorlus ----------------------------------------------------------------------------------------------
  {
    id: 'm1',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Tere, alustasin 1. novembril lastekaitsespetsialistina Luunja vallas.',
      'Kas mul oleks võimalik saada mentor? Kuulsin et teil on mentorlusprogramm uutele töötajatele.',
      'Kadri Pärn',
    ],
  },
  {
    id: 'm2',
    category: 'mentorlus',
    title: 'Pöördumine',
    base: 'poordumine',
    paragraphs: [
      'Tere.',
      'Mina olen uus lastekaitse töötaja Narva linnas, töötan alates septembrist. Eesti keel ei ole minu emakeel. Ma tahan liituda mentorlusprogrammiga. Kas on võimalik et mentor räägib ka vene keeles?',
      'Aitäh',
      'Irina Volkova',
    ],
  },
  {
    id: 'm3',
    category: 'mentorlus',
    title: 'Taotlus',
    base: 'taotlus',
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusamet',
      'Alatskivi osavallas alustab jaanuarist uus lastekaitsespetsialist, kes on varem töötanud koolis sotsiaalpedagoogina. Ta jääb vallas ainukeseks lastekaitsetöötajaks. Töönõustamine on meil vallas kõigile sotsiaaltöötajatele tagatud, kuid kogenud kolleegi, kes teda igapäevatöös juhendaks, meil ei ole.',
      'Palume leida talle mentor SKA mentorlusprogrammi kaudu.',
      'Lugupidamisega',
      'Urmas Kuld',
      'Peipsiääre Vallavalitsus',
    ],
  },
  {
    id: 'm4',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'tere, mu mentorlus lopeb detsembris, kas saaks veel pool aastat pikendada?',
      'mentoriga (Tiina) on vaga hea koostoo. kevadel tuleb mul esimene KLAT juhtum ja tahaks selle tema toega labi teha',
      'Liisi, Kehtna vald',
    ],
  },
  {
    id: 'm5',
    category: 'mentorlus',
    title: 'Pöördumine',
    base: 'poordumine_mentoriks',
    boxed: true,
    paragraphs: [
      'Tere',
      'Olen töötanud lastekaitses 12 aastat, praegu Elva vallas. Sooviksin hakata mentoriks uutele kolleegidele, sest mäletan kui raske oli ise alguses.',
      'Kuidas saab mentorlusprogrammiga mentorina liituda ja kas selleks on vaja mingit koolitust läbida?',
      'Lugupidamisega',
      'Aili Sepp',
    ],
  },
  {
    id: 'm6',
    category: 'mentorlus',
    title: 'Info',
    base: 'info',
    boxed: true,
    paragraphs: [
      'Vallavanema korraldusel teatan, et uus lastekaitsetöötaja Pille Rand alustab tööd 2.12.2026. Palun lisada ta mentorlusprogrammi ja määrata talle mentor.',
      'Kontakt: pille.rand@tapa.ee',
      'Sirje Laas',
      'vallasekretär, Tapa Vallavalitsus',
    ],
  },
  {
    id: 'm7',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Tere!',
      'Juhtumite osas olen paar korda teie nõustajatelt abi küsinud ja see on väga aidanud, aga mul oleks vaja kedagi pikemaajaliselt, kogenud lastekaitsetöötajat, kellega oma tööd ja otsuseid regulaarselt arutada.',
      'Kas mentorlus on mulle võimalik ka siis kui olen töötanud juba 8 kuud?',
      'Kätlin Kõiv, Vormsi vald',
    ],
  },
  {
    id: 'm8',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'FW_mentor',
    paragraphs: [
      'Edastan Marju kirja. Palun võtke temaga otse ühendust mentori asjus. Aet Kask, sotsiaalosakonna juhataja',
      '> Tere Aet, kas sa saaksid SKA-st küsida mulle mentorit? Esimesed kuud on olnud rasked, ei tea tihti mida ja kuidas teha ning küsida pole kelleltki. Marju',
    ],
  },
  {
    id: 'm9',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'tere, ma tootan Johvi vallas lastekaitses 3 kuud. ulemus utles et SKA annab mentor uutele tootajatele. kuhu poorduda et saada? aitah',
      'Aleksei Morozov',
    ],
  },
  {
    id: 'm10',
    category: 'mentorlus',
    title: 'Taotlus',
    base: 'taotlus_mentorid',
    paragraphs: [
      'Tere',
      'Meil alustasid oktoobris korraga kaks uut lastekaitsetöötajat, sest senine spetsialist jäi pensionile ja üleandmine oli väga lühike. Kas oleks võimalik mõlemale mentor leida, soovitavalt kedagi naabervallast, kellega saaks ka kohapeal kokku saada?',
      'Lugupidamisega',
      'Merle Tuisk',
      'Saarde Vallavalitsus',
    ],
  },

  // --- toonoustamine ------------------------------------------------------------------------------------------
  {
    id: 't1',
    category: 'toonoustamine',
    title: 'Taotlus',
    base: 'taotlus_supervisioon',
    boxed: true,
    paragraphs: [
      'Lugupeetud Sotsiaalkindlustusamet',
      'Rae Vallavalitsus palub meie lastekaitse meeskonnale (5 töötajat) grupisupervisiooni. Viimase poolaasta jooksul on juhtumite arv peaaegu kahekordistunud, kaks töötajat on olnud pikalt haiguslehel ja ülejäänud on väsinud ning räägivad lahkumisest.',
      'Sooviksime alustada võimalikult kiiresti, sobivad oleksid kohtumised kord kuus meie majas.',
      'Lugupidamisega',
      'Piret Ilves',
      'sotsiaal- ja tervishoiuosakonna juhataja',
    ],
  },
  {
    id: 't2',
    category: 'toonoustamine',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'tere, kas on voimalik individuaalset toonoustamist saada?',
      'olen ainuke lastekaitsetootaja vallas, 60 juhtumit, enam ei jaksa ja uni on kadunud.',
      'Kaja, Mulgi vald',
    ],
  },
  {
    id: 't3',
    category: 'toonoustamine',
    title: 'Pöördumine',
    base: 'poordumine',
    paragraphs: [
      'Tere.',
      'Meie osakond Narva-Jõesuu linnas palub supervisioon. Eelmisel kuul oli väga raske juhtum, laps suri, töötajad on väga halvas seisus ja üks ei tule enam tööle.',
      'Kas te saate korraldada grupi töönõustamine kiiresti? Meid on neli.',
      'Natalja Orlova',
    ],
  },
  {
    id: 't4',
    category: 'toonoustamine',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Tere!',
      'Minu mentorlusprogramm lõppes augustis, aitäh selle eest. Nüüd tunnen aga, et vajaksin regulaarset töönõustamist: juhtumeid on palju, kodus ei suuda tööst välja lülituda ja olen hakanud ka lähedaste peale ärrituma.',
      'Kas saaksin individuaalset supervisiooni?',
      'Eve Laan, Jõgeva vald',
    ],
  },
  {
    id: 't5',
    category: 'toonoustamine',
    title: 'Pöördumine',
    base: 'poordumine_toonoustamine',
    paragraphs: [
      'Tere',
      'Meie meeskond on viimased kuud tegelenud kahe kinnise lasteasutuse juhtumiga ja kohtuprotsessid koos vanemate ähvardustega on olnud väga kurnavad. Töötajad vajavad tuge, et ise toime tulla.',
      'Palume meie kolmele lastekaitsetöötajale grupitöönõustamist.',
      'Lugupidamisega',
      'Karin Pruul',
      'Haapsalu Linnavalitsus',
    ],
  },
  {
    id: 't6',
    category: 'toonoustamine',
    title: 'Taotlus',
    base: 'taotlus',
    paragraphs: [
      'Meie töötaja on pool aastat tegelenud lapseröövi juhtumiga, kus laps viidi Norrasse, ja see on teda väga kurnanud, juhtum ise on tänaseks lõppenud.',
      'Palume talle individuaalset töönõustamist (supervisiooni) 4-5 korda.',
      'Signe Mäe, Kastre vald',
    ],
  },
  {
    id: 't7',
    category: 'toonoustamine',
    title: 'Info',
    base: 'info_2027',
    boxed: true,
    paragraphs: [
      'Vallavalitsus soovib SKA kaudu lastekaitsetöötajatele supervisiooni 2027. aasta I poolaastaks, grupis 4 inimest. Palun teatage, kuidas seda taotleda ja mis ajast saaks alustada.',
      'Ly Roos',
      'vallasekretär, Lüganuse vald',
    ],
  },
  {
    id: 't8',
    category: 'toonoustamine',
    title: 'Kiri',
    base: 'FW',
    paragraphs: [
      'Edastan. Palun võimalusel individuaalne töönõustamine Reelikale, ise ta ei julge küsida.',
      'Helen',
      '---',
      'Helen, mul on tunne et ma ei suuda enam, igal õhtul mõtlen tööle, nutan autos enne kui lähen perede juurde. kas me saaks kuidagi supervisiooni?',
    ],
  },
  {
    id: 't9',
    category: 'toonoustamine',
    title: 'Pöördumine',
    base: 'poordumine',
    paragraphs: [
      'Tere',
      'Juhtumipõhist nõustamist oleme teilt varem saanud ja see on olnud abiks. Praegu ei vaja me nõu ühegi juhtumi osas, vaid meie töötajad vajavad ise tuge: koormus on suur, üks kolleeg lahkus ja tema juhtumid jagati ülejäänutele.',
      'Soovime grupitöönõustamist kolmele lastekaitsetöötajale.',
      'Tiia Vain',
      'Rakvere Linnavalitsus',
    ],
  },
  {
    id: 't10',
    category: 'toonoustamine',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Tere, kas Ida-Viru lastekaitsetootajatele saab ka sel aastal grupisupervisiooni? Meie vallast 3 inimest sooviks osaleda, vajadus on suur.',
      'Lugupidamisega Svetlana, Alutaguse vald',
    ],
  },

  // --- rahvusvaheline -----------------------------------------------------------------------------------------
  {
    id: 'r1',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    base: 'poordumine',
    paragraphs: [
      'tere, mu endine mees viis lapse suvel Lätti, pidi olema 2 nädalat ja ei ole tagasi toonud. Kohus on otsustanud et laps elab minuga.',
      `Laps Mia Ozola ${personalCode('F', '2018-03-21', 77)}. Politsei ütles et pöörduge SKA poole. kuhu poorduda et laps tagasi saada?`,
      'Kristiina',
    ],
  },
  {
    id: 'r2',
    category: 'rahvusvaheline',
    title: 'Info',
    base: 'teatis_PPA',
    paragraphs: [
      'Politsei- ja Piirivalveamet, Lõuna prefektuur',
      '08.11.2026 leiti Valga bussijaamast saatjata 12-aastane Läti Vabariigi kodanik Kristaps Liepa. Laps on paigutatud turvakodusse, vanematega ei ole õnnestunud ühendust saada.',
      'Palume SKA abi lapse tagasipöördumise korraldamisel koostöös Läti ametiasutustega.',
      'Komissar Rein Oja',
    ],
  },
  {
    id: 'r3',
    category: 'rahvusvaheline',
    title: 'Dokument',
    base: 'noot_Helsingi',
    boxed: true,
    paragraphs: [
      'Eesti Vabariigi Suursaatkond Helsingis',
      `Soome lastekaitse (Helsingin kaupungin lastensuojelu) võttis 24.11.2026 hoolde Eesti kodaniku Sofia Lepa (isikukood ${personalCode('F', '2019-10-05', 140)}). Lapse ema pöördus saatkonda ja palub abi, ta ei saa aru, milles teda süüdistatakse ja millal ta lapse tagasi saab.`,
      'Palume Sotsiaalkindlustusametil võtta ühendust Soome ametiasutustega ning vajadusel kaasata lapse Eesti elukohajärgne omavalitsus.',
      'Konsul Kadri Jürgens',
    ],
  },
  {
    id: 'r4',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'kiri_Jugendamt',
    paragraphs: [
      'Tere.',
      'Perekond kolis meie linnast aasta tagasi Saksamaale. Nüüd saatis Jugendamt (Hamburg) meile kirja et lapsed on hooletusse jäetud ja küsib infot pere kohta ja kas Eestis on sugulased kes võiks lapsed võtta.',
      'Mida me peame vastama ja kas see käib läbi teie? Kiri on saksa keeles, tõlge lisatud.',
      'Tatjana Fjodorova, Maardu Linnavalitsus',
    ],
  },
  {
    id: 'r5',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    base: 'poordumine_TLH',
    paragraphs: [
      'Tallinna Lastehaigla, sotsiaaltöötaja',
      'Meil on ravil 2-aastane laps, kelle ema on Rootsi kodanik ja lahkus eile haiglast, ema asukoht teadmata. Ema sõnul on Rootsis pere kohta lastekaitsejuhtum avatud. Tallinna lastekaitse ütles, et nad saavad küll teilt nõustamist, aga välisriigiga suhtlemine on teie asi.',
      'Kelle poole pöörduda, et Rootsi sotsiaalteenistusega ühendust saada?',
      'Maarja Tali',
    ],
  },
  {
    id: 'r6',
    category: 'rahvusvaheline',
    title: 'Taotlus',
    base: 'taotlus_art82',
    paragraphs: [
      'Sotsiaalkindlustusamet, Eesti keskasutus',
      'Helsingi linna lastekaitse teenistus',
      `Me oleme 2026. aasta septembrist paigutanud asendushooldusse lapse Oliver Mäki (Eesti isikukood ${personalCode('M', '2014-11-28', 63)}), kes on Eesti ja Soome kodanik. Lapse vanaema elab Tartus ja on valmis lapse enda perre võtma.`,
      'Nõukogu määruse (EL) 2019/1111 (Brüsseli IIb) artikli 82 alusel me palume Eesti keskasutuse kaudu nõusolekut lapse paigutamiseks Eestis vanaema perre ning Eesti lastekaitse arvamust vanaema kodu sobivuse kohta.',
      'Lisatud: otsus asendushooldusele võtmise kohta, lapse sotsiaaltöö raport (tõlgitud eesti keelde).',
      'Me vabandame keele vigade pärast. Kontaktisik: sotsiaaltöötaja Anna Virtanen, telefon +358 40 123 4567.',
      'Lugupidamisega',
      'Mikko Laine',
      'lastekaitse juht',
    ],
  },
  {
    id: 'r7',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Tere',
      'Olen hooldusperevanem. Meie kasulapse (9a) bioloogiline ema elab Iirimaal ja tahab lapse enda juurde viia, eile helistas mulle Iirimaa sotsiaaltöötaja ja küsis lapse kohta igasugu asju. Mida ma tohin talle öelda ja mida teha? Valla lastekaitsetöötaja ütles et pöörduge SKA poole.',
      'Piia Ojamaa',
    ],
  },
  {
    id: 'r8',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    base: 'poordumine',
    paragraphs: [
      `Tere. Kadunuks tunnistatud 15a noor Kevin Laur (${personalCode('M', '2011-02-08', 389)}) leiti Turust, Soome lastekaitse teatas meile eile ja paigutas ta seal vastuvõtukeskusesse. Eestis on talle varem kaalutud ka kinnise lasteasutuse teenust.`,
      'Palume SKA abi noore Eestisse tagasitoomisel ja Soome ametiasutustega suhtlemisel. Ema on nõus ise järele sõitma.',
      'Kristel Mägi',
      'Põhja-Tallinna Valitsus',
    ],
  },
  {
    id: 'r9',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'kiri_kool',
    paragraphs: [
      'Tere,',
      'meie kooli 7. klassi õpilane ei tulnud pärast vaheaega tagasi, klassikaaslased ütlevad et isa viis ta Rootsi. Ema ei teadnud sellest midagi ja on meeleheitel, vanemad on lahus ja laps elas ema juures. Valla lastekaitse ei vasta.',
      'Kas SKA saab aidata last Rootsist üles leida ja tagasi tuua?',
      'Direktor Ülle Kangur, Vändra Gümnaasium',
    ],
  },
  {
    id: 'r10',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'kiri_Kanada',
    boxed: true,
    paragraphs: [
      'Tere!',
      'Olen vallas uus lastekaitsetöötaja ja mu mentor soovitas pöörduda otse teie poole. Ema soovib kolida lapsega Kanadasse, isa on vastu. Kanada kohtus on ema algatanud menetluse, isa elab Eestis ja sai sealt kohtukutse. Kanada kohus küsib ka Eesti lastekaitse hinnangut lapse olukorrale.',
      'Kuidas me sellises piiriüleses asjas toimime ja kas hinnangu peab saatma teie kaudu?',
      'Karmen Aas, Põlva vald',
    ],
  },

  // --- muu ----------------------------------------------------------------------------------------------------
  {
    id: 'u1',
    category: 'muu',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Tere, kas saaksime teilt lastekaitse teemalisi voldikuid eesti ja vene keeles kooli infostendi jaoks? Umbes 150 tk. Aadress: Tammsaare tee 12, Tallinn.',
      'Aitäh, sotsiaalpedagoog Olesja Kruus, Kadrioru Kool',
    ],
  },
  {
    id: 'u2',
    category: 'muu',
    title: 'Pöördumine',
    base: 'poordumine_koolitus',
    paragraphs: [
      'Tere',
      'Soovime tellida oma valla sotsiaal- ja lastekaitsetöötajatele (ca 12 inimest) koolituse teemal "Kinnise lasteasutuse teenus ja kohtumenetlus". Kas SKA korraldab selliseid koolitusi ja mis see maksaks? Sobiks veebruar või märts.',
      'Lugupidamisega',
      'Reelika Koppel, Tori vald',
    ],
  },
  {
    id: 'u3',
    category: 'muu',
    title: 'Kiri',
    base: 'tanukiri',
    paragraphs: [
      'Suur aitäh töönõustamise eest! Meeskond oli väga rahul, supervisor Tiina oli super ja pärast sessioone on tunduvalt kergem.',
      'Parimat, Kati ja Viimsi lastekaitse',
    ],
  },
  {
    id: 'u4',
    category: 'muu',
    title: 'Kiri',
    base: 'kiri_ERR',
    paragraphs: [
      'Tere, olen ajakirjanik ERR-ist ja teen lugu laste ärviimisest välismaale.',
      'Mitu Haagi konventsiooni juhtumit oli SKA-l 2025. aastal ja mitu last tagastati Eestisse? Kas saaksin teie osakonna juhilt lühikese kommentaari hiljemalt reedeks?',
      'Martin Sild, ERR uudised',
    ],
  },
  {
    id: 'u5',
    category: 'muu',
    title: 'Dokument',
    base: 'paring_VRP',
    boxed: true,
    paragraphs: [
      'Viru Ringkonnaprokuratuur',
      'Päring',
      `Kriminaalasjas nr 26230401 palub prokuratuur kriminaalmenetluse seadustiku § 215 alusel väljastada Sotsiaalkindlustusametis olemasolevad dokumendid ja andmed alaealise Jaroslav Tšernõšov (isikukood ${personalCode('M', '2012-12-12', 18)}) ja tema perekonna kohta ajavahemikul 01.01.2024 kuni tänaseni, sealhulgas teated, kirjavahetus omavalitsusega ja teenuste otsused.`,
      'Andmed palume esitada 10 tööpäeva jooksul aadressile viru@prokuratuur.ee.',
      'Vanemprokurör Ivo Tamme',
    ],
  },
  {
    id: 'u6',
    category: 'muu',
    title: 'Dokument',
    base: 'arve_2026-118',
    boxed: true,
    paragraphs: [
      'OÜ Tugipunkt',
      'ARVE nr 2026-118, kuupäev 20.11.2026',
      'Maksja: Sotsiaalkindlustusamet',
      'Grupisupervisioon Saue valla lastekaitsetöötajatele, 3 x 3 h, 810,00 EUR. Käibemaksuta.',
      'Maksetähtaeg 14 päeva. Viitenumber 2026118.',
    ],
  },
  {
    id: 'u7',
    category: 'muu',
    title: 'Taotlus',
    base: 'taotlus',
    paragraphs: [
      'Tere, alustasin novembris lastekaitsespetsialistina Kuusalu vallas, mentor on mul juba määratud ja sellega kõik korras.',
      'Palun avage mulle ligipääs SKA koolituste keskkonda ja lastekaitsetöötajate infolisti, praegu ei saa sisse logida.',
      'Anne-Ly Puusepp',
    ],
  },
  {
    id: 'u8',
    category: 'muu',
    title: 'Pöördumine',
    base: 'kaebus',
    paragraphs: [
      'Tere. Ma tahan kaevata meie valla lastekaitsetöötaja peale, ta ei vasta telefonile 3 nädalat ja kaks korda ei tulnud kohtumisele mis lubas. Ma olen üksikema ja vajan abi poja lasteaia koha pärast.',
      'Kuhu pöörduda et kaebus esitada? Või kas te saate ise temaga rääkida?',
      'Ljudmila Ivanova, Kiviõli',
    ],
  },
  {
    id: 'u9',
    category: 'muu',
    title: 'Info',
    base: 'kutse',
    paragraphs: [
      'Lugupeetud laste heaolu osakond',
      'MTÜ Lapse Hääl kutsub SKA esindaja esinema konverentsil "Lapse hääl kohtumenetluses", mis toimub 12. märtsil 2027 Tartus. Ootame 20-minutilist ettekannet lastekaitsetöötaja rollist kohtus.',
      'Kas saaksite kellegi saata? Palume vastust jaanuari lõpuks.',
      'Heli Otsa, MTÜ Lapse Hääl juhatuse liige',
    ],
  },
  {
    id: 'u10',
    category: 'muu',
    title: 'Kiri',
    base: 'kiri',
    paragraphs: [
      'Tere, olen Tartu Ülikooli sotsiaaltöö magistrant ja kirjutan magistritööd uute lastekaitsetöötajate mentorlusest.',
      'Kas saaksin intervjueerida teie mentorlusprogrammi koordinaatorit ja kas teil on statistikat, mitu töötajat on programmi läbinud? Intervjuu võtab umbes tund.',
      'Laura Kask',
    ],
  },
];

/** The drafts with their formats (index modulo 6), file names and containers. */
export const HELDOUT8: CorpusLetter[] = DRAFTS.map((d, i) => {
  const format = FORMATS[i % FORMATS.length]!;
  if (d.boxed && format !== 'pdf' && format !== 'docx') throw new Error(`${d.id}: only a PDF or DOCX letter travels in an ASiC-E, not ${format}`);
  return {
    id: d.id,
    category: d.category,
    title: d.title,
    format,
    fileName: `${d.base}.${format}`,
    ...(d.boxed ? { container: `${d.base}.asice` } : {}),
    paragraphs: d.paragraphs,
  };
});
