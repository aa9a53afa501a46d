import { personalCode } from '../fixtures-gen/personal-code';
import { lettersOfDrafts, type CorpusDraft, type CorpusLetter } from './heldout-letters';

/**
 * The tenth held-out corpus: 60 letters to SKA's child-welfare department, 10 per category, written from what
 * each category means (a request for counselling on a case, for SKA's opinion on a closed children's
 * institution, for a mentor, for supervision, a cross-border case, anything else) and independently of the
 * classification rules: nobody who wrote them read the rules or tuned a letter to a verdict, and they were not
 * run through the classifier before they were committed. Its slant is the confusable inbox: letters that name
 * two or three services and ask for exactly one ("mentorit me ei vaja, küll aga supervisiooni", "nõustamist ei
 * palu, palume arvamust"); withdrawals and cancellations of an earlier request, a declined SKA offer and a
 * mentee's finished programme with thanks (all 'muu'); reminders and status inquiries that repeat a pending
 * request (they keep its category); a complaint about a late KLAT opinion, a request for the KLAT form only, a
 * municipality asking how many mentors there are for its planning, a pupil's research questions, minutes sent
 * for information, a vendor's offer (all 'muu'); letters whose subject points one way and whose request the
 * other (a father in Finland but only a domestic next step asked, so counselling; a child once in a closed
 * institution now in Sweden, so cross-border); workers asking for their own supervision or mentor in the first
 * person; a grandmother-guardian, a father and a pupil writing themselves; letters partly in Russian, English or
 * Finnish; and lengths from three lines to a page. At least four letters of every category mention another
 * category's topic; the category is what the letter asks for. The authors are fictional (KOV child-protection
 * workers and heads of department, county courts, an embassy, a Norwegian and a Finnish municipality, a parent,
 * a guardian, a pupil, a vendor). Every title is a generic one, as KOV document systems give it; the subject is
 * only in the file. Formats rotate over the six the generator makes, and twelve letters (PDF or DOCX) travel
 * inside an ASiC-E.
 */

