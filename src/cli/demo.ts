import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { buildCapsuleToFile } from '../capsule/build';
import { makeDraft, makeReplyDraft, type DraftInput } from '../capsule/draft';
import { extractCapsule } from '../capsule/extract';
import { readCapsule, validateCapsule } from '../capsule/read';
import { makeAsice, makeDocx, makePdf, MIME_TYPES } from '../sim/documents';
import type { CliContext } from './context';
import { aditStep } from './demo-adit';
import { demoLoop, type DemoRequest } from './demo-loop';

/**
 * `dhx demo` (`npm run demo`, README "Quick start"): the adapter's whole loop on this machine. KOV requests are
 * built as Capsule 2.1 documents, validated and unpacked; an SKA reply is built against one; the fixture
 * corpus is checked; then, over the built-in X-Road simulator with fake KOV document systems, the KOVs
 * send their requests, the adapter receipts and files them into cases, and its business receipts and an
 * opinion travel back (src/cli/demo-loop.ts); a parent's letter arrives through ADIT and SKA's answer goes back
 * to the parent through ADIT (src/cli/demo-adit.ts).
 */

const SKA = { code: '70001975', name: 'Sotsiaalkindlustusamet' };

/** Fictional KOV requests of the kinds SKA's child-welfare department receives (README). */
function requests(): Array<{ label: string; input: DraftInput }> {
  // Small but real documents (src/sim/documents.ts): their text is read for search, and for classification when the title says nothing.
  const pdf = (...text: string[]): Buffer => makePdf(text);
  const base = { recipients: [SKA], access: { code: 'AK' as const } };
  return [
    {
      label: 'counselling request (nõustamine)',
      input: {
        ...base,
        sender: { code: '75006546', name: 'Tartu Linnavalitsus', structuralUnit: 'Lastekaitse osakond' },
        recordType: 'Taotlus',
        title: 'Taotlus: siseriiklik nõustamine lastekaitsejuhtumis',
        originalIdentifier: '7.1-2/2026/101',
        files: [{ name: 'taotlus.pdf', mimeType: 'application/pdf', content: pdf('Taotlus', 'Palume nõustamist lapse abivajaduse hindamisel.') }],
      },
    },
    {
      label: 'KLAT opinion request (kinnise lasteasutuse teenus)',
      input: {
        ...base,
        sender: { code: '75017372', name: 'Pärnu Linnavalitsus' },
        recordType: 'Taotlus',
        title: 'Arvamuse taotlus lapse kinnise lasteasutuse teenusele suunamiseks',
        abstract: 'Palume SKA arvamust lapse vabadust piirava meetme sobivuse kohta.',
        originalIdentifier: '12-3/55',
        replyDueDate: '2026-12-20',
        files: [
          { name: 'taotlus.pdf', mimeType: 'application/pdf', content: pdf('KLAT taotlus', 'Palume arvamust lapse kinnise lasteasutuse teenusele suunamiseks.'), main: true },
          { name: 'hinnang.docx', mimeType: MIME_TYPES.docx, content: makeDocx(['Lapse olukorra hinnang', 'Laps vajab turvalist keskkonda.']) },
        ],
      },
    },
    {
      label: 'mentoring request (mentorlus)',
      input: {
        ...base,
        sender: { code: '75037362', name: 'Viljandi Vallavalitsus' },
        recordType: 'Kiri',
        title: 'Mentorluse taotlus uuele lastekaitsespetsialistile',
        originalIdentifier: '1-9/2026/7',
        files: [{ name: 'kiri.txt', mimeType: 'text/plain', content: Buffer.from('Tere! Palume mentorit.\n') }],
      },
    },
    {
      // A generic title; what it asks is only in the DOCX inside the signed container.
      label: 'letter "Kiri" in a signed ASiC-E container',
      input: {
        ...base,
        sender: { code: '75006546', name: 'Tartu Linnavalitsus', structuralUnit: 'Lastekaitse osakond' },
        recordType: 'Kiri',
        title: 'Kiri',
        originalIdentifier: '7.1-2/2026/118',
        files: [
          {
            name: 'kiri.asice',
            mimeType: 'application/vnd.etsi.asic-e+zip',
            content: makeAsice([
              {
                name: 'poordumine.docx',
                mimeType: MIME_TYPES.docx,
                bytes: makeDocx([
                  'Lugupeetud Sotsiaalkindlustusamet',
                  'Palume nõustamist lastekaitsejuhtumis: vajame konsultatsiooni lapse abivajaduse hindamiseks ja juhtumiplaani koostamiseks.',
                  'Lugupidamisega, lastekaitsespetsialist',
                ]),
              },
            ]),
          },
        ],
      },
    },
  ];
}

