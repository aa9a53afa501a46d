import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import {
  DHX_INTERMEDIARY_GROUP,
  buildSharedParams,
  buildVerificationConfZip,
  isDhxSubsystem,
  loadGlobalConf,
  parseGlobalConf,
  parseSharedParams,
} from '../../src/xroad/globalconf';

const SPEC = process.env.DHX_SPEC_DIR ?? path.resolve(__dirname, '../../../shared/spec');
const confDir = path.join(SPEC, 'dhx-adapter/global-conf');
const haveSpec = fs.existsSync(confDir);
const specTest = haveSpec ? test : test.skip;
if (!haveSpec) console.warn(`global configuration samples not found in ${confDir}: those tests are skipped`);

describe('global configuration (shared-params.xml)', () => {
  specTest('the official ee-dev sample lists members, their DHX subsystems and the DHX intermediary group', () => {
    const conf = parseSharedParams(fs.readFileSync(path.join(confDir, 'shared-params_test1.xml')));
    expect(conf.instance).toBe('ee-dev');
    expect(conf.members.length).toBeGreaterThan(400);
    const asutusY = conf.members.find((m) => m.memberCode === '70000004');
    expect(asutusY).toEqual({ memberClass: 'GOV', memberCode: '70000004', name: 'Asutus Y', subsystems: ['DHX', 'DHX.adit'] });
    const group = conf.groups.find((g) => g.code === DHX_INTERMEDIARY_GROUP);
    expect(group?.members).toEqual([
      { objectType: 'SUBSYSTEM', xRoadInstance: 'ee-dev', memberClass: 'COM', memberCode: '30000001', subsystemCode: 'DHX' },
    ]);
  });

  test('a member without class or code is skipped, not fatal', () => {
    const xml = `<ns3:conf xmlns:ns3="http://x-road.eu/xsd/xroad.xsd"><instanceIdentifier>ee-dev</instanceIdentifier>
      <member id="a"><name>Nimetu</name><subsystem id="b"><subsystemCode>DHX</subsystemCode></subsystem></member>
      <member id="c"><memberClass><code>GOV</code></memberClass><memberCode>75000003</memberCode><name>Vald</name></member></ns3:conf>`;
    expect(parseSharedParams(xml).members).toEqual([{ memberClass: 'GOV', memberCode: '75000003', name: 'Vald', subsystems: [] }]);
  });

  specTest('the larger e2e sample parses too', () => {
    const conf = parseSharedParams(fs.readFileSync(path.join(confDir, 'shared-params_ee-dev_e2e.xml')));
    expect(conf.members.length).toBeGreaterThan(300);
    expect(conf.members.filter((m) => m.subsystems.some(isDhxSubsystem)).length).toBeGreaterThan(0);
  });

  test('a DHX subsystem is named exactly DHX or starts with DHX. (DHXsubsystem is not one)', () => {
    expect(isDhxSubsystem('DHX')).toBe(true);
    expect(isDhxSubsystem('DHX.adit')).toBe(true);
    expect(isDhxSubsystem('DHXsubsystem')).toBe(false);
    expect(isDhxSubsystem('dhx')).toBe(false);
    expect(isDhxSubsystem('generic-consumer')).toBe(false);
  });

  test('what buildSharedParams writes, parseSharedParams reads back; the zip the same way', () => {
    const conf = {
      instance: 'ee-test',
      members: [
        { memberClass: 'GOV', memberCode: '75000001', name: 'Näidisvalla Vallavalitsus', subsystems: ['DHX', 'DHX.dvk', 'muu'] },
        { memberClass: 'COM', memberCode: '10000001', name: 'Vahendaja OÜ', subsystems: ['DHX'] },
      ],
      groups: [
        {
          code: DHX_INTERMEDIARY_GROUP,
          description: 'DHX vahendajad',
          members: [{ objectType: 'SUBSYSTEM' as const, xRoadInstance: 'ee-test', memberClass: 'COM', memberCode: '10000001', subsystemCode: 'DHX' }],
        },
      ],
    };
    expect(parseSharedParams(buildSharedParams(conf))).toEqual(conf);
    expect(parseGlobalConf(buildVerificationConfZip(conf), 'ee-test')).toEqual(conf);
  });

  test('a zip with several instances gives ours; one without ours is refused by name', () => {
    const xml = (inst: string) => new TextEncoder().encode(buildSharedParams({ instance: inst, members: [], groups: [] }));
    const zip = Buffer.from(zipSync({ verificationconf: { 'ee-dev': { 'shared-params.xml': xml('ee-dev') }, EE: { 'shared-params.xml': xml('EE') } } }));
    expect(parseGlobalConf(zip, 'EE').instance).toBe('EE');
    expect(() => parseGlobalConf(zip, 'ee-test')).toThrow(/no shared-params.xml for instance ee-test/);
  });

  test('loadGlobalConf reads a plain XML file and a zip file; a missing file is a GlobalConfError', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-gc-'));
    try {
      const conf = { instance: 'ee-dev', members: [{ memberClass: 'GOV', memberCode: '75000002', name: 'Testlinn', subsystems: ['DHX'] }], groups: [] };
      fs.writeFileSync(path.join(dir, 'shared-params.xml'), buildSharedParams(conf));
      fs.writeFileSync(path.join(dir, 'conf.zip'), buildVerificationConfZip(conf));
      expect(await loadGlobalConf(path.join(dir, 'shared-params.xml'), 'ee-dev')).toEqual(conf);
      expect(await loadGlobalConf(path.join(dir, 'conf.zip'), 'ee-dev')).toEqual(conf);
      await expect(loadGlobalConf(path.join(dir, 'nope.xml'), 'ee-dev')).rejects.toMatchObject({ code: 'GLOBAL_CONF' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a document that is not shared-params is refused', () => {
    expect(() => parseSharedParams('<a/>')).toThrow(/not an X-Road shared-params.xml/);
    expect(() => parseSharedParams('not xml')).toThrow(/not XML/);
  });
});
