import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { extractCapsule } from '../capsule/extract';
import { readCapsule, validateCapsule, type ReadOptions } from '../capsule/read';
import type { CapsuleLimits } from '../capsule/content';
import { loadConfig } from '../config';
import { makePool } from '../db/pool';
import type { CliContext } from './context';
import { describeDbError } from './errors';
import { recordReveal, REVEAL_HELP } from './output';
import { formatExtract, formatInspect, formatValidate, inspectJson, type ValidateReport } from './capsule-report';

/** `dhx capsule validate|inspect|extract`: thin commands over src/capsule (README, "Commands"). */

function limitsFrom(ctx: CliContext): Partial<CapsuleLimits> {
  const c = loadConfig(ctx.env);
  return {
    maxFileBytes: c.capsule.maxFileBytes,
    maxTotalBytes: c.capsule.maxTotalBytes,
    maxGzipRatio: c.capsule.maxGzipRatio,
    maxMetadataBytes: c.capsule.maxMetadataBytes,
    maxFiles: c.capsule.maxFiles,
    maxTextBytes: c.capsule.maxTextBytes,
  };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function readable(file: string): string | undefined {
  try {
    if (!fs.statSync(file).isFile()) return 'not a regular file';
    fs.accessSync(file, fs.constants.R_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
  }
}

/**
 * `capsule inspect|extract --reveal` read a file, not the database, yet a reveal is only ever allowed with
 * its audit row: the command needs DATABASE_URL to answer, else it refuses (exit 1) and prints nothing.
 */
async function revealFile(ctx: CliContext, command: string, file: string, detail: Record<string, unknown>): Promise<boolean> {
  const config = loadConfig(ctx.env);
  const pool = makePool({ databaseUrl: config.databaseUrl, max: 1, applicationName: `dhx ${command}` });
  try {
    await recordReveal(ctx, pool, {
      type: 'file',
      id: path.resolve(file),
      detail: { command, ...detail },
    });
    return true;
  } catch (err) {
    ctx.stderr(`dhx ${command}: --reveal is recorded in the audit log, which is not reachable: ${describeDbError(err, config.databaseUrl)}`);
    ctx.setExitCode(1);
    return false;
  } finally {
    await pool.end();
  }
}

export function makeCapsuleCommand(ctx: CliContext): Command {
  const cmd = new Command('capsule').description('Check, read and unpack Capsule 2.1 (DecContainer) documents');

  cmd
    .command('validate')
    .description(
      'Validate capsules against the Capsule 2.1 schema (exit 0: all valid, 1: any invalid or unreadable).\n' +
        'The verdict is the official XSD\'s; DOCTYPEs, non-XML and base64(gzip)-wrapped input are invalid.',
    )
    .argument('<file...>', 'capsule XML files')
    .option('--json', 'print a JSON array of {file, valid, issues}')
    .option('--content', 'also decode every file and report content that cannot be decoded (does not change the verdict)')
    .action(async (files: string[], opts: { json?: boolean; content?: boolean }) => {
      const limits = limitsFrom(ctx);
      const reports: ValidateReport[] = [];
      for (const file of files) {
        const problem = readable(file);
        if (problem) {
          reports.push({ file, valid: false, issues: [], error: problem });
        } else {
          const options: ReadOptions = { limits };
          const r = opts.content ? await readCapsule(file, options) : await validateCapsule(file, options);
          const contentIssues = r.files.filter((f) => f.error).map((f) => `File[${f.index}] ${f.fileName}: ${f.error?.message}`);
          reports.push({ file, valid: r.valid, issues: r.issues, ...(contentIssues.length ? { contentWarnings: contentIssues } : {}) });
        }
        if (!opts.json) ctx.stdout(formatValidate(reports[reports.length - 1]!));
      }
      if (opts.json) ctx.stdout(json(reports));
      const bad = reports.filter((r) => !r.valid).length;
      if (!opts.json && files.length > 1) ctx.stdout(`${files.length - bad} valid, ${bad} invalid`);
      ctx.setExitCode(bad > 0 ? 1 : 0);
    });

  cmd
    .command('inspect')
    .description('Show a capsule: sender, recipients, record metadata, access, and each file with declared vs computed size and type')
    .argument('<file>', 'capsule XML file')
    .option('--json', 'print JSON')
    .option('--reveal', `${REVEAL_HELP}; needs the database (DATABASE_URL)`)
    .action(async (file: string, opts: { json?: boolean; reveal?: boolean }) => {
      const problem = readable(file);
      if (problem) {
        ctx.stderr(`${file}: ${problem}`);
        ctx.setExitCode(1);
        return;
      }
      const r = await readCapsule(file, { limits: limitsFrom(ctx) });
      if (opts.reveal && !(await revealFile(ctx, 'capsule inspect', file, { bytes: r.bytesRead, recordGuid: r.capsule?.recordMetadata.recordGuid ?? null }))) return;
      ctx.stdout(opts.json ? json(inspectJson(file, r)) : formatInspect(file, r));
      ctx.setExitCode(r.valid ? 0 : 1);
    });

  cmd
    .command('extract')
    .description(
      'Decode a capsule\'s files into a folder (created 0700; files 0600, names made safe, the original kept in the report).\n' +
        'Nothing is written unless the capsule is valid.',
    )
    .argument('<file>', 'capsule XML file')
    .requiredOption('--out <dir>', 'folder to write the files into')
    .option('--json', 'print JSON')
    .option('--reveal', `${REVEAL_HELP}; needs the database (DATABASE_URL). The files are written under their real names either way`)
    .action(async (file: string, opts: { out: string; json?: boolean; reveal?: boolean }) => {
      const problem = readable(file);
      if (problem) {
        ctx.stderr(`${file}: ${problem}`);
        ctx.setExitCode(1);
        return;
      }
      // Recorded before anything is written: a refused reveal leaves no files behind either.
      if (opts.reveal && !(await revealFile(ctx, 'capsule extract', file, { outDir: path.resolve(opts.out) }))) return;
      const r = await extractCapsule(file, opts.out, { limits: limitsFrom(ctx) });
      if (opts.json) ctx.stdout(json({ ...inspectJson(file, r), outDir: opts.out }));
      else ctx.stdout(formatExtract(file, opts.out, r));
      ctx.setExitCode(r.valid && r.files.every((f) => f.path) ? 0 : 1);
    });

  return cmd;
}