/** Fictional KOV requests sent through the DVK interface (KOVs whose document systems still speak DVK). */
function dvkRequests(): Array<{ label: string; input: DraftInput }> {
  const base = { recipients: [SKA], access: { code: 'AK' as const } };
  return [
    {
      label: 'supervision request via DVK (töönõustamine)',
      input: {
        ...base,
        sender: { code: '75024260', name: 'Rapla Vallavalitsus', structuralUnit: 'Sotsiaalosakond' },
        recordType: 'Kiri',
        title: 'Supervisiooni taotlus lastekaitsetöötajatele',
        abstract: 'Meeskond vajab supervisiooni.',
        originalIdentifier: '7-1/2026/44',
        files: [{ name: 'taotlus.pdf', mimeType: 'application/pdf', content: makePdf(['Supervisiooni taotlus', 'Meeskond vajab supervisiooni.']) }],
      },
    },
    {
      label: 'counselling request via DVK (nõustamine)',
      input: {
        ...base,
        sender: { code: '75039152', name: 'Valga Vallavalitsus', structuralUnit: 'Lastekaitse' },
        recordType: 'Taotlus',
        title: 'Taotlus: nõustamine lastekaitsejuhtumis',
        originalIdentifier: '12-2/2026/9',
        files: [{ name: 'taotlus.txt', mimeType: 'text/plain', content: Buffer.from('Palume nõustamist lapse abivajaduse hindamisel.\n') }],
      },
    },
  ];
}

