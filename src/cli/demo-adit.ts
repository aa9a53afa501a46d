import { randomInt } from 'node:crypto';
import { inboundOfAditId, intakeSummary } from '../inbound/views';
import { personalCodeCheckDigit } from '../log/personal-code';
import { maskText } from '../log/privacy';
import { createOpinion } from '../outbound/opinion';
import { aditDelivery } from '../outbound/views';
import { opinionDeps, type RunningLoop } from './demo-loop';
import { makePdf } from '../sim/documents';

/**
 * The demo's ADIT step (docs/adit.md, "The demo"): a parent writes to SKA through the state portal; the letter
 * waits in the fake ADIT behind the X-Road simulator; the running adapter's own ADIT poller (ADIT_SERVICE,
 * every ADIT_POLL_SECONDS) fetches it, stores it, marks it viewed, and intake files it into a case. SKA's
 * answer goes back to the parent as `dhx opinion send … --via adit --to CODE` does: stored and queued, sent by
 * the daemon's send worker (getUserInfo, saveDocument, sendDocument), and followed by the daemon's ADIT
 * follow-up (getSendStatus) until the parent has opened it. Personal codes are printed masked.
 */

const PARENT_NAME = 'Mari Maasikas';

/** A fictional personal code with a valid checksum (a woman born 1980–1999), new for every run. */
function fictionalPersonalCode(): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const first10 = `4${pad(randomInt(80, 100))}${pad(randomInt(1, 13))}${pad(randomInt(1, 29))}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return `${first10}${personalCodeCheckDigit(first10)}`;
}

export async function aditStep(loop: RunningLoop): Promise<number> {
  const { ctx, sim, pool, waitFor } = loop;
  const adit = sim.adit();
  if (!adit) {
    ctx.stdout('\n   Through ADIT: NO fake ADIT behind the simulator');
    return 1;
  }
  let failures = 0;
  const parent = fictionalPersonalCode();
  const masked = maskText(`EE${parent}`);
  ctx.stdout("\n   Through ADIT: a parent writes to SKA through the state portal; the adapter's ADIT poller (ADIT_SERVICE) fetches it:");
  adit.join(parent);
  const letterId = adit.add({
    title: 'Palun abi: minu laps viibib Soomes isa juures ja ei naase (piiriülene juhtum)',
    documentType: 'letter',
    creatorCode: `EE${parent}`,
    creatorName: PARENT_NAME,
    files: [
      {
        name: 'kiri.txt',
        contentType: 'text/plain',
        data: Buffer.from('Tere! Minu laps viibib Soomes ja ei ole suvevaheajalt tagasi tulnud. Palun nõu ja abi.\n', 'utf8'),
      },
    ],
  });
  ctx.stdout(`   fake ADIT behind the X-Road simulator (GOV/70006317/adit): a letter from ${PARENT_NAME} (${masked}), ADIT document id ${letterId}`);
  const marked = await waitFor('the ADIT poller to fetch and mark the letter', async () => (adit.marks().includes(letterId) ? true : undefined));
  const row = marked ? await inboundOfAditId(pool, letterId) : undefined;
  ctx.stdout(
    `   → fetched through ADIT (document id ${letterId}), ${row ? 'stored' : 'NOT stored'}, ${marked ? 'marked viewed' : 'NOT marked'}` +
      `${adit.marks().filter((m) => m === letterId).length === 1 ? ' once' : ` ${adit.marks().filter((m) => m === letterId).length} times (UNEXPECTED)`}`,
  );
  if (!row || !marked || adit.marks().filter((m) => m === letterId).length !== 1) return failures + 1;
  const sum = await waitFor('intake of the parent\'s letter', async () => {
    const s = await intakeSummary(pool, row.id);
    return s && ['done', 'triage', 'failed'].includes(s.state) ? s : undefined;
  });
  if (!sum) return failures + 1;
  const category = sum.category ? `${sum.category}${sum.sub_kind ? `/${sum.sub_kind}` : ''}` : '—';
  ctx.stdout(`   ${`  ADIT ${letterId}: intake`.padEnd(44)} ${sum.state.padEnd(7)} ${category.padEnd(26)} ${sum.case_number ? `case ${sum.case_number}, ${sum.files} file(s)` : 'NO case'}`);
  if (sum.state !== 'done' || !sum.case_number) return failures + 1;

  ctx.stdout(`\n   SKA's answer to the parent (dhx opinion send --case ${sum.case_number} --verdict toetav --file vastus.pdf --via adit --to ${masked}):`);
  const created = await createOpinion(
    opinionDeps(loop),
    {
      caseRef: sum.case_number,
      verdict: 'toetav',
      files: [{ name: 'vastus.pdf', content: makePdf(['Sotsiaalkindlustusameti vastus lapsevanemale.']) }],
      note: 'Võtame Soome kesksele asutusele ühendust; juhtumikorraldaja võtab Teiega ühendust.',
      toPerson: parent,
    },
  );
  ctx.stdout(`   opinion ${created.id} on case ${sum.case_number} to ${maskText(created.recipientPerson ?? '')} through ADIT: queued`);
  const sent = await waitFor('the answer to be delivered to ADIT', async () => {
    const d = await aditDelivery(pool, created.id);
    return d && ['sent', 'failed'].includes(d.state) ? d : undefined;
  });
  const saved = adit.saved().find((s) => s.id === sent?.adit_document_id);
  const to = saved?.sentTo.map((t) => t.code.replace(/^EE/i, '')) ?? [];
  if (!sent || sent.state !== 'sent' || !saved || to.length !== 1 || to[0] !== parent) {
    ctx.stdout(`   answer NOT delivered through ADIT (${sent?.state ?? 'still on its way'})`);
    return failures + 1;
  }
  const ops = adit
    .requests()
    .map((r) => r.serviceCode)
    .filter((op) => op === 'getUserInfo' || op === 'saveDocument' || op === 'sendDocument');
  ctx.stdout(
    `   sent by the daemon's send worker (${[...new Set(ops)].join(', ')}): ADIT document id ${saved.id}, "${saved.document.title}", ` +
      `${saved.document.files.map((f) => f.name).join(', ')}, to ${maskText(`EE${to[0]}`)}; ${adit.saved().length} document(s) saved in ADIT`,
  );
  if (adit.saved().length !== 1) failures++;

  ctx.stdout('   the parent opens it in the state portal; the daemon\'s ADIT follow-up (getSendStatus) records it:');
  adit.open(saved.id, parent);
  const opened = await waitFor('the ADIT follow-up to record the opening', async () => {
    const d = await aditDelivery(pool, created.id);
    return d?.opened_at ? d.opened_at : undefined;
  });
  ctx.stdout(`   opinion ${created.id}: ${opened ? `opened by the parent at ${opened.toISOString()} (dhx show ${created.id}: openedAt)` : 'NOT opened'}`);
  if (!opened) failures++;
  return failures;
}
