import { Redis } from 'ioredis';
import { makeQueue, type QueueName, type TypedQueue } from './queues';

/**
 * A queue for one short command (`dhx replay`, `dhx opinion send`, `dhx outbound resend`...): its own Redis
 * connection that gives up at once when Redis does not answer, instead of retrying as the daemon's do.
 * Without Redis `queue` is undefined: the row stays pending in PostgreSQL and the daemon's periodic passes
 * (reconciler, send scheduler) queue it, so the command only reports that.
 */
export interface CommandQueue<N extends QueueName> {
  queue?: TypedQueue<N>;
  close(): Promise<void>;
}

export async function openCommandQueue<N extends QueueName>(name: N, redisUrl: string, prefix: string): Promise<CommandQueue<N>> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return { close: async () => undefined };
  }
  const queue = makeQueue(name, redis, prefix);
  return {
    queue,
    async close() {
      await queue.close().catch(() => undefined);
      redis.disconnect();
    },
  };
}
