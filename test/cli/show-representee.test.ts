import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { dhx } from './run';

describe('dhx show and dhx representee', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  test('show --json prints an inbound capsule by its receipt id', async () => {
    const id = randomUUID();
    const sha = 'a'.repeat(64);
    await db.pool.query('INSERT INTO blobs (sha256, size) VALUES ($1, 10)', [sha]);
    await db.pool.query(
      `INSERT INTO inbound_capsules (id, dedup_key, consignment_id, client, sender, recipient, blob_sha256, size)
       VALUES ($1, 'k', 'c-1', 'ee-dev/GOV/400/DHX', '400', '70001975', $2, 10)`,
      [id, sha],
    );
    const r = await dhx(['show', id, '--json'], { DATABASE_URL: db.url });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ id, direction: 'inbound', state: 'received', consignmentId: 'c-1', client: 'ee-dev/GOV/400/DHX', sender: '400', files: [] });
    const missing = await dhx(['show', randomUUID()], { DATABASE_URL: db.url });
    expect(missing.code).toBe(1);
  });

  test('representee add, list and end', async () => {
    expect((await dhx(['representee', 'add', '75019046', '--name', 'Tallinna Lasteaed', '--system', 'dhs'], { DATABASE_URL: db.url })).code).toBe(0);
    const listed = await dhx(['representee', 'list', '--active', '--json'], { DATABASE_URL: db.url });
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ memberCode: '75019046', system: 'dhs', endDate: null })]);
    expect((await dhx(['representee', 'end', '75019046'], { DATABASE_URL: db.url })).code).toBe(0);
    expect(JSON.parse((await dhx(['representee', 'list', '--active', '--json'], { DATABASE_URL: db.url })).out)).toEqual([]);
    expect((await dhx(['representee', 'end', '75019046'], { DATABASE_URL: db.url })).code).toBe(1);
    expect((await dhx(['representee', 'add', '1', '--name', 'x', '--end', 'someday'], { DATABASE_URL: db.url })).code).toBe(1);
  });
});
