import type { Config } from '../config';
import { openCommandQueue } from '../jobs/command';
import { intakeJobId, QueueName, requeue } from '../jobs/queues';
import type { ReplayQueues } from './replay';

/**
 * The queues a short command (`dhx replay`) puts replayed documents on: each on a connection that gives
 * up at once when Redis does not answer (src/jobs/command.ts). Without Redis the rows wait in PostgreSQL
 * in a pending state and the daemon's reconciler and send scheduler queue them.
 */
export async function openReplayQueues(config: Pick<Config, 'redisUrl' | 'queuePrefix'>): Promise<ReplayQueues & { close(): Promise<void> }> {
  const intake = await openCommandQueue(QueueName.intake, config.redisUrl, config.queuePrefix);
  const send = intake.queue ? await openCommandQueue(QueueName.send, config.redisUrl, config.queuePrefix) : { close: async () => undefined };
  const q = intake.queue;
  return {
    ...(q
      ? {
          intake: async (ids: string[]) => {
            // A finished job of the capsule is replaced, a waiting one left, a delayed one made due now.
            for (const id of ids) await requeue(q, { data: { id }, jobId: intakeJobId(id) }, { promoteDelayed: true });
            return true;
          },
        }
      : {}),
    ...('queue' in send && send.queue ? { send: send.queue } : {}),
    async close() {
      await intake.close();
      await send.close();
    },
  };
}
