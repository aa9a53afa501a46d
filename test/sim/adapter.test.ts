import { parseSendDocumentResponse } from '../../src/xroad/dhx-request';
import { DhxFaultCode } from '../../src/xroad/dhx-soap';
import type { XRoadSim } from '../../src/sim/server';
import { startAdapter, type Harness } from '../dhx/harness';
import { bodyText, capsuleFor, sendThroughSim, startSim } from './helpers';

/** The simulator passes requests for our member on to a running adapter (its POST /dhx), as a security server does. */

const KOV = { objectType: 'SUBSYSTEM' as const, xRoadInstance: 'ee-dev', memberClass: 'GOV', memberCode: '75000021', subsystemCode: 'DHX' };

let sim: XRoadSim;
let adapter: Harness;

beforeAll(async () => {
  adapter = await startAdapter();
  sim = await startSim();
  sim.addAdapter({ memberCode: '70001975', name: 'Sotsiaalkindlustusamet', url: `${adapter.url}/dhx` });
  sim.addKov({ memberCode: KOV.memberCode, name: 'Näidisvalla Vallavalitsus' });
});
afterAll(async () => {
  await sim.stop();
  await adapter.close();
});

const outcome = (text: string): string => {
  const a = parseSendDocumentResponse(text);
  if (a.kind === 'soapFault') return `soapFault:${a.faultString}`;
  return 'receiptId' in a.value ? `receipt:${a.value.receiptId}` : a.value.fault.faultCode;
};

test('a KOV sending to SKA through the simulator reaches the adapter, which receipts it; the resend is DHX.Duplicate', async () => {
  const capsule = await capsuleFor({ sender: KOV.memberCode, recipient: '70001975' });
  const consignmentId = `kov-${Date.now()}`;
  const first = await sendThroughSim(sim, { client: KOV, to: { memberCode: '70001975' }, consignmentId, capsule });
  expect(first.kind === 'answered' && first.status).toBe(200);
  const receipt = outcome(bodyText(first));
  expect(receipt).toMatch(/^receipt:/);
  const row = await adapter.db.pool.query<{ id: string; client: string }>('SELECT id, client FROM inbound_capsules WHERE consignment_id = $1', [consignmentId]);
  expect(row.rows).toEqual([{ id: receipt.slice('receipt:'.length), client: 'ee-dev/GOV/75000021/DHX' }]);
  const again = await sendThroughSim(sim, { client: KOV, to: { memberCode: '70001975' }, consignmentId, capsule });
  expect(outcome(bodyText(again))).toBe(DhxFaultCode.Duplicate);
  expect(sim.calls.map((c) => c.outcome)).toEqual(['forwarded:200', 'forwarded:200']);
});

test('a fault set on our member applies before the adapter is reached', async () => {
  sim.setFault('70001975', { kind: 'down' }, { times: 1 });
  const capsule = await capsuleFor({ sender: KOV.memberCode, recipient: '70001975' });
  const consignmentId = `kov-down-${Date.now()}`;
  const r = await sendThroughSim(sim, { client: KOV, to: { memberCode: '70001975' }, consignmentId, capsule });
  expect(r.kind === 'answered' && r.status).toBe(500);
  const rows = await adapter.db.pool.query('SELECT 1 FROM inbound_capsules WHERE consignment_id = $1', [consignmentId]);
  expect(rows.rowCount).toBe(0);
});
