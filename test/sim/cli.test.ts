import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli';
import type { CliContext } from '../../src/cli/context';
import { aditClientOptions, getDocumentList } from '../../src/adit/client';
import { makeBlobStore } from '../../src/blob/store';
import { loadConfig } from '../../src/config';
import { parseScenario } from '../../src/sim/scenario';
import { parseGlobalConf } from '../../src/xroad/globalconf';
import { dhx } from '../cli/run';

function liveContext(): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { ctx: { env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), setExitCode: () => undefined }, out, err };
}

async function until<T>(f: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('dhx sim', () => {
  test('--help describes the simulator and its options', async () => {
    const r = await dhx(['sim', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verificationconf/);
    expect(r.out).toMatch(/--scenario/);
    expect(r.out).toMatch(/--adapter/);
  });

  test('runs the default scenario, serves its global configuration, and stops after --for seconds', async () => {
    const { ctx, out } = liveContext();
    const running = runCli(['sim', '--port', '0', '--for', '1', '--json'], ctx);
    const info = await until(() => (out[0] ? (JSON.parse(out[0]) as { url: string }) : undefined));
    const res = await fetch(`${info.url}/verificationconf`);
    const conf = parseGlobalConf(Buffer.from(await res.arrayBuffer()), 'ee-dev');
    expect(conf.members.map((m) => m.memberCode)).toEqual(expect.arrayContaining(['75000001', '75000003', '10000001']));
    expect(await running).toBe(0);
    await expect(fetch(`${info.url}/verificationconf`)).rejects.toThrow();
  });

  test('the default scenario has the fake ADIT behind the consumer proxy (GOV/70006317/adit); "adit": false leaves it out', async () => {
    const { ctx, out } = liveContext();
    const running = runCli(['sim', '--port', '0', '--for', '1', '--json'], ctx);
    const info = await until(() => (out[0] ? (JSON.parse(out[0]) as { url: string; aditService?: string }) : undefined));
    expect(info.aditService).toBe('ee-dev/GOV/70006317/adit');
    const conf = parseGlobalConf(Buffer.from(await (await fetch(`${info.url}/verificationconf`)).arrayBuffer()), 'ee-dev');
    expect(conf.members).toContainEqual(expect.objectContaining({ memberClass: 'GOV', memberCode: '70006317', subsystems: ['adit'] }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-sim-adit-'));
    try {
      const opts = aditClientOptions(loadConfig({ XROAD_SECURITY_SERVER: info.url, ADIT_SERVICE: info.aditService!, DHX_SEND_TIMEOUT: '2' }));
      expect(await getDocumentList(opts, makeBlobStore(dir))).toEqual({ kind: 'ok', documents: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(await running).toBe(0);
    expect(parseScenario({}).adit).toBe(true);
    expect(parseScenario({ adit: false }).adit).toBe(false);
  });

  test('a scenario file with a problem is bad usage (exit 2), naming the field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-sim-cli-'));
    try {
      const file = path.join(dir, 'scenario.json');
      fs.writeFileSync(file, JSON.stringify({ kovs: [{ memberCode: '75000001' }] }));
      const r = await dhx(['sim', '--scenario', file, '--port', '0', '--for', '0']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/kovs\.0\.name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a scenario sets faults with an optional count', () => {
    const s = parseScenario({ kovs: [{ memberCode: '75000001', name: 'Vald' }], faults: { '75000001': { kind: 'slow', delayMs: 50, times: 2 } } });
    expect(s.faults['75000001']).toEqual({ kind: 'slow', delayMs: 50, times: 2 });
    expect(() => parseScenario({ faults: { x: { kind: 'dhxFault', faultCode: 'DHX.Nonsense' } } })).toThrow(/faults\.x/);
  });
});