export function makeDemoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .description('Run the adapter\'s whole loop locally against the built-in X-Road simulator and print what happened')
    .option('--keep <dir>', 'write the demo capsules and extracted files here instead of a temporary folder')
    .action(async (opts: { keep?: string }) => {
      const dir = opts.keep ? path.resolve(opts.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-demo-'));
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      let failures = 0;
      try {
        ctx.stdout(`dhx demo — capsules in ${dir}\n`);
        ctx.stdout('1. KOV requests to SKA, built as Capsule 2.1, validated and unpacked');
        let first: Awaited<ReturnType<typeof readCapsule>>['capsule'];
        const built: DemoRequest[] = [];
        for (const [n, { label, input }] of requests().entries()) {
          const file = path.join(dir, `request-${n + 1}.xml`);
          await buildCapsuleToFile(makeDraft(input), file);
          built.push({ sender: { code: input.sender.code, name: input.sender.name ?? input.sender.code }, file, label });
          const out = path.join(dir, `request-${n + 1}-files`);
          const r = await extractCapsule(file, out);
          first ??= r.capsule;
          if (!r.valid) failures++;
          const files = r.files.map((f) => `${f.safeName} (${f.size} B, ${f.sniffedMimeType}${f.sniffedMimeType !== f.declaredMimeType ? `, declared ${f.declaredMimeType}` : ''})`);
          ctx.stdout(`   ${r.valid ? 'valid  ' : 'INVALID'} ${label}: ${r.capsule?.transport.sender.organisationCode} → ${r.capsule?.transport.recipients.map((x) => x.organisationCode).join(', ')}`);
          ctx.stdout(`           "${r.capsule?.recordMetadata.recordTitle}"; files: ${files.join('; ')}`);
        }

        ctx.stdout('\n2. SKA reply to the first request (Initiator and RecipientRecordGuid point at it)');
        if (first) {
          const reply = makeReplyDraft(first, {
            sender: SKA,
            recordType: 'Kiri',
            title: 'Teade dokumendi kättesaamise kohta',
            originalIdentifier: '2-1/2026/1',
            files: [{ name: 'teade.txt', mimeType: 'text/plain', content: Buffer.from('Teie taotlus on registreeritud.\n') }],
          });
          const file = path.join(dir, 'reply.xml');
          await buildCapsuleToFile(reply, file);
          const r = await readCapsule(file);
          if (!r.valid) failures++;
          ctx.stdout(
            `   ${r.valid ? 'valid  ' : 'INVALID'} reply → ${r.capsule?.transport.recipients[0]?.organisationCode}, in reply to no. ${r.capsule?.initiator?.recordOriginalIdentifier}` +
              ` (guid ${r.capsule?.recipients[0]?.recordGuid})`,
          );
        }

        ctx.stdout('\n3. The fixture corpus (fixtures/capsules): valid ones must pass, invalid ones must be refused');
        const root = findFixtures();
        if (!root) ctx.stdout('   fixtures/ not found next to the program; skipped');
        else {
          for (const kind of ['valid', 'invalid'] as const) {
            const folder = path.join(root, kind);
            const names = fs.readdirSync(folder).filter((f) => !f.endsWith('.md')).sort();
            let agree = 0;
            for (const name of names) {
              const r = await validateCapsule(path.join(folder, name));
              if (r.valid === (kind === 'valid')) agree++;
              else {
                failures++;
                ctx.stdout(`   UNEXPECTED ${kind}/${name}: ${r.valid ? 'valid' : r.issues[0]?.message}`);
              }
            }
            ctx.stdout(`   ${kind}: ${agree}/${names.length} as expected`);
          }
        }
        ctx.stdout('\n4. The whole loop over a simulated X-Road: requests in, cases, receipts and an opinion out; through DVK; and a parent through ADIT');
        const batch: DemoRequest[] = built.map((b) => ({ label: b.label, sender: b.sender, file: b.file }));
        if (root) batch.push(...(await corpusRequests(path.join(root, 'kov'))));
        const viaDvk: DemoRequest[] = [];
        for (const [n, { label, input }] of dvkRequests().entries()) {
          const file = path.join(dir, `dvk-request-${n + 1}.xml`);
          await buildCapsuleToFile(makeDraft(input), file);
          if (!(await validateCapsule(file)).valid) {
            failures++;
            ctx.stdout(`   INVALID ${label} (built for DVK)`);
          }
          viaDvk.push({ label, sender: { code: input.sender.code, name: input.sender.name ?? input.sender.code }, file });
        }
        failures += await demoLoop(ctx, dir, batch, { dvk: viaDvk, adit: true, afterIntake: aditStep });

        ctx.stdout(`\n${failures === 0 ? 'demo completed: every step as expected' : `demo finished with ${failures} unexpected result(s)`}`);
        ctx.setExitCode(failures === 0 ? 0 : 1);
      } finally {
        if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
      }
    });
}

function findFixtures(): string | undefined {
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
    const candidate = path.join(d, 'fixtures', 'capsules');
    if (fs.existsSync(path.join(candidate, 'valid'))) return candidate;
  }
  return undefined;
}

/** A realistic mix from the KOV request corpus (fixtures/capsules/kov): every category, one for triage. */
const CORPUS_PICK: Array<[string, string]> = [
  ['klat-05-pikendamine.xml', 'KLAT opinion, extension (pikendamine)'],
  ['noustamine-05-liitsona.xml', 'counselling, compound wording'],
  ['rahvusvaheline-02-piiriulene.xml', 'cross-border case (rahvusvaheline)'],
  ['toonoustamine-03-supervisioon.xml', 'supervision (töönõustamine)'],
  ['mentorlus-06-sisseelamine.xml', 'mentoring, induction'],
  ['muu-01-teabenoue.xml', 'request for information (muu)'],
  ['triage-01-dokument.xml', 'a document nothing can classify'],
];

const KOV_NAMES: Record<string, string> = {
  '75006546': 'Tartu Linnavalitsus',
  '75009901': 'Kasemetsa Vallavalitsus',
  '75009902': 'Järvesalu Vallavalitsus',
  '75009903': 'Põllumäe Linnavalitsus',
  '75009904': 'Kivisilla Vallavalitsus',
};

async function corpusRequests(dir: string): Promise<DemoRequest[]> {
  const out: DemoRequest[] = [];
  for (const [name, label] of CORPUS_PICK) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    const code = (await validateCapsule(file)).capsule?.transport.sender.organisationCode ?? '';
    out.push({ label, sender: { code, name: KOV_NAMES[code] ?? code }, file });
  }
  return out;
}
