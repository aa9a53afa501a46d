import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dhx } from './run';
import { OFFICIAL_VERDICTS, describeSpec, specPath } from '../conformance/spec';

const FIX = path.resolve(__dirname, '../../fixtures/capsules');

describe('dhx capsule', () => {
  test('validate: exit 0 when all are valid', async () => {
    const files = fs.readdirSync(path.join(FIX, 'valid')).map((f) => path.join(FIX, 'valid', f));
    const r = await dhx(['capsule', 'validate', ...files]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${files.length} valid, 0 invalid`);
  });

  test('validate: exit 1 when any is invalid, with the reason, path and line', async () => {
    const r = await dhx(['capsule', 'validate', path.join(FIX, 'valid/mentoring-request.xml'), path.join(FIX, 'invalid/no-transport.xml')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no-transport\.xml: INVALID\n\s+line \d+: DecContainer\/Transport is missing/);
  });

  test('validate --json prints one entry per file', async () => {
    const r = await dhx(['capsule', 'validate', '--json', path.join(FIX, 'invalid/bad-record-guid.xml'), path.join(FIX, 'invalid/doctype-entity.xml')]);
    const report = JSON.parse(r.out) as Array<{ valid: boolean; issues: Array<{ code: string; path: string }> }>;
    expect(report.map((x) => [x.valid, x.issues[0]?.code, x.issues[0]?.path])).toEqual([
      [false, 'SCHEMA', 'DecContainer/RecordMetadata/RecordGuid'],
      [false, 'DTD_FORBIDDEN', ''],
    ]);
    expect(r.code).toBe(1);
  });

  test('validate: a missing file is reported and counts as a failure', async () => {
    const r = await dhx(['capsule', 'validate', '/nonexistent/capsule.xml']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('/nonexistent/capsule.xml: ERROR no such file');
  });

  test('inspect --json shows declared vs computed size and type for each file', async () => {
    const r = await dhx(['capsule', 'inspect', '--json', path.join(FIX, 'valid/two-files-pdf-docx.xml')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { sender: { organisationCode: string }; files: Array<{ declared: { mimeType: string }; computed: { mimeType: string; size: number } }> };
    expect(doc.sender.organisationCode).toMatch(/^\d{8}$/);
    expect(doc.files.map((f) => f.computed.mimeType)).toEqual([
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ]);
  });

  test('inspect prints the record, access and files in text', async () => {
    const r = await dhx(['capsule', 'inspect', path.join(FIX, 'valid/klat-opinion-request.xml')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Record:\s+Taotlus/);
    expect(r.out).toMatch(/Access:\s+AK/);
    expect(r.out).toMatch(/declared: application\/pdf/);
    expect(r.out).toMatch(/computed: application\/pdf/);
  });

  test('extract writes the files under safe names; an invalid capsule writes nothing', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-cli-'));
    try {
      const ok = await dhx(['capsule', 'extract', path.join(FIX, 'valid/two-files-pdf-docx.xml'), '--out', path.join(out, 'a')]);
      expect(ok.code).toBe(0);
      expect(fs.readdirSync(path.join(out, 'a'))).toHaveLength(2);
      const bad = await dhx(['capsule', 'extract', path.join(FIX, 'invalid/element-order.xml'), '--out', path.join(out, 'b')]);
      expect(bad.code).toBe(1);
      expect(fs.readdirSync(path.join(out, 'b'))).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('bad usage exits 2', async () => {
    expect((await dhx(['capsule', 'extract', path.join(FIX, 'valid/mentoring-request.xml')])).code).toBe(2); // --out missing
    expect((await dhx(['capsule', 'nonsense'])).code).toBe(2);
    expect((await dhx(['--no-such-flag'])).code).toBe(2);
  });

  test('a bad limit in the environment is a configuration error (exit 1), listed with its variable', async () => {
    const r = await dhx(['capsule', 'validate', path.join(FIX, 'valid/mentoring-request.xml')], { CAPSULE_MAX_FILES: 'many' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('CAPSULE_MAX_FILES');
  });
});

describeSpec('dhx capsule validate on the official samples', () => {
  test('agrees with the official XSD on every sample', async () => {
    for (const [file, valid] of OFFICIAL_VERDICTS) {
      const r = await dhx(['capsule', 'validate', specPath(file)]);
      expect({ file, code: r.code }).toEqual({ file, code: valid ? 0 : 1 });
    }
  });
});
