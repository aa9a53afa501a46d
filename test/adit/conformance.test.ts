import fs from 'node:fs';
import path from 'node:path';
import { classifyAditMessages } from '../../src/adit/client';
import { decodeAttachment, parseAditAnswer, parseAditRequest, parseDocument } from '../../src/adit/messages';
import { AMBIGUOUS, FailureCode, PERMANENT, RETRYABLE } from '../../src/errors';
import { SPEC_DIR } from '../conformance/spec';

/**
 * ADIT's official sample messages (spec/adit/testMessages, from e-gov/ADIT) read with the ADIT client's
 * reader: every response (success and `success=false` with its messages, each mapped to a FailureCode), the
 * request envelopes, and the base64(gzip(xml)) attachments. Skipped with a notice where the samples are
 * absent (DHX_SPEC_DIR).
 */

const ADIT = path.join(SPEC_DIR, 'adit');
const HAVE = fs.existsSync(path.join(ADIT, 'INDEX.md'));
if (!HAVE) console.warn(`NOTICE: ADIT conformance: skipped, the official ADIT samples are absent in ${ADIT} (set DHX_SPEC_DIR).`);
const describeAdit = HAVE ? describe : describe.skip;
const MSG = path.join(ADIT, 'testMessages');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
const all = HAVE ? walk(MSG).filter((f) => f.endsWith('.xml')) : [];
const responses = all.filter((f) => /_(response|result)\.xml$/.test(f));
const requests = all.filter((f) => !responses.includes(f) && !f.endsWith('.attachment.xml'));

describeAdit('ADIT official testMessages read with the client reader', () => {
  test('there are samples to read', () => {
    expect(responses.length).toBeGreaterThanOrEqual(20);
    expect(requests.length).toBeGreaterThanOrEqual(20);
  });

  test.each(responses.map((f) => [path.relative(MSG, f)]))('response %s: success and messages read; success=false mapped to a FailureCode', (rel) => {
    const xml = fs.readFileSync(path.join(MSG, rel));
    const a = parseAditAnswer(xml);
    if (a.kind !== 'ok') throw new Error('not a keha answer');
    const expected = /<([\w.-]+:)?success\b[^>]*>\s*true\s*</.test(xml.toString('utf8'));
    expect(a.success).toBe(expected);
    expect(a.messages.length).toBeGreaterThan(0);
    expect(a.messages.every((m) => m.text.length > 0)).toBe(true);
    if (!a.success) {
      const code = classifyAditMessages(a.messages);
      expect([RETRYABLE, AMBIGUOUS, PERMANENT].filter((s) => s.has(code)).length).toBe(1);
      expect(code).toBe(/database_down/.test(rel) ? FailureCode.ADIT_UNAVAILABLE : FailureCode.ADIT_REFUSED);
    }
  });

  test('the success sample of getDocumentFile names its attachment by cid', () => {
    const a = parseAditAnswer(fs.readFileSync(path.join(MSG, 'getDocumentFile.v1/success_case_response.xml')));
    expect(a).toMatchObject({ kind: 'ok', success: true, href: '716618899953036289709859107824' });
  });

  test.each(requests.map((f) => [path.relative(MSG, f)]))('request %s: the operation is read', (rel) => {
    const r = parseAditRequest(fs.readFileSync(path.join(MSG, rel)));
    expect(r.operation).toMatch(/^[a-zA-Z]+/);
  });

  test('getUserInfo.v1 base64.txt is base64(gzip) of the attachment sample', () => {
    const decoded = decodeAttachment(fs.readFileSync(path.join(MSG, 'getUserInfo.v1/base64.txt')), 1 << 20).toString('utf8');
    expect(decoded).toContain('<getUserInfoRequestAttachmentV1>');
    const plain = fs.readFileSync(path.join(MSG, 'getUserInfo.v1/getUserInfo.v1.attachment.xml'), 'utf8');
    const codes = (s: string) => [...s.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]);
    expect(codes(decoded)).toEqual(codes(plain));
  });

  test('saveDocument.v1 base64.txt and the decoded attachments read as ADIT documents (title, files)', () => {
    const fromB64 = parseDocument(decodeAttachment(fs.readFileSync(path.join(MSG, 'saveDocument.v1/base64.txt')), 1 << 24));
    const plain = parseDocument(fs.readFileSync(path.join(MSG, 'saveDocument.v1/saveDocument.v1.attachment.xml')));
    expect(fromB64.title).toBe(plain.title);
    expect(fromB64.files.map((f) => f.name)).toEqual(plain.files.map((f) => f.name));
    const three = parseDocument(fs.readFileSync(path.join(ADIT, 'saveDocument_attachment_3files.xml')));
    expect(three).toMatchObject({ title: 'Avaldus Jõgeva Linnavalitsusele', documentType: 'application' });
    expect(three.files.map((f) => f.name)).toEqual(['avaldus1.txt', 'avaldus2.txt', 'avaldus3.txt']);
    expect(three.files[0]!.data.length).toBeGreaterThan(100);
  });
});
