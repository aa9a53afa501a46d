import { Command, Option } from 'commander';
import { migrateBlobsToPostgres } from '../blob/migrate';
import { makeBlobStore } from '../blob/store';
import { loadConfig } from '../config';
import { makePool } from '../db/pool';
import type { CliContext } from './context';
import { describeDbError } from './errors';

/** `dhx blobs migrate --to postgres`: this node's file blobs into PostgreSQL large objects (docs/receive.md). */
export function makeBlobsCommand(ctx: CliContext): Command {
  const blobs = new Command('blobs').description('The blob store (BLOB_STORE): capsules and files larger than DHX_INLINE_BLOB_BYTES');
  blobs
    .command('migrate')
    .description(
      'Move the blobs that are files in this DATA_DIR into PostgreSQL large objects (BLOB_STORE=postgres): each blob in its own ' +
        'transaction, verified by sha256 while it is copied, its file removed after the commit; stopped, a re-run continues. ' +
        'Run it on every node that has a DATA_DIR of its own. Progress on stderr; exit 1 when a file does not match its address.',
    )
    .addOption(new Option('--to <store>', 'the store to move into').choices(['postgres']).makeOptionMandatory())
    .option('--dry-run', 'count what would be moved; change nothing')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { to: 'postgres'; dryRun?: boolean; json?: boolean }) => {
      const config = loadConfig(ctx.env);
      const pool = makePool({ databaseUrl: config.databaseUrl, max: 2, applicationName: 'dhx blobs migrate' });
      try {
        const report = await migrateBlobsToPostgres(pool, makeBlobStore(config.dataDir, { kind: 'postgres', pool }), {
          ...(opts.dryRun ? { dryRun: true } : {}),
          progress: (line) => ctx.stderr(line),
        });
        if (opts.json) ctx.stdout(JSON.stringify(report));
        else {
          ctx.stdout(`${report.dryRun ? 'would move' : 'moved'} ${report.moved} of ${report.files} file blobs (${report.bytes} bytes) into large objects`);
          if (report.notHere.length) ctx.stdout(`${report.notHere.length} not in this DATA_DIR (${config.dataDir}): run this on the node that has them`);
          if (report.mismatched.length) ctx.stdout(`${report.mismatched.length} files do not match their sha256, left as they are: ${report.mismatched.join(', ')}`);
        }
        ctx.setExitCode(report.mismatched.length ? 1 : 0);
      } catch (err) {
        ctx.stderr(`dhx blobs migrate: ${describeDbError(err, config.databaseUrl)}`);
        ctx.setExitCode(1);
      } finally {
        await pool.end();
      }
    });
  return blobs;
}
