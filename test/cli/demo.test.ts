import { isValidPersonalCode } from '../../src/log/personal-code';
import { dhx } from './run';

test('dhx demo runs the whole loop — requests in over X-Road, through DVK and from a parent through ADIT, cases, receipts and opinions out — and reports success', async () => {
  const r = await dhx(['demo']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toContain('demo completed: every step as expected');
  expect(r.out).toMatch(/valid {3}KLAT opinion request/);
  expect(r.out).toMatch(/invalid: \d+\/\d+ as expected/);
  // The whole loop over the simulated X-Road.
  expect(r.out).toContain('the same consignment sent again → DHX.Duplicate (stored once)');
  expect(r.out).toMatch(/KLAT opinion request .* done +klat_arvamus +case \S+, due \d{4}-\d{2}-\d{2}, 2 file\(s\)/);
  expect(r.out).toMatch(/… and intake finishes it: done, case \S+/);
  // A generic "Kiri" whose request is only in the DOCX inside a signed ASiC-E: unpacked, digests checked, classified from its text.
  expect(r.out).toMatch(/letter "Kiri" in a signed ASiC-E container +done +noustamine +case \S+, 2 file\(s\)\n +signed container: 1 signature\(s\), digest ok; unpacked beside it: poordumine\.docx \([1-9]\d+ characters of text\)/);
  expect(r.out).toMatch(/(\d+) receipt\(s\) sent; the KOVs hold \1 document\(s\), \1 valid Capsule 2\.1 replies/);
  expect(r.out).toMatch(/holds a valid Capsule 2\.1 "Arvamus" in reply to its no\. 12-3\/55/);
  expect(r.out).toMatch(/case \S+: answered on time/);
  // Two KOV requests through the DVK interface: fetched by the adapter's DVK poller, stored, marked, filed into cases.
  expect(r.out).toMatch(/fake DVK server at http:\/\/127\.0\.0\.1:\d+\S*: 2 document\(s\) queued, dhl_id (\d+), (\d+)/);
  expect(r.out.match(/→ fetched through DVK \(dhl_id \d+\), stored, marked received/g)).toHaveLength(2);
  expect(r.out).toMatch(/supervision request via DVK .* fetched through DVK \(dhl_id \d+\), stored, marked received\n +dhl_id \d+: intake +done +toonoustamine +case \S+, 1 file\(s\)/);
  expect(r.out).toMatch(/counselling request via DVK .* fetched through DVK \(dhl_id \d+\), stored, marked received\n +dhl_id \d+: intake +done +noustamine +case \S+, 1 file\(s\)/);
  expect(r.out).toContain('1/1 business receipt(s) delivered to the DVK senders, 1 valid Capsule 2.1 naming their request; DVK queue afterwards: 0 document(s)');
  // A parent's letter through ADIT (the fake ADIT behind the X-Road simulator), fetched by the daemon's ADIT poller,
  // stored, marked viewed once, filed into a case; SKA's answer sent back to the parent through ADIT by the daemon's
  // send worker and followed until the parent opened it.
  expect(r.out).toMatch(/fake ADIT behind the X-Road simulator \(GOV\/70006317\/adit\): a letter from Mari Maasikas \(EE4\*{9}\d\), ADIT document id (\d+)/);
  expect(r.out).toMatch(/→ fetched through ADIT \(document id \d+\), stored, marked viewed once\n +ADIT \d+: intake +done +rahvusvaheline +case (\S+), 1 file\(s\)/);
  const aditCase = /ADIT \d+: intake +done +\S+ +case (\S+),/.exec(r.out)?.[1];
  expect(r.out).toContain(`SKA's answer to the parent (dhx opinion send --case ${aditCase} --verdict toetav --file vastus.pdf --via adit --to EE4*********`);
  expect(r.out).toMatch(/through ADIT: queued\n +sent by the daemon's send worker \(getUserInfo, saveDocument, sendDocument\): ADIT document id \d+, "Arvamus: [^"]+", vastus\.pdf, to EE4\*{9}\d; 1 document\(s\) saved in ADIT/);
  expect(r.out).toMatch(/opinion \S+: opened by the parent at \d{4}-\d{2}-\d{2}T[\d:.]+Z \(dhx show \S+: openedAt\)/);
  // Personal codes only masked.
  for (const m of r.out.match(/(?<!\d)\d{11}(?!\d)/g) ?? []) expect(isValidPersonalCode(m)).toBe(false);
  expect(r.out).not.toMatch(/TIMED OUT|UNEXPECTED|NOT stored|NOT marked|REJECTED/);
}, 90_000);
