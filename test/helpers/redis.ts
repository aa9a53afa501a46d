import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { removeQueueKeys } from '../../src/jobs/queues';
import { track } from './resources';

/**
 * Real Redis, isolated per test by a random BullMQ prefix (bullmq habit: each test makes its own queue
 * and removes it after).
 *
 *   const prefix = randomPrefix();
 *   const connection = testRedis();
 *   const queue = track('queue', new Queue('intake', { connection, prefix }), ...);
 *   afterEach(() => cleanupPrefix(connection, prefix));
 */

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function randomPrefix(): string {
  return `test-${randomBytes(6).toString('hex')}`;
}

/** A tracked connection suitable for BullMQ workers (maxRetriesPerRequest must be null). */
export function testRedis(): Redis {
  const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  return track('redis connection', r, (c) => c.status === 'end');
}

export function cleanupPrefix(connection: Redis, prefix: string): Promise<number> {
  return removeQueueKeys(connection, prefix);
}
