import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, describeConfig, loadConfig, loadConfigWithSources } from '../../src/config';

describe('configuration', () => {
  test('defaults give a working local setup (names as in docs/configuration.md)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: 'postgres://root@127.0.0.1:5432/root',
      redisUrl: 'redis://127.0.0.1:6379',
      port: 8080,
      xroad: { instance: 'ee-dev', memberClass: 'GOV', memberCode: '70001975', subsystem: 'DHX', globalConf: 'http://127.0.0.1:8081/verificationconf' },
      dhx: { maxCapsuleBytes: 256 * 1024 * 1024, allowedClients: ['127.0.0.1/32', '::1/128'], acceptedSubsystems: ['DHX'], duplicateWindowDays: 30, sendRetrySchedule: [30, 120, 1200, 3600, 86400] },
      capsule: { maxFileBytes: 512 * 1024 * 1024, maxTotalBytes: 1024 ** 3, maxGzipRatio: 200, maxFiles: 1000 },
    });
    expect(c.adminToken).toBeUndefined();
  });

  test('the environment wins over the DHX_CONFIG file, which wins over defaults', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dhx-cfg-')), 'config.json');
    fs.writeFileSync(file, JSON.stringify({ PORT: 9000, XROAD_MEMBER_CODE: '11111111', LOG_LEVEL: 'debug' }));
    const loaded = loadConfigWithSources({ DHX_CONFIG: file, PORT: '9100' });
    expect(loaded.config.port).toBe(9100);
    expect(loaded.config.xroad.memberCode).toBe('11111111');
    expect(loaded.sources.PORT?.source).toBe('env');
    expect(loaded.sources.XROAD_MEMBER_CODE?.source).toBe('file');
    expect(loaded.sources.REDIS_URL?.source).toBe('default');
  });

  test('byte sizes take suffixes', () => {
    const c = loadConfig({ DHX_MAX_CAPSULE_BYTES: '10MB', CAPSULE_MAX_FILE_BYTES: '2GiB', CAPSULE_MAX_TOTAL_BYTES: '3000', CAPSULE_MAX_METADATA_BYTES: '64 KiB' });
    expect(c.dhx.maxCapsuleBytes).toBe(10_000_000);
    expect(c.capsule.maxFileBytes).toBe(2 * 1024 ** 3);
    expect(c.capsule.maxTotalBytes).toBe(3000);
    expect(c.capsule.maxMetadataBytes).toBe(65536);
  });

  test('every problem is reported at once, each naming its variable', () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        DHX_ALLOWED_CLIENTS: '10.0.0.0/8, 300.1.1.1/32, 192.168.0.0/40',
        DHX_SEND_RETRY_SCHEDULE: '30,abc,-5',
        ADMIN_TOKEN: 'short',
        LOG_LEVEL: 'loud',
        CAPSULE_MAX_FILE_BYTES: '12 parsecs',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    for (const name of ['PORT', 'DATABASE_URL', 'DHX_SEND_RETRY_SCHEDULE', 'ADMIN_TOKEN', 'LOG_LEVEL', 'CAPSULE_MAX_FILE_BYTES']) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
    expect(problems.filter((p) => p.startsWith('DHX_ALLOWED_CLIENTS:'))).toHaveLength(2);
  });

  test('CIDR lists accept IPv4, IPv6 and single addresses', () => {
    expect(loadConfig({ DHX_ALLOWED_CLIENTS: '10.1.2.0/24, fd00::/8, 127.0.0.1' }).dhx.allowedClients).toEqual(['10.1.2.0/24', 'fd00::/8', '127.0.0.1']);
  });

  test('describeConfig redacts the admin token and URL passwords', () => {
    const rows = describeConfig(loadConfigWithSources({ ADMIN_TOKEN: 'a-very-secret-token-123', DATABASE_URL: 'postgres://u:hunter2@db:5432/x' }));
    const text = JSON.stringify(rows);
    expect(text).not.toContain('a-very-secret-token-123');
    expect(text).not.toContain('hunter2');
    expect(rows.find((r) => r.name === 'ADMIN_TOKEN')).toEqual({ name: 'ADMIN_TOKEN', value: '********', source: 'env' });
  });
});
