import fs from 'node:fs';
import path from 'node:path';
import { readCapsuleBuffer } from '../../src/capsule/read';
import { requestHeader } from '../../src/xroad/dhx-request';
import {
  decodeDocuments,
  DvkResponseError,
  markDocumentsReceivedEnvelope,
  parseDvkRequest,
  parseMarkDocumentsReceivedResponse,
  parseReceiveDocumentsResponse,
  receiveDocumentsEnvelope,
  splitContainers,
} from '../../src/dvk/messages';
import { SPEC_DIR } from '../conformance/spec';

/**
 * The official DVK samples (spec/dvk, from e-gov/DVK) read with the DVK client's reader: the request
 * envelopes of receiveDocuments v4 and markDocumentsReceived v3, the response envelopes cut out of
 * paringute_kirjeldused.txt, and the base64(gzip) attachment bodies. Skipped with a notice where the
 * samples are absent (DHX_SPEC_DIR).
 */

const DVK = path.join(SPEC_DIR, 'dvk');
const HAVE = fs.existsSync(path.join(DVK, 'INDEX.md'));
if (!HAVE) console.warn(`NOTICE: DVK conformance: skipped, the official DVK samples are absent in ${DVK} (set DHX_SPEC_DIR).`);
const describeDvk = HAVE ? describe : describe.skip;
const read = (...p: string[]): Buffer => fs.readFileSync(path.join(DVK, ...p));

/** The response envelope of `section` (e.g. `4.receiveDocuments.v4`) in paringute_kirjeldused.txt. */
function responseOf(section: string): string {
  const text = read('paringute_kirjeldused.txt').toString('utf8');
  const at = text.indexOf(section);
  if (at < 0) throw new Error(`no section ${section}`);
  const answer = text.indexOf('Päringu vastus', at);
  const start = text.indexOf('<soapenv:Envelope', answer);
  const end = text.indexOf('</soapenv:Envelope>', start);
  return text.slice(start, end + '</soapenv:Envelope>'.length);
}

describeDvk('DVK official samples read by the client\'s reader', () => {
  test('receiveDocuments_v4.xml: the operation and arv (xtee-era namespace, prefix ns5)', () => {
    expect(parseDvkRequest(read('soapxml', 'receiveDocuments_v4.xml'))).toEqual({ operation: 'receiveDocuments', arv: 10, items: [] });
  });

  test('markDocumentsReceived_v3.xml and markDocumentsReceived_3.xml: the items with status, fault and time', () => {
    expect(parseDvkRequest(read('soapxml', 'markDocumentsReceived_v3.xml'))).toEqual({ operation: 'markDocumentsReceived', items: [{ dhlId: '1' }] });
    const three = parseDvkRequest(read('soapxml', 'markDocumentsReceived_3.xml'));
    expect(three.items).toEqual([
      { dhlId: '1', statusId: 10, fault: { faultCode: '100', faultActor: 'CLIENT', faultString: 'Veateade', faultDetail: 'vea kirjeldus' } },
      { dhlId: '1', statusId: 7 },
      { dhlId: '1' },
    ]);
  });

  test('the receiveDocuments.v4 response of paringute_kirjeldused.txt: the documents attachment by cid', () => {
    expect(parseReceiveDocumentsResponse(responseOf('4.receiveDocuments.v4'))).toEqual({
      kind: 'ok',
      value: { kind: 'attachment', contentId: 'B6DDF86EA5D5EE6E711D15ECF3DB7C90' },
    });
  });

  test('the markDocumentsReceived.v3 and .v1 responses: keha OK', () => {
    expect(parseMarkDocumentsReceivedResponse(responseOf('2.markDocumentsReceived.v3'))).toEqual({ kind: 'ok', value: 'OK' });
    expect(parseMarkDocumentsReceivedResponse(responseOf('1.markDocumentsReceived.v1'))).toEqual({ kind: 'ok', value: 'OK' });
  });

  test('ria_adit_manus (base64(gzip(Kapsel 2.1))): one DecContainer, a valid capsule', async () => {
    const containers = splitContainers(decodeDocuments(read('soapxml', 'ria_adit_manus.gz.b64.txt'), 64 * 1024 * 1024));
    expect(containers.length).toBe(1);
    const r = await readCapsuleBuffer(containers[0]!, { decode: false });
    expect(r.valid).toBe(true);
    expect(r.capsule!.transport.sender.organisationCode).toBe('70006317');
  });

  test('vana_kapsel_manus (container 1.0, dhl:dokument) is refused: no DecContainer', () => {
    expect(() => splitContainers(decodeDocuments(read('soapxml', 'vana_kapsel_manus.gz.b64.txt'), 64 * 1024 * 1024))).toThrow(DvkResponseError);
  });
});

