import { dhx } from '../cli/run';
import { startIntakeAdapter, type IntakeHarness } from './harness';
import { KOVS, kovCapsule } from './kov';

/**
 * FileName and the other free texts are unbounded `xs:string`s: a capsule may carry megabytes in one.
 * The daemon (`--role all`: HTTP and intake in one process) answers such a capsule at once, and a long
 * name within the text limit goes through intake in one pass: neither holds the event loop, so /dhx and
 * /health keep answering.
 */
let h: IntakeHarness;
beforeAll(async () => {
  h = await startIntakeAdapter();
});
afterAll(() => h.close());

const ms = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

describe('long free text in a capsule', () => {
  test.each([
    ['a 1 MB FileName', { fileNames: [`${'a'.repeat(1_000_000)}.pdf`] }],
    ['a 10 MB FileName of white space', { fileNames: [`a${' '.repeat(10_000_000)}b.pdf`] }],
    ['a 1 MB RecordTitle', { title: `Nõustamise taotlus ${'x'.repeat(1_000_000)}` }],
  ])('%s is refused at receipt with DHX.Validation, at once (in seconds, where a quadratic pass took minutes)', async (_what, parts) => {
    const capsule = await kovCapsule({ kov: KOVS[0], title: 'Nõustamise taotlus', ...parts });
    const started = process.hrtime.bigint();
    const r = await h.send(KOVS[0]!.code, capsule);
    expect(ms(started)).toBeLessThan(10_000);
    expect(r.faultCode).toBe('DHX.Validation');
    expect((await h.db.pool.query('SELECT count(*)::int AS n FROM inbound_capsules')).rows[0].n).toBe(0);
  }, 30_000);

  test('a 60 KB file name within the text limit is received, extracted under a 200-byte safe name and filed, while /health answers', async () => {
    const name = `a${' '.repeat(30_000)}${'õ'.repeat(15_000)}.pdf`;
    expect(Buffer.byteLength(name)).toBeLessThan(64 * 1024);
    const started = process.hrtime.bigint();
    const r = await h.send(KOVS[0]!.code, await kovCapsule({ kov: KOVS[0], title: 'Nõustamise taotlus lastekaitsejuhtumis', fileNames: [name] }));
    expect(r.receiptId).toBeDefined();
    const health = await fetch(`${h.url}/health`);
    expect(health.status).toBe(200);
    expect(await h.waitFor(r.receiptId!, undefined, 10_000)).toBe('done');
    expect(ms(started)).toBeLessThan(15_000);
    const shown = JSON.parse((await dhx(['show', r.receiptId!, '--json'], h.env)).out) as { files: Array<{ name: string }> };
    expect(shown.files).toHaveLength(1);
    const row = (await h.db.pool.query<{ file_name: string; safe_name: string }>('SELECT file_name, safe_name FROM attachments WHERE capsule_id = $1', [r.receiptId])).rows[0]!;
    expect(row.file_name).toBe(name);
    expect(Buffer.byteLength(row.safe_name)).toBeLessThanOrEqual(200);
    expect(row.safe_name.endsWith('.pdf')).toBe(true);
  }, 30_000);
});