const DRAFTS: CorpusDraft[] = [
  // 0
  {
    id: 'k1',
    category: 'klat_arvamus',
    title: 'Dokument',
    base: 'maarus_2-26-15832',
    boxed: true,
    paragraphs: [
      'TARTU MAAKOHUS',
      'KOHTUMÄÄRUS',
      'Tartu, 12. november 2026',
      'Tsiviilasi nr 2-26-15832',
      `Menetlusosalised: avaldaja Elva Vallavalitsus; alaealine Robin Tamm (isikukood ${personalCode('M', '2011-03-14', 271)}); alaealise esindaja vandeadvokaat Kaie Lepik.`,
      'Asjaolud. Elva Vallavalitsus esitas 6. novembril 2026 avalduse alaealise paigutamiseks kinnise lasteasutuse teenusele üheks aastaks. Avalduse kohaselt on alaealine korduvalt kasutanud vägivalda eakaaslaste ja ema vastu, ei ole alates septembrist koolis käinud ning tarvitab narkootilisi aineid. Vallavalitsuse andmetel on juhtumis varem saadud ka Sotsiaalkindlustusameti nõustamist, kuid senised meetmed ei ole olukorda parandanud.',
      'Kohus peab vajalikuks enne paigutamise loa andmise küsimuse lahendamist ära kuulata Sotsiaalkindlustusameti arvamuse.',
      'RESOLUTSIOON: Küsida Sotsiaalkindlustusametilt arvamust alaealise Robin Tamme kinnise lasteasutuse teenusele paigutamise kohta. Arvamus esitada kohtule hiljemalt 3. detsembriks 2026.',
      'Määruse peale ei saa edasi kaevata.',
      'Kohtunik Triin Valk',
    ],
  },
  // 1
  {
    id: 'u3',
    category: 'muu',
    title: 'Info',
    base: 'mentorprogramm_lopetatud',
    paragraphs: [
      'Tere',
      'Anname teada, et meie lastekaitsespetsialist Kerli Saks lõpetas novembris SKA mentorprogrammi. Mentorlus kestis aasta ja Kerli hindab seda väga kõrgelt – ta tuleb nüüd iseseisvalt toime ka keerulisemate juhtumitega ning julgeb ka kohtus sõna võtta.',
      'Suur aitäh mentor Epp Laanemäele ja programmi korraldajatele! Praegu meil uusi soove ei ole.',
      'Tervitustega',
      'Anu Lepik',
      'Kanepi Vallavalitsus',
    ],
  },
  // 2
  {
    id: 'n1',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri_joelahtme',
    paragraphs: [
      'Tere',
      'Jõelähtme valla lastekaitsest Marika Kuusk. Meil on juhtum, kus 6-aastase Oliveri isa elab ja töötab Soomes ning ema on lapsega siin. Isaga on ühendus olemas, ta on koostööaldis ja igapäevaselt telefoni teel lapsega suhtleb. Soome ametitega ühenduse võtmist ega mingit rahvusvahelist menetlust me ei vaja.',
      'Mure on ema joomine: lasteaed on kolm korda teatanud, et ema tuli lapsele järele purjuspäi. Ema eitab probleemi ega ole nõus sõltuvusnõustajaga kohtuma. Isa ei saa lähiajal Eestisse tulla.',
      'Palume nõu: kas peaksime kohe kaaluma lapse eraldamist või proovima kõigepealt tugiteenuseid ja kirjalikku kokkulepet emaga? Kuidas seda olukorda kõige paremini hinnata? Oleks tore, kui saaksime juhtumit arutada Teie piirkonna lastekaitse konsultandiga.',
      'Tänan',
      'Marika Kuusk',
    ],
  },
  // 3
  {
    id: 't1',
    category: 'toonoustamine',
    title: 'Pöördumine',
    base: 'poordumine_supervisioon',
    paragraphs: [
      'Tere',
      'Olen töötanud Põlva vallas lastekaitsespetsialistina kaheksa aastat. Mentorit ma ei vaja – olen ise kaks aastat olnud SKA mentorprogrammis mentor.',
      'Viimasel ajal tunnen aga, et jõud on otsas: magan halvasti, mõtlen õhtuti juhtumitele ja märkan, et olen peredega suheldes vähem kannatlik kui varem. Soovin endale individuaalset supervisiooni, et saaksin oma tööga jätkata ilma läbi põlemata.',
      'Kas Sotsiaalkindlustusamet saaks seda võimaldada? Sobivad nii kohtumised Tartus kui ka veebis.',
      'Aitäh',
      'Heli Männik',
    ],
  },
  // 4
  {
    id: 'r5',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'kiri_valga',
    paragraphs: [
      'tere, laps (9a) elab praegu Latis Valmieras vanaema juures, ema siin Valga vallas. Lati sotsiaaltootajad tahavad meilt infot pere kohta ja kusivad kas laps voiks sinna jaada.',
      'palun vahendage nendega, me ei tea kuidas ametlikult suhelda, nende kiri lisas.',
      'Mart, Valga vald',
    ],
  },
  // 5
  {
    id: 'm3',
    category: 'mentorlus',
    title: 'Taotlus',
    base: 'mentor_saue',
    paragraphs: [
      'Tere.',
      'Palun mentorit meie uuele kolleegile Liisa Rätsepale, alustas 16.11 Saue vallas lastekaitsetöötajana. Tema telefon 5123 4470.',
      'Aitäh, Helena',
    ],
  },
  // 6
  {
    id: 'u7',
    category: 'muu',
    title: 'Kiri',
    base: 'uurimistoo_kusimused',
    paragraphs: [
      'Tere!',
      'Olen 17-aastane Hanna Pärtel ja õpin Tallinna Reaalkooli 11. klassis. Kirjutan uurimistööd teemal "Kinnised lasteasutused Eestis".',
      'Kas te saaksite mulle öelda, mitu last on viimasel kolmel aastal olnud kinnise lasteasutuse teenusel ja kui mitmel juhul on SKA kohtule oma arvamust andnud? Huvitaks ka, kui palju on aastas rahvusvahelisi lapseröövi juhtumeid.',
      'Mind juhendab õpetaja Tiina Kaljuste. Ma ei vaja isikuandmeid, ainult üldist statistikat.',
      'Suur aitäh!',
      'Hanna',
    ],
  },
  // 7
  {
    id: 'r1',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    base: 'poordumine_lapse_tagasitoomine',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Keila, 17.11.2026',
      `Lääne-Harju Vallavalitsuse lastekaitse pöördub Teie poole 7-aastase Hugo Lepa (isikukood ${personalCode('M', '2019-03-22', 49)}) asjas.`,
      'Lapse ema viis Hugo 2. novembril 2026 ilma isa nõusolekuta Soome, Vantaale, ja teatas isale sõnumiga, et jääb sinna elama. Vanematel on ühine hooldusõigus ja laps on elanud kogu elu Paldiskis, kus ta käis ka lasteaias. Isa on pöördunud politseisse ja meie poole.',
      'Palume Sotsiaalkindlustusametil kui keskasutusel alustada lapse tagasitoomise menetlust 1980. aasta Haagi lapseröövi konventsiooni alusel ja võtta ühendust Soome keskasutusega. Isa avaldus, sünnitunnistus ja hooldusõigust tõendavad dokumendid on lisatud.',
      'Teadmiseks: isa küsis ka, kas vald saaks teda nõustada suhtlemisel lapsega; seda teeme ise. Teie poole pöördume üksnes rahvusvahelise menetluse pärast.',
      'Lugupidamisega',
      'Signe Leppik',
      'lastekaitsespetsialist',
    ],
  },
  // 8
  {
    id: 'k7',
    category: 'klat_arvamus',
    title: 'Kiri',
    base: 'kiri_antsla',
    paragraphs: [
      'tere',
      'palun SKA arvamust kinnise lasteasutuse teenuse kohta, poiss 15a, Antsla vald. taotlus, juhtumiplaan ja kooli info lisas. kohus ootab, kui saate siis enne 10. detsembrit',
      'aitah, Janek Org',
    ],
  },
  // 9
  {
    id: 'n5',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri_mulgi',
    paragraphs: [
      'tere, kas saaks konsultatsiooni yhe juhtumi osas. 2 last (4 ja 7a), ema joob, isa keeldub koostoost, vanaema tahab lapsed enda juurde votta. ei tea kas eraldada voi mitte.',
      'palun helistage 5622 9183',
      'Kristel, Mulgi vald',
    ],
  },
  // 10
  {
    id: 'm1',
    category: 'mentorlus',
    title: 'Pöördumine',
    base: 'poordumine_mentorprogramm',
    paragraphs: [
      'Tere',
      'Minu nimi on Kätlin Roos ja alustasin 1. oktoobril Kose valla lastekaitsespetsialistina. Varem olen töötanud koolis klassiõpetajana, lastekaitsetöö on minu jaoks uus.',
      'Soovin osaleda Sotsiaalkindlustusameti mentorprogrammis, et saada kogenud lastekaitsetöötaja toel kindlust juhtumite hindamisel ja dokumenteerimisel. Supervisiooni korraldab meie vald niigi kord kuus, nii et seda eraldi ei palu.',
      'Minu juht, sotsiaalosakonna juhataja Aare Lepp, toetab minu osalemist (ta on kirjas koopiaga).',
      'Tänan ette!',
      'Kätlin Roos',
    ],
  },
  // 11
  {
    id: 't3',
    category: 'toonoustamine',
    title: 'Vastus',
    base: 'vastus_rapina',
    paragraphs: [
      'Tere',
      'Vastuseks Teie küsimusele Räpina vallast: mentorit me ei vaja, sest meie uus töötaja tuli naabervallast ja on tegelikult kogenud.',
      'Küll aga vajame supervisiooni kogu lastekaitse- ja sotsiaaltöö meeskonnale, sest viimased kuud on olnud väga pingelised ja inimesed on väsinud. Palun andke teada, millal oleks võimalik alustada.',
      'Tervitades',
      'Maret Ploom',
    ],
  },
  // 12
  {
    id: 't2',
    category: 'toonoustamine',
    title: 'Taotlus',
    base: 'taotlus_grupisupervisioon',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Paide, 11.11.2026',
      'Paide Linnavalitsus palub Sotsiaalkindlustusametilt meie lastekaitse meeskonnale (4 töötajat) grupisupervisiooni.',
      'Oktoobri lõpus hukkus meie piirkonnas 3-aastane laps, kelle pere oli lastekaitse vaateväljas. Juhtum on kõigile töötajatele olnud väga raske: meedias on ilmunud kriitilisi artikleid, töötajad kahtlevad oma otsustes ja üks kolleeg on olnud pikalt haiguslehel.',
      'Juhtumi menetlus on lõppenud ja selle sisulist nõustamist me ei vaja. Vajame professionaalset tuge töötajatele endile, et nad saaksid juhtunut läbi töötada ja tööga jätkata.',
      'Palume võimalusel alustada supervisiooniga juba detsembris.',
      'Lugupidamisega',
      'Andres Kuusk',
      'sotsiaalvaldkonna juht',
    ],
  },
  // 13
  {
    id: 'u2',
    category: 'muu',
    title: 'Vastus',
    base: 'vastus_pakkumisele',
    paragraphs: [
      'Tere',
      'Täname, et pakkusite Setomaa valla lastekaitsetöötajale supervisiooni pärast suvel juhtunut. Arutasime seda ja otsustasime, et praegu me seda ei vaja: töötaja on saanud tuge töötervishoiu kaudu ja tunneb end hästi.',
      'Kui vajadus tekib, anname teada.',
      'Lugupidamisega',
      'Urve Pihlak',
      'Setomaa Vallavalitsus',
    ],
  },
  // 14
  {
    id: 'k3',
    category: 'klat_arvamus',
    title: 'Kiri',
    base: 'meeldetuletus_rakvere',
    paragraphs: [
      'Lugupeetud SKA laste heaolu osakond',
      'Tuletame meelde, et Rakvere Linnavalitsus saatis 2. novembril 2026 taotluse arvamuse saamiseks alaealise Kertu Liivaku kinnise lasteasutuse teenusel viibimise pikendamise kohta (meie kiri nr 7-2/2026-1018). Arvamust ei ole me seni saanud.',
      'Kehtiv kohtuluba lõpeb 14. detsembril ja Viru Maakohus ootab meie avaldust koos Teie arvamusega. Palume arvamus saata võimalikult kiiresti, hiljemalt 1. detsembriks.',
      'Kui vajate lisadokumente, andke palun teada.',
      'Lugupidamisega',
      'Anneli Pärn',
      'lastekaitse juhtivspetsialist, Rakvere Linnavalitsus',
    ],
  },
  // 15
  {
    id: 'r2',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'barnevernet_bergen',
    paragraphs: [
      'To: Sotsiaalkindlustusamet (Estonian Social Insurance Board), Laste heaolu osakond',
      'From: Barnevernet, Bergen kommune, Norway',
      'Date: 19 November 2026',
      'Dear colleagues,',
      'We are handling the case of a 5-year-old girl, an Estonian citizen, whose mother lived in Bergen until October 2026. The mother has now moved back to Estonia, reportedly to Tartu. The child is currently in emergency foster care in Bergen.',
      'Under Article 32 of the 1996 Hague Convention we kindly ask the Estonian Central Authority to provide a report on the situation of the mother and of the maternal grandmother in Tartu, and to assess whether a placement with the grandmother in Estonia could be possible.',
      'Palun vabandage, et kiri on enamasti inglise keeles; meie eesti keelt rääkiv kolleeg lisas selle lõigu. Palume Teil edastada taotlus asjaomasele omavalitsusele ja saata meile nende vastus.',
      'Kind regards,',
      'Ingrid Solberg, senior advisor',
    ],
  },
  // 16
  {
    id: 'n2',
    category: 'noustamine',
    title: 'Pöördumine',
    base: 'poordumine_kambja',
    paragraphs: [
      'Lugupeetud SKA',
      'Kambja Vallavalitsus soovib nõu 13-aastase tüdruku juhtumis, kes on viimastel kuudel mitu korda kodust ära läinud ja kelle kooliskäimine on katkendlik. Kool on teinud ettepaneku kaaluda kinnise lasteasutuse teenust.',
      'Rõhutame, et me ei taotle praegu Sotsiaalkindlustusameti arvamust kinnise lasteasutuse kohta ega ole kohtusse pöördumas. Meie küsimus on pigem see, kas see on üldse õige suund või peaksime kasutama muid teenuseid (nt intensiivne pereteenus, MST, tugiisik). Soovime, et Teie spetsialist hindaks meie senist tegevust ja annaks soovitusi, mida veel proovida.',
      'Saame kohtuda Tartus või veebis, sobivad 1.–5. detsember.',
      'Parimat',
      'Liina Rebane',
      'lastekaitsespetsialist',
    ],
  },
  // 17
  {
    id: 'm4',
    category: 'mentorlus',
    title: 'Vastus',
    base: 'vastus_jarva',
    paragraphs: [
      'Tere',
      'Teie pakkumine Järva valla lastekaitsetöötajatele grupisupervisiooniks jõudis meieni, aitäh. Supervisioon ei ole meile praegu vajalik, kuna meeskond käib oma supervisori juures.',
      'Küll aga vajaks mentorit meie uus kolleeg Kaspar Aun, kes alustas oktoobris ja kellel pole varasemat kogemust lastekaitses. Palun lisage ta mentorprogrammi järgmisesse gruppi ja leidke talle mentor.',
      'Lugupidamisega',
      'Maire Tõnisson',
      'Järva Vallavalitsus',
    ],
  },
  // 18
  {
    id: 'u4',
    category: 'muu',
    title: 'Kiri',
    base: 'kiri_kuusalu',
    paragraphs: [
      'Tere',
      'Palun saatke meile, kui võimalik, vorm või põhi, mille alusel omavalitsus küsib Sotsiaalkindlustusameti arvamust kinnise lasteasutuse teenuse kohta, ja nimekiri dokumentidest, mis tuleb taotlusele lisada.',
      'Meil ei ole praegu ühtegi konkreetset juhtumit, kuid uuendame valla lastekaitse töökorda ja soovime, et see oleks olemas.',
      'Aitäh',
      'Ene Mõttus, Kuusalu Vallavalitsus',
    ],
  },
  // 19
  {
    id: 'm2',
    category: 'mentorlus',
    title: 'Taotlus',
    base: 'taotlus_mentor_turi',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Türi, 13.11.2026',
      'Taotlus mentori saamiseks',
      'Türi Vallavalitsus palub määrata mentor meie uuele lastekaitsespetsialistile Marianne Kalmusele, kes asus tööle 2. novembril 2026. Mariannel on sotsiaaltöö haridus, kuid varasem lastekaitsetöö kogemus puudub ning ta on meie vallas ainus lastekaitsetöötaja.',
      'Konkreetsete juhtumite nõustamist me käesolevaga ei palu – selleks pöördume vajadusel eraldi. Soovime, et Marianne saaks esimesel tööaastal mentorprogrammi raames kogenud kolleegi regulaarset tuge.',
      'Lugupidamisega',
      'Rein Põld',
      'sotsiaalosakonna juhataja',
    ],
  },
  // 20
  {
    id: 't5',
    category: 'toonoustamine',
    title: 'Kiri',
    base: 'kiri_luunja',
    paragraphs: [
      'tere, kas saaks toonoustamist meie lastekaitsetootajale, tal oli vaga raske juhtum (lapse seksuaalne vaarkohtlemine), nyyd ei maga ja kardab toole tulla.',
      'Luunja vald, Piia',
    ],
  },
  // 21
  {
    id: 'k5',
    category: 'klat_arvamus',
    title: 'Pöördumine',
    base: 'poordumine_narva-joesuu',
    paragraphs: [
      'Здравствуйте! / Tere!',
      `Narva-Jõesuu Linnavalitsuse sotsiaalosakond pöördub Teie poole seoses Daniil Smirnovi (isikukood ${personalCode('M', '2011-01-27', 402)}) kinnise lasteasutuse teenusega. Daniil on teenusel alates 2026. aasta aprillist Viru Maakohtu määruse alusel.`,
      'По словам специалистов учреждения, мальчик очень изменился: посещает школу, побегов больше нет, отношения с матерью наладились.',
      'Seetõttu kaalume kohtule avalduse esitamist teenuse lõpetamiseks enne tähtaega ja palume Sotsiaalkindlustusameti arvamust teenuse lõpetamise kohta. Мама готова забрать сына домой с января.',
      'Dokumendid (asutuse aruanne, ema avaldus, kooli tõend) on lisatud.',
      'С уважением / Lugupidamisega',
      'Olga Petrova',
      'lastekaitsespetsialist',
    ],
  },
  // 22
  {
    id: 'n3',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri_rae',
    paragraphs: [
      'Tere!',
      'Olen Rae valla uus lastekaitsespetsialist, alustasin septembris. Teadmiseks: mentorprogrammi ma praegu ei taotle, sest meie osakonnas on kaks kogenud kolleegi, kes mind igapäevaselt toetavad.',
      'Küll aga vajan nõu ühes konkreetses juhtumis, milles ka kolleegid ei ole kindlad. 9-aastane laps rääkis koolis õpetajale, et kasuisa lööb teda, kuid võttis hiljem oma jutu tagasi. Politsei on teavitatud, aga menetlust ei alustatud. Ema väidab, et laps mõtles kõik välja.',
      'Kuidas peaksin edasi toimima? Kas peaksin tegema uue hindamise, kuidas last ise küsitleda ja kas on mõistlik kaasata lastemaja? Oleksin väga tänulik konsultatsiooni eest, kas telefoni teel või kohtudes.',
      'Lugupidamisega',
      'Anna-Liisa Põder',
      'Rae Vallavalitsus',
    ],
  },
  // 23
  {
    id: 'r6',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    base: 'isa_poordumine',
    paragraphs: [
      'Tere',
      'Kirjutan kui isa. Minu endine elukaaslane viis meie 5-aastase tütre suvepuhkuse ajal Hispaaniasse, Malagasse, ja ei ole tagasi tulnud, kuigi pidid tagasi olema 31. augustil. Ta ei vasta enam telefonile. Meil on ühine hooldusõigus, kohtulahendit lapse elukoha kohta ei ole.',
      'Vald soovitas mul kirjutada otse teile. Palun alustage menetlust, et tütar tuleks Eestisse tagasi. Saadan vajadusel kõik dokumendid. Kas pean lisaks esitama ka mingi avalduse vormi?',
      'Lugupidamisega',
      'Rasmus Kõiv',
      'tel 5811 2043',
    ],
  },
  // 24
  {
    id: 'n4',
    category: 'noustamine',
    title: 'Dokument',
    base: 'kutse_vorgustikukohtumisele',
    boxed: true,
    paragraphs: [
      'KUTSE VÕRGUSTIKUKOHTUMISELE',
      'Võru Linnavalitsus, 18.11.2026',
      `Võru Linnavalitsus kutsub Sotsiaalkindlustusameti laste heaolu osakonna spetsialisti osalema võrgustikukohtumisel 10-aastase Markus Hindi (isikukood ${personalCode('M', '2016-02-05', 163)}) juhtumis. Kohtumine toimub 3. detsembril 2026 kell 13.00 Võru Linnavalitsuses, ruum 204; osalevad ema, isa, kooli sotsiaalpedagoog, lastepsühhiaater ja ohvriabi töötaja.`,
      'Vanemad on lahutatud ja vaidlevad kohtus lapse elukoha üle. Laps on olnud aastaid vanemate konflikti keskel, tal on diagnoositud ärevushäire ja ta keeldub isa juurde minemast. Senised kokkulepped ei ole pidanud.',
      'Ootame SKA spetsialistilt hinnangut olukorrale ja soovitusi, kuidas juhtumiga jätkata. Valla lastekaitsetöötaja on mõlema vanema surve all ja vajame neutraalset eksperdi vaadet.',
      'Palume osalemisest teada anda 28. novembriks.',
      'Lugupidamisega',
      'Sirje Kangur',
      'lastekaitse vanemspetsialist',
    ],
  },
  // 25
  {
    id: 'u1',
    category: 'muu',
    title: 'Taotlus',
    base: 'taotluse_tagasivotmine',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Rapla, 19.11.2026',
      'Taotluse tagasivõtmine',
      `Rapla Vallavalitsus esitas 9. novembril 2026 Sotsiaalkindlustusametile taotluse arvamuse saamiseks alaealise Joosep Kure (isikukood ${personalCode('M', '2011-11-29', 220)}) kinnise lasteasutuse teenusele paigutamise kohta.`,
      'Võtame oma taotluse arvamuse saamiseks tagasi. Joosep nõustus vabatahtlikult minema sõltuvusravi rehabilitatsiooniprogrammi ja elab alates 16. novembrist ravikeskuses. Kohtusse me praegu ei pöördu ja arvamus ei ole enam vajalik.',
      'Täname abi eest ja vabandame tekitatud töö pärast.',
      'Lugupidamisega',
      'Kristi Saar',
      'lastekaitse peaspetsialist',
    ],
  },
  // 26
  {
    id: 'm5',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri_anija',
    paragraphs: [
      'Tere!',
      'Meie lastekaitsespetsialist Getter Luik alustas septembris SKA mentorprogrammis, kuid tema mentor lahkus novembri alguses töölt ja mentorlus katkes pärast kolme kohtumist.',
      'Palume leida Getterile uus mentor, et ta saaks programmi jätkata. Getter tegeleb praegu mitme keerulise juhtumiga ja mentori tugi on talle väga oluline.',
      'Lugupidamisega',
      'Tiiu Karu',
      'Anija Vallavalitsus',
    ],
  },
  // 27
  {
    id: 't4',
    category: 'toonoustamine',
    title: 'Pöördumine',
    base: 'kovisioon_laane-virumaa',
    paragraphs: [
      'Tere!',
      'Kirjutame kolme valla nimel: Vinni, Haljala ja Väike-Maarja vald. Meie lastekaitsetöötajad (kokku 6 inimest) töötavad väikestes omavalitsustes sageli üksi ega saa oma rasketest juhtumitest tulenevaid pingeid kellegagi jagada.',
      'Soovime, et Sotsiaalkindlustusamet aitaks meil korraldada regulaarse kovisioonigrupi koos koolitatud juhendajaga, näiteks kord kuus Rakveres. Eesmärk on töötajate endi toetamine ja läbipõlemise ennetamine, mitte konkreetsete juhtumite nõustamine.',
      'Lugupidamisega',
      'Kaia Orav',
      'Vinni valla sotsiaalosakond',
    ],
  },
  // 28
  {
    id: 'k2',
    category: 'klat_arvamus',
    title: 'Pöördumine',
    base: 'poordumine_laaneranna',
    paragraphs: [
      'Tere!',
      `Olen Lääneranna valla lastekaitsespetsialist Merle Kask. Kirjutan Teile 15-aastase Kevin Saare (isikukood ${personalCode('M', '2011-06-02', 118)}) asjas.`,
      'Esmalt täpsustuseks: mul on alates suvest SKA programmi kaudu mentor ja juhtumit oleme temaga põhjalikult arutanud, nii et nõustamist me selles küsimuses eraldi ei palu. Supervisiooni ei ole samuti vaja, see on meil olemas.',
      'Oleme jõudnud otsusele esitada Pärnu Maakohtule avaldus Kevini paigutamiseks kinnise lasteasutuse teenusele. Enne avalduse esitamist palume Sotsiaalkindlustusameti arvamust teenuse vajalikkuse kohta. Kevin on alates augustist kolm korda kodust kadunud, viimati leiti ta Tallinnast; teda kahtlustatakse mitmes varguses ja ta keeldub kõigist tugiteenustest. Ema ja kasuisa ei suuda tema käitumist mõjutada.',
      'Lisan juhtumiplaani, kooli iseloomustuse, noorsoopolitseiniku kirja ja psühhiaatri hinnangu.',
      'Parimate soovidega',
      'Merle Kask',
      'Lääneranna Vallavalitsus, tel 5341 2287',
    ],
  },
  // 29
  {
    id: 'r3',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'saatkond_london',
    paragraphs: [
      'Eesti Vabariigi Suursaatkond Londonis',
      'Konsulaarosakond, 21.11.2026',
      'Saatkonnale teatas Birminghami lastekaitseteenistus, et nad on võtnud ajutisse hoolde kaks Eesti kodanikust last (8 ja 11 aastat), kelle ema on haiglas ja isa asukoht on teadmata.',
      'Briti sotsiaalteenistus soovib leida lastele Eestis elavaid sugulasi, kes saaksid nad enda juurde võtta, ning küsib teavet laste varasema elu kohta Eestis. Lapsed on varem elanud Võru linnas.',
      'Palume Sotsiaalkindlustusametil võtta ühendust Briti sotsiaalteenistusega ja Võru Linnavalitsusega, et selgitada välja sugulaste võimalused lapsed enda juurde võtta. Saatkond on valmis suhtlust vahendama.',
      'Lugupidamisega',
      'Kristjan Raud',
      'konsul',
    ],
  },
  // 30
  {
    id: 'k4',
    category: 'klat_arvamus',
    title: 'Dokument',
    base: 'maarus_2-26-9114',
    boxed: true,
    paragraphs: [
      'PÄRNU MAAKOHUS',
      'Kohtumäärus',
      'Pärnu, 16.11.2026',
      'Tsiviilasi nr 2-26-9114',
      `Avaldaja: Põhja-Pärnumaa Vallavalitsus. Alaealine: Laura Vaher (isikukood ${personalCode('F', '2010-08-19', 35)}).`,
      'Põhja-Pärnumaa Vallavalitsus taotleb alaealise kinnise lasteasutuse teenusele paigutamise loa pikendamist kuue kuu võrra. Alaealine viibib teenusel alates 2026. aasta jaanuarist. Avalduse kohaselt on alaealise käitumises toimunud teatav paranemine, kuid teenuse lõpetamine ei ole veel tema huvides.',
      'Kohus leiab, et enne loa pikendamise küsimuse lahendamist tuleb ära kuulata Sotsiaalkindlustusameti arvamus.',
      'RESOLUTSIOON: Küsida Sotsiaalkindlustusametilt arvamust alaealise Laura Vaheri kinnise lasteasutuse teenusele paigutamise loa pikendamise kohta. Arvamus esitada kohtule 20 päeva jooksul. Kohtuistung toimub 17. detsembril 2026 kell 10.00.',
      'Kohtunik Aivar Lill',
      'Kohtusekretär Kadri Jõesaar',
    ],
  },
  // 31
  {
    id: 'u6',
    category: 'muu',
    title: 'Pöördumine',
    base: 'pretensioon_johvi',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Peadirektorile ja laste heaolu osakonna juhatajale',
      'Jõhvi, 23.11.2026',
      'Pretensioon',
      'Jõhvi Vallavalitsus esitas 8. oktoobril 2026 taotluse Sotsiaalkindlustusameti arvamuse saamiseks alaealise kinnise lasteasutuse teenusele paigutamise kohta. Arvamus saabus alles 18. novembril, pärast korduvaid meeldetuletusi. Selle tõttu lükkas Viru Maakohus istungi edasi ja laps oli veel viis nädalat ilma vajaliku kaitseta.',
      'Peame sellist viivitust vastuvõetamatuks. Palume kirjalikku selgitust, miks arvamuse andmine kestis ligi kuus nädalat, kes vastutab tähtaegade järgimise eest ja milliseid meetmeid amet rakendab, et arvamused jõuaksid edaspidi omavalitsuste ja kohtuteni õigeaegselt.',
      'Palume vastust 15 tööpäeva jooksul.',
      'Lugupidamisega',
      'Mihkel Rebane',
      'vallavanem',
    ],
  },
  // 32
  {
    id: 'n6',
    category: 'noustamine',
    title: 'Kiri',
    base: 'eestkostja_kiri',
    paragraphs: [
      'Tere',
      'Olen 11-aastase Emma eestkostja, tema vanaema, elame Otepää vallas. Ma ei kirjuta kaebusega, valla lastekaitsetöötaja on meid alati aidanud ja soovitas ise teie poole pöörduda.',
      'Emma ema on pärast vanglast vabanemist hakanud nõudma suhtlemist ja ootab last kooli juures. Emma kardab teda, aga ütleb ka, et igatseb. Ma ei tea, kuidas õigesti toimida – kas keelata kohtumised, lubada neid minu juuresolekul või pöörduda kohtusse.',
      'Palun kas teie spetsialist saaks meiega ja valla lastekaitsetöötajaga koos arutada, kuidas Emma huvides edasi minna?',
      'Lugupidamisega',
      'Valve Tammik',
      'tel 5390 1144',
    ],
  },
  // 33
  {
    id: 'm6',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri_viimsi',
    paragraphs: [
      'Tere / Hello,',
      'Kirjutan Viimsi Vallavalitsusest. Meie uus lastekaitsespetsialist Sofia Meyer alustas tööd novembris; ta on pärit Saksamaalt, on töötanud seal sotsiaaltöötajana ja räägib eesti keelt hästi, kuid Eesti lastekaitsesüsteem on tema jaoks uus.',
      'She asked me to add a few lines in English: "I would be very grateful for a mentor who could help me understand Estonian child protection practice, legislation and documentation during my first year."',
      'Seega palume Sofiale mentorit SKA mentorprogrammi kaudu. Rahvusvahelisi juhtumeid tal praegu menetluses ei ole, tegu on tavapärase sisseelamise toega.',
      'Lugupidamisega',
      'Kaire Leht',
      'lastekaitse juht',
    ],
  },
  // 34
  {
    id: 't6',
    category: 'toonoustamine',
    title: 'Taotlus',
    base: 'taotlus_narva',
    paragraphs: [
      'Здравствуйте!',
      'Narva Linnavalitsuse lastekaitse osakond palub Sotsiaalkindlustusametilt supervisiooni oma töötajatele. Meil on 7 lastekaitsespetsialisti, töökoormus on väga suur, igaühel üle 80 juhtumi, ja kaks inimest on viimasel ajal rääkinud töölt lahkumisest.',
      'Если возможно, просим организовать супервизию на русском языке, так как большинству сотрудников так легче говорить о своих переживаниях.',
      'Sobiks nii grupisupervisioon kui ka individuaalsed kohtumised. Juhtumite nõustamist me praegu ei vaja.',
      'С уважением,',
      'Tatjana Morozova',
      'osakonna juhataja',
    ],
  },
  // 35
  {
    id: 'u5',
    category: 'muu',
    title: 'Info',
    base: 'info_keila',
    paragraphs: [
      'Tere',
      'Planeerime Keila linna 2027. aasta eelarvet ja personalivajadust. Järgmisel aastal on plaanis palgata kaks uut lastekaitsetöötajat.',
      'Palun andke teada, mitu mentorit on SKA mentorprogrammis üldiselt saadaval ja kui palju uusi osalejaid programm aastas vastu võtab. Kas programmis osalemine on omavalitsusele tasuta? Praegu me kellelegi mentorit ei taotle, soovime vaid planeerimiseks infot.',
      'Lugupidamisega',
      'Andrus Tõnts',
      'sotsiaalosakonna arendusspetsialist',
    ],
  },
  // 36
  {
    id: 'r10',
    category: 'rahvusvaheline',
    title: 'Taotlus',
    base: 'taotlus_paigutus_iirimaale',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Tartu, 24.11.2026',
      'Taotlus lapse paigutamiseks Iirimaale',
      `Tartu Linnavalitsuse lastekaitseteenistus pöördub Teie poole 12-aastase Nora Kase (isikukood ${personalCode('F', '2014-01-18', 64)}) asjas. Nora on alates 2025. aastast perekonnas hooldamisel Tartus. Tema ainuke lähisugulane, tädi Anu Kask, elab koos perega püsivalt Corkis Iirimaal ning on valmis Nora enda juurde võtma.`,
      'Oleme tädiga pidanud mitu videokõnet, Nora külastas teda 2026. aasta suvel ja soovib väga tädi juurde kolida. Meie hinnangul on see lapse huvides.',
      'Kuna tegemist on lapse paigutamisega teise liikmesriiki, palume Sotsiaalkindlustusametil kui keskasutusel edastada Brüsseli IIb määruse artikli 82 kohane taotlus Iirimaa keskasutusele ja küsida Iirimaa pädeva asutuse nõusolekut paigutuseks. Lisatud on lapse abivajaduse hindamine, juhtumiplaan, tädi perekonna andmed ja lapse arvamus.',
      'Juhtumit menetleb meie uus lastekaitsespetsialist, kes osaleb SKA mentorprogrammis; kontaktisikuna palume siiski kasutada allakirjutanut.',
      'Lugupidamisega',
      'Liis Kuusik',
      'lastekaitseteenistuse juht',
    ],
  },
  // 37
  {
    id: 't7',
    category: 'toonoustamine',
    title: 'Kiri',
    base: 'kiri_kehtna',
    paragraphs: [
      'Tere',
      'Meie lastekaitsetöötaja tegeles eelmisel kuul juhtumiga, kus kohus paigutas 14-aastase noore kinnise lasteasutuse teenusele. Teie arvamus selles asjas on ammu esitatud ja menetlus on lõppenud, aitäh koostöö eest.',
      'Töötajale oli see aga väga raske: noor ja tema ema süüdistasid teda, ähvardasid ja kirjutasid temast sotsiaalmeedias. Ta tunneb end süüdi ja on kurnatud. Palun kas saaksite talle pakkuda töönõustamist või individuaalset supervisiooni?',
      'Lugupidamisega',
      'Inga Raud',
      'Kehtna Vallavalitsus',
    ],
  },
  // 38
  {
    id: 'k6',
    category: 'klat_arvamus',
    title: 'Kiri',
    base: 'kiri_saaremaa',
    paragraphs: [
      'Tere',
      `Kirjutan Saaremaa Vallavalitsusest. Meie vallas elav Mia Kallas (isikukood ${personalCode('F', '2013-05-08', 226)}) elas 2024–2025 koos emaga Soomes ja tuli eelmisel suvel Eestisse tagasi. Suhtlus Soome ametiasutustega on lõppenud ja rahvusvahelise juhtumina ei ole seda enam vaja käsitleda – laps ja ema elavad püsivalt Kuressaares.`,
      'Kahjuks on Mia olukord viimastel kuudel kiiresti halvenenud: ta on 13-aastane, kaob nädalateks kodust, suhtleb täiskasvanud meestega, kes teda ilmselt ära kasutavad, ning on kahel korral turvakodust ära läinud. Meie hinnangul on ainus võimalus teda kaitsta kinnise lasteasutuse teenus.',
      'Palume Teie arvamust Mia paigutamise kohta kinnise lasteasutuse teenusele, et saaksime esitada avalduse Pärnu Maakohtu Kuressaare kohtumajale.',
      'Lugupidamisega',
      'Kadri Sepp',
      'lastekaitsespetsialist',
    ],
  },
  // 39
  {
    id: 'u8',
    category: 'muu',
    title: 'Info',
    base: 'info_kiili',
    paragraphs: [
      'Tere',
      'Anname teada, et 2. detsembriks kokku lepitud võrgustikukohtumine, kuhu palusime ka Teie spetsialisti nõustama, jääb ära. Pere kolis eelmisel nädalal püsivalt Soome ja juhtum on meie vallas lõpetatud. Ema on ise võtnud ühendust Espoo sotsiaalteenistusega ja sealt ei ole meilt midagi küsitud.',
      'Teie abi me selles asjas enam ei vaja. Aitäh valmisoleku eest!',
      'Lugupidamisega',
      'Merike Tamm',
      'Kiili Vallavalitsus',
    ],
  },
  // 40
  {
    id: 'n7',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri_sillamae',
    paragraphs: [
      'Добрый день! / Tere!',
      'Kirjutan Sillamäe Linnavalitsusest, lastekaitsest. Вопрос по конкретному случаю, нужна консультация.',
      'Peres on 3 last, isa on ema vastu vägivaldne ja lapsed näevad seda. Ema ei taha politseisse pöörduda, kardab. Мы уже несколько раз говорили с ней, но она отказывается от помощи и от убежища. Lapsed käivad koolis, väliseid vigastusi ei ole.',
      'Palun andke nõu, kuidas hinnata laste ohtu ja mis on järgmised sammud, kui ema koostööd ei tee. Kas saaksime seda juhtumit arutada Teie spetsialistiga sel või järgmisel nädalal?',
      'Спасибо, Ирина Козлова',
      'lastekaitsespetsialist',
    ],
  },
  // 41
  {
    id: 'm7',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri_kadrina',
    paragraphs: [
      'Tere',
      'Esitasime 7. oktoobril taotluse mentori saamiseks meie uuele lastekaitsetöötajale Ragnar Tepale (Kadrina vald). Vastust ega infot mentori kohta ei ole me seni saanud.',
      'Palun andke teada, kas Ragnarile on mentor leitud ja millal mentorlus saab alata. Ragnar vajab tuge väga, sest ta on vallas ainuke lastekaitsetöötaja.',
      'Tervitades',
      'Ülle Kallas',
    ],
  },
  // 42
  {
    id: 't8',
    category: 'toonoustamine',
    title: 'Pöördumine',
    base: 'poordumine_parnu',
    paragraphs: [
      'Tere',
      'Olen Pärnu linna lastekaitsespetsialist ja kirjutan enda pärast. Viimased pool aastat menetlesin juhtumit, kus isa viis lapse Türki ja lapse tagastamine kestis kuid. Laps on nüüd tagasi Eestis ja rahvusvaheline osa on lõppenud – Teie kolleegid aitasid selles palju.',
      'Tunnen aga, et see juhtum on mind väga kurnanud. Vajan töönõustamist, et seda kõike läbi töötada. Kas saaksin supervisiooni SKA kaudu?',
      'Lugupidamisega',
      'Karin Laur',
    ],
  },
  // 43
  {
    id: 'm10',
    category: 'mentorlus',
    title: 'Pöördumine',
    base: 'poordumine_alutaguse',
    boxed: true,
    paragraphs: [
      'Tere',
      'Alustasin Alutaguse vallas lastekaitsetöötajana kaks kuud tagasi. Esimesed nädalad on olnud rasked ja kolleegid soovitasid mul küsida teilt töönõustamist. Mulle tundub aga, et ma ei ole läbi põlenud ega vaja praegu supervisiooni – vajan pigem kogenud inimest, kellelt küsida, kuidas asju tehakse, ja kes aitaks mul tööga sisse elada.',
      'Seepärast palun mind mentorprogrammi ja endale mentorit. Olen valmis sõitma kohtumistele Jõhvisse või Rakverre.',
      'Lugupidamisega',
      'Marleen Ilves',
      'lastekaitsespetsialist, Alutaguse Vallavalitsus',
    ],
  },
  // 44
  {
    id: 'r4',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'kiri_peipsiaare',
    paragraphs: [
      'Tere',
      'Peipsiääre Vallavalitsus menetleb 4-aastase Liisi asendushooldusele paigutamist, sest ema ei ole võimeline lapse eest hoolitsema. Lapse isa on Saksamaa kodanik, kelle viimane teadaolev elukoht oli Leipzigis, kuid temaga ei ole aasta jooksul ühendust saadud.',
      'Isa tuleb ära kuulata ja tema võimalused last enda juurde võtta välja selgitada. Palume Sotsiaalkindlustusametil võtta ühendust Saksamaa keskasutusega (Bundesamt für Justiz) ja Leipzigi noorsooametiga (Jugendamt), et isa leida ja temalt teada saada, kas ta soovib lapse eest hoolitseda või temaga suhelda.',
      'Isa teadaolevad andmed ja lapse sünnitunnistus on lisatud. Juhtumi muude küsimuste osas saame ise hakkama.',
      'Lugupidamisega',
      'Aivi Sild',
    ],
  },
  // 45
  {
    id: 'n8',
    category: 'noustamine',
    title: 'Pöördumine',
    base: 'poordumine_harku',
    paragraphs: [
      'Tere',
      'Harku Vallavalitsuse lastekaitse palub Sotsiaalkindlustusameti spetsialisti hinnangut meie tegevuskavale ühes keerulises juhtumis.',
      '12-aastane tüdruk on kooli psühholoogile vihjanud, et tema onu, kes elab samas majapidamises, puudutab teda ebasobivalt. Oleme teavitanud politseid ja lastemaja, kuid pere keeldub onu kodust välja kolimast ning ema ei usu last.',
      'Oleme koostanud tegevuskava: ajutine paigutus vanaema juurde, lastemaja intervjuu, pere kaasamine ümarlauda. Kas see on õige järjekord? Mida teha, kui ema ei nõustu lapse ajutise ümberpaigutamisega?',
      'Ennetame ühe küsimuse: juhtumi emotsionaalsest raskusest tingitud supervisiooni vajadus on meil valla kaudu eraldi lahendatud. Praegu vajame just sisulist nõu juhtumi kohta.',
      'Lugupidamisega',
      'Piret Laas',
    ],
  },
  // 46
  {
    id: 'u9',
    category: 'muu',
    title: 'Kiri',
    base: 'pakkumine_selgusepuu',
    paragraphs: [
      'Tere!',
      'Selgusepuu OÜ pakub lastekaitsetöötajatele supervisiooni, kovisiooni juhendamist ja mentorite koolitust. Meie supervisorid on rahvusvaheliselt sertifitseeritud ja töötavad eesti, vene ja inglise keeles.',
      'We would be happy to present our services to the child welfare department; our 2027 price list is attached. Hind alates 95 eurost tunnis, grupisupervisioon kokkuleppel.',
      'Kas saaksime kokku leppida 30-minutilise tutvustava kohtumise detsembris?',
      'Parimate soovidega',
      'Kerttu Allas',
      'juhatuse liige, Selgusepuu OÜ',
    ],
  },
  // 47
  {
    id: 'k8',
    category: 'klat_arvamus',
    title: 'Kiri',
    base: 'kiri_tapa',
    paragraphs: [
      'Tere, hea Sotsiaalkindlustusamet',
      `Saatsime Teile 4. novembril pöördumise, milles palusime nõustamist Tapa vallas elava 14-aastase Sander Kuuse (isikukood ${personalCode('M', '2012-07-30', 57)}) juhtumis. Selle nõustamise palve võtame tagasi, sest olukord on vahepeal oluliselt muutunud ja nõu pidamiseks ei ole enam aega.`,
      'Sander põgenes eelmisel nädalal asenduskodust juba neljandat korda, viibis kolm päeva teadmata kohas ja toimetati seejärel joobes olekus haiglasse. Asenduskodu ei suuda tema turvalisust tagada.',
      'Seetõttu esitame Viru Maakohtule avalduse Sanderi paigutamiseks kinnise lasteasutuse teenusele ja palume selleks Sotsiaalkindlustusameti arvamust. Dokumendid on lisatud. Palume arvamust kiiresti, kuna laps on otseses ohus.',
      'Lugupidamisega',
      'Tiina Mets',
      'Tapa Vallavalitsus',
    ],
  },
  // 48
  {
    id: 't10',
    category: 'toonoustamine',
    title: 'Taotlus',
    base: 'taotlus_lasnamae',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Tallinn, 24.11.2026',
      'Tallinna Lasnamäe Linnaosa Valitsuse sotsiaalhoolekande osakond taotleb lastekaitse talitusele supervisiooni.',
      'Talituses töötab 12 lastekaitsetöötajat, kellest neli on alustanud selle aasta jooksul. Uued töötajad osalevad SKA mentorprogrammis ja see toimib hästi, seda me muuta ei soovi. Samuti ei vaja me praegu konsultatsiooni üksikjuhtumite osas.',
      'Probleem on meeskonnas endas: töökoormus on kasvanud, kolleegide vahel on tekkinud pinged ja lahkhelid ning kaks pikaajalist töötajat on väljendanud soovi lahkuda. Juhtkond leiab, et ilma välise toeta me olukorda ei lahenda.',
      'Palume korraldada talitusele grupisupervisiooni (soovitavalt 6–8 kohtumist) ning vajadusel individuaalset töönõustamist kahele vanemspetsialistile.',
      'Kontaktisik: talituse juhataja Marina Vinogradova, tel 640 5512.',
      'Lugupidamisega',
      'Peeter Kask',
      'osakonna juhataja',
    ],
  },
  // 49
  {
    id: 'r7',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    base: 'poordumine_jogeva',
    paragraphs: [
      'Tere',
      `Palume Teid nõustada ja abistada. 16-aastane Oskar (isikukood ${personalCode('M', '2010-06-15', 275)}) oli 2025. aastal kohtu loal kinnise lasteasutuse teenusel, see lõppes märtsis. Nüüd oleme teada saanud, et ema on kolinud temaga Rootsi, Göteborgi, ning Oskar ei käi seal koolis ja on juba politseiga kokku puutunud.`,
      'Me ei saa Rootsis ise midagi teha. Palume Sotsiaalkindlustusametil võtta ühendust Rootsi sotsiaalteenistusega (socialtjänsten) ja edastada neile meie teave Oskari varasema abivajaduse kohta, et nad saaksid teda seal aidata. Kas selleks on vaja ema nõusolekut?',
      'Lugupidamisega',
      'Kairi Mänd',
      'Jõgeva Vallavalitsus',
    ],
  },
  // 50
  {
    id: 'm8',
    category: 'mentorlus',
    title: 'Kiri',
    base: 'kiri_maardu',
    paragraphs: [
      'Tere',
      'Maardu Linnavalitsuses alustasid sel sügisel kaks uut lastekaitsespetsialisti. Üks neist, Natalja Orlova, on varem töötanud Tallinnas lastekaitses ja mentorit ei soovi. Teine, Artur Lind, on äsja ülikooli lõpetanud ning soovib osaleda mentorprogrammis.',
      'Palun määrake Arturile mentor. Võimalusel võiks see olla keegi, kes oskab ka vene keelt, kuna suur osa meie peredest on venekeelsed.',
      'Parimate soovidega',
      'Svetlana Jakovleva',
      'sotsiaalosakonna juhataja',
    ],
  },
  // 51
  {
    id: 'u10',
    category: 'muu',
    title: 'Info',
    base: 'protokoll_umarlaud',
    paragraphs: [
      'Tere',
      'Edastame teadmiseks 14.11.2026 toimunud Mustvee valla laste heaolu ümarlaua protokolli.',
      'PROTOKOLL nr 11. Osalesid valla lastekaitsespetsialistid, koolide sotsiaalpedagoogid, noorsoopolitseinik ja perearst. Päevakord: 1) laste vaimne tervis koolides; 2) kinnise lasteasutuse teenuse vajadus piirkonnas – arutati üldiselt, konkreetseid taotlusi ei ole; 3) uue lastekaitsetöötaja sisseelamine – töötaja osaleb juba SKA mentorprogrammis; 4) järgmine ümarlaud 20. veebruaril 2027.',
      'Otsused: jätkata koostööd koolidega ja koguda andmeid laste vaimse tervise teenuste kättesaadavuse kohta.',
      'Sotsiaalkindlustusametilt me selle kirjaga midagi ei palu, protokoll on saadetud teadmiseks.',
      'Lugupidamisega',
      'Kaili Pärna',
      'Mustvee Vallavalitsus',
    ],
  },
  // 52
  {
    id: 'n9',
    category: 'noustamine',
    title: 'Kiri',
    base: 'kiri_torva',
    paragraphs: [
      'Tere, hea Kaja!',
      'Suur aitäh oktoobris antud nõustamise eest Rasmuse juhtumis – Teie soovitused aitasid meil isaga kokkuleppele jõuda ja laps elab praegu rahulikult vanaema juures.',
      'Kahjuks on olukord uuesti muutunud: ema tuli rehabilitatsioonist tagasi ja soovib last enda juurde, isa on sellele kategooriliselt vastu ning mõlemad ähvardavad kohtuga. Rasmus ise tahab jääda vanaema juurde.',
      'Kas saaksime uuesti konsultatsiooni? Vajame nõu, kuidas lapse arvamust kõige paremini välja selgitada ja kas ema juurde naasmist peaks ette valmistama järk-järgult.',
      'Tervitustega',
      'Eve Saar, Tõrva vald',
    ],
  },
  // 53
  {
    id: 'k9',
    category: 'klat_arvamus',
    title: 'Dokument',
    base: 'meeldetuletus_2-26-12780',
    paragraphs: [
      'VIRU MAAKOHUS',
      'Jõhvi kohtumaja',
      'MEELDETULETUS',
      '20.11.2026',
      `Tsiviilasi nr 2-26-12780, alaealine Jegor Vassiljev (isikukood ${personalCode('M', '2012-10-11', 194)}).`,
      'Kohus küsis 21. oktoobri 2026 määrusega Sotsiaalkindlustusametilt arvamust alaealise kinnise lasteasutuse teenusele paigutamise kohta. Määruses antud tähtaeg on möödunud ja arvamust kohtule laekunud ei ole.',
      'Kohus palub arvamus esitada viivitamata, kuid mitte hiljem kui 30. novembril 2026, kuna asja lahendamine on kiireloomuline.',
      'Kohtujurist Maria Kolk',
    ],
  },
  // 54
  {
    id: 'n10',
    category: 'noustamine',
    title: 'Pöördumine',
    base: 'poordumine_kohtla-jarve',
    boxed: true,
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Kohtla-Järve, 23.11.2026',
      'Pöördumine juhtumikonsultatsiooni saamiseks',
      `Kohtla-Järve Linnavalitsuse sotsiaalosakond palub Sotsiaalkindlustusameti lastekaitse konsultandi abi 15-aastase Viktoria Golubeva (isikukood ${personalCode('F', '2011-09-03', 310)}) juhtumis.`,
      'Viktoria elab emaga Järve linnaosas. Alates kevadest on ta mitmel korral koolist puudunud, tal on diagnoositud depressioon ja ta on ennast vigastanud. Ema töötab öösiti ega suuda tütre käitumist jälgida. Isa elab Jõhvis uues peres ja suhtleb tütrega harva.',
      'Kooli ettepanekul arutasime ka kinnise lasteasutuse teenust, kuid leidsime meeskonnas, et see ei ole antud juhul sobiv: Viktoria ei ohusta teisi, ei ole kodust ära jooksnud ja on valmis ravi jätkama. SKA arvamust kinnise lasteasutuse kohta me seetõttu ei küsi.',
      'Juhtumiga tegeleb meie uus töötaja, kellel on SKA kaudu juba mentor; ka mentor soovitas küsida sellele juhtumile konsultatsiooni.',
      'Palume: 1) Teie spetsialisti osalemist ümarlaual 8. detsembril 2026 (veebis või kohapeal); 2) hinnangut, millised teenused (nt intensiivne pereteenus, psühhiaatriline päevaravi) oleksid Viktoria puhul kõige tulemuslikumad; 3) soovitusi, kuidas kaasata isa.',
      'Lugupidamisega',
      'Jelena Sorokina',
      'lastekaitse juhtivspetsialist',
    ],
  },
  // 55
  {
    id: 'r8',
    category: 'rahvusvaheline',
    title: 'Kiri',
    base: 'helsinki_lastensuojelu',
    paragraphs: [
      'Sotsiaalkindlustusamet, Eesti',
      'Helsingi linna lastekaitse (Helsingin kaupunki, lastensuojelu)',
      'Helsingi, 20.11.2026',
      'Tere! Kirjutame eesti keeles meie eestikeelse töötaja abiga.',
      'Meie kliendid on Eesti kodanikust ema ja tema kaks last (6 ja 10 aastat), kes elavad Helsingis alates 2024. aastast. Meil on mure laste hooletusse jätmise pärast. Ema on öelnud, et pere oli varem Tallinnas lastekaitse vaateväljas.',
      'Brüsseli IIb määruse artikli 79 alusel palume Eesti keskasutusel küsida Tallinna lastekaitselt teavet pere varasema abivajaduse ja rakendatud meetmete kohta ning edastada see meile. Laste ja ema andmed on lisas.',
      'Ystävällisin terveisin / Lugupidamisega',
      'Sanna Virtanen',
      'sosiaalityöntekijä / sotsiaaltöötaja',
    ],
  },
  // 56
  {
    id: 't9',
    category: 'toonoustamine',
    title: 'Kiri',
    base: 'kiri_luganuse',
    paragraphs: [
      'Tere',
      'Taotlesime 15. septembril Lüganuse valla lastekaitsetöötajatele grupisupervisiooni, kuid vastust me seni saanud ei ole.',
      'Vajadus on endiselt olemas, pigem on see suurenenud. Palun andke teada, kas ja millal supervisioon toimub, ning vajadusel lugege see kiri uueks taotluseks.',
      'Lugupidamisega',
      'Evelin Noor',
    ],
  },
  // 57
  {
    id: 'm9',
    category: 'mentorlus',
    title: 'Taotlus',
    base: 'taotlus_haapsalu',
    paragraphs: [
      'Sotsiaalkindlustusametile',
      'Haapsalu, 20.11.2026',
      'Haapsalu Linnavalitsus soovib taotleda mentorit lastekaitsespetsialist Kristiina Allikule.',
      'Kristiina töötas viimased kuus aastat Haapsalu Põhikoolis sotsiaalpedagoogina ja asus 1. novembril 2026 linnavalitsuses lastekaitsespetsialisti ametikohale. Ta tunneb hästi koolisüsteemi ja paljusid peresid, kuid abivajaduse hindamine, lastekaitse infosüsteemi kasutamine, kohtumenetlustes osalemine ja töö teiste omavalitsustega on tema jaoks uued.',
      'Tema menetlusse on üle tulnud ka mõned keerulised juhtumid, sealhulgas üks, kus lapse isa elab Norras. Nende juhtumite osas võtame vajadusel Teiega eraldi ühendust, sest see on teine teema. Käesoleva taotlusega palume üksnes, et Kristiina saaks osaleda mentorprogrammis ja talle määrataks kogenud lastekaitsetöötajast mentor vähemalt üheks aastaks.',
      'Kristiina on valmis kohtuma mentoriga nii Haapsalus, Tallinnas kui ka veebis; tema tööaeg on paindlik.',
      'Lugupidamisega',
      'Tõnu Vares',
      'abilinnapea',
    ],
  },
  // 58
  {
    id: 'k10',
    category: 'klat_arvamus',
    title: 'Taotlus',
    base: 'arvamuse_taotlus_viljandi',
    paragraphs: [
      'Sotsiaalkindlustusamet',
      'Laste heaolu osakond',
      'Viljandi, 19.11.2026',
      'Arvamuse taotlemine kinnise lasteasutuse teenuse vajalikkuse kohta',
      `Viljandi Vallavalitsus pöördub Sotsiaalkindlustusameti poole, et saada arvamus 16-aastase Karl-Erik Lõhmuse (isikukood ${personalCode('M', '2010-04-21', 88)}) kinnise lasteasutuse teenusele suunamise kohta enne Pärnu Maakohtu Viljandi kohtumajale avalduse esitamist.`,
      'Juhtumi taust. Karl-Erik on olnud valla lastekaitse vaateväljas alates 2021. aastast. Isa suri 2022. aastal, ema töötab vahetustega ja kasvatab üksi kolme last. Alates 2025. aasta kevadest on Karl-Erik puudunud üle poole tundidest ja 2026. aasta septembrist ei ole ta koolis käinud. Ta on politseile teada seoses varguste, eakaaslaste vastu suunatud vägivalla ja narkootiliste ainete tarvitamisega ning on kahel korral toimetatud haiglasse mürgistusega.',
      'Rakendatud meetmed. Perele on osutatud perelepitusteenust, pereterapeudi nõustamist ja tugiisikuteenust; Karl-Erik on osalenud noorte sõltuvusprogrammis ja käinud psühhiaatri vastuvõtul. Ükski meede ei ole andnud püsivat tulemust, noor katkestab teenused ja keeldub koostööst. Ajutine paigutus asenduskodusse 2026. aasta oktoobris lõppes sellega, et ta lahkus sealt teisel päeval.',
      'Meeskonna kohta lisame teadmiseks, et juhtumiga tegeleb meie uus lastekaitsespetsialist, kes osaleb SKA mentorprogrammis, ning kogu meeskond on selle aasta jooksul saanud ka supervisiooni. Nende teenuste osas meil praegu lisasoove ei ole.',
      'Palume Sotsiaalkindlustusameti arvamust, kas Karl-Eriku paigutamine kinnise lasteasutuse teenusele on tema huvides ja põhjendatud. Lisatud on juhtumiplaan, abivajaduse hindamise kokkuvõte, psühhiaatri hinnang, kooli ja politsei teave ning ema seisukoht.',
      'Lugupidamisega',
      'Reet Kivi',
      'sotsiaalosakonna juhataja, Viljandi Vallavalitsus',
    ],
  },
  // 59
  {
    id: 'r9',
    category: 'rahvusvaheline',
    title: 'Pöördumine',
    base: 'poordumine_narva_venemaa',
    paragraphs: [
      'Добрый день!',
      `Narva Linnavalitsuse lastekaitse. 8-aastane Polina (isikukood ${personalCode('F', '2018-04-09', 131)}) viibib alates juulist vanaema juures Venemaal, Ivangorodis. Ema läks lapsele järele, kuid vanaema keeldus last tagasi andmast ja väidab, et ema ei hoolitse lapse eest.`,
      'Мама в отчаянии, ребёнок должен был 1 сентября пойти в школу в Нарве. Мы не можем сами связаться с российскими органами опеки.',
      'Palume Sotsiaalkindlustusametil algatada Haagi konventsiooni alusel lapse tagastamise menetlus Venemaalt või teatada, milliseid dokumente selleks emalt vaja on.',
      'С уважением / Lugupidamisega',
      'Marina Volkova',
      'lastekaitsespetsialist',
    ],
  },
];

/** The drafts with their formats (index modulo 6), file names and containers. */
export const HELDOUT10: CorpusLetter[] = lettersOfDrafts(DRAFTS);