describe('our envelopes', () => {
  const header = requestHeader({
    client: { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70001975', subsystemCode: 'DHX' },
    service: { xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '70006317', subsystemCode: 'dhl', serviceCode: 'receiveDocuments', serviceVersion: 'v4' },
  });
  test('receiveDocuments and markDocumentsReceived read back as sent, with the X-Road 4.0 header', () => {
    const recv = receiveDocumentsEnvelope(header, 7);
    expect(recv).toContain('<xrd:protocolVersion>4.0</xrd:protocolVersion>');
    expect(recv).toContain('<id:serviceCode>receiveDocuments</id:serviceCode>');
    expect(parseDvkRequest(recv)).toEqual({ operation: 'receiveDocuments', arv: 7, items: [] });
    const mark = markDocumentsReceivedEnvelope(header, [{ dhlId: '5' }, { dhlId: '6', statusId: 5, fault: { faultCode: 'CAPSULE_INVALID', faultActor: 'CLIENT', faultString: 'bad' } }]);
    expect(parseDvkRequest(mark).items).toEqual([{ dhlId: '5' }, { dhlId: '6', statusId: 5, fault: { faultCode: 'CAPSULE_INVALID', faultActor: 'CLIENT', faultString: 'bad' } }]);
  });

  test('answers the schema refuses are refused: no keha, an href that is not cid:, an attachment neither gzip nor XML', () => {
    const env = (body: string): string => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;
    expect(() => parseReceiveDocumentsResponse(env('<receiveDocumentsResponse/>'))).toThrow(/no keha/);
    expect(() => parseReceiveDocumentsResponse(env('<receiveDocumentsResponse><keha href="http://x/y"/></receiveDocumentsResponse>'))).toThrow(/not to an attachment/);
    expect(() => parseReceiveDocumentsResponse(env('<other/>'))).toThrow(/neither receiveDocumentsResponse/);
    expect(() => decodeDocuments(Buffer.from([0, 1, 2, 3, 250]), 1000)).toThrow(/neither gzip nor XML/);
    // keha itself carrying the href (base64BinaryType of the v4 WSDL), any prefix
    expect(parseReceiveDocumentsResponse(env('<d:receiveDocumentsResponse xmlns:d="urn:x"><keha href="cid:abc"/></d:receiveDocumentsResponse>'))).toEqual({ kind: 'ok', value: { kind: 'attachment', contentId: 'abc' } });
  });

  test('containers sharing a prefixed namespace declared on a wrapper carry it when cut out', () => {
    const xml = Buffer.from('<?xml version="1.0"?><w:dokumendid xmlns:w="urn:w" xmlns:dec="http://www.riik.ee/schemas/deccontainer/vers_2_1/"><dec:DecContainer><dec:Transport/></dec:DecContainer><dec:DecContainer/></w:dokumendid>');
    const parts = splitContainers(xml).map((b) => b.toString());
    expect(parts.length).toBe(2);
    expect(parts[0]).toContain('<dec:DecContainer xmlns:w="urn:w" xmlns:dec="http://www.riik.ee/schemas/deccontainer/vers_2_1/">');
    expect(parts[1]).toContain('<dec:DecContainer xmlns:w="urn:w"');
    expect(splitContainers(Buffer.from('<dokumendid/>'))).toEqual([]);
    expect(splitContainers(Buffer.from(''))).toEqual([]);
  });
});
