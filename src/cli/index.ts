#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { maskText } from '../log/privacy';
import { makeAddressBookCommand } from './addressbook';
import { makeBlobsCommand } from './blobs';
import { makeCapsuleCommand } from './capsule';
import { makeConfigCommand } from './config';
import { processContext, type CliContext } from './context';
import { makeDemoCommand } from './demo';
import { makeDvkCommand } from './dvk';
import { makeAditCommand } from './adit';
import { makeCasesCommand, makeClassifyCommand, makeFailedCommand, makeStatsCommand } from './intake';
import { makeAuditCommand, makeCleanupCommand, makeDoctorCommand, makeReplayCommand } from './operator';
import { makeMigrateCommand } from './migrate';
import { makeOpinionCommand } from './opinion';
import { makeOutboundCommand } from './outbound';
import { privateOutput } from './output';
import { makeRepresenteeCommand } from './representee';
import { makeServeCommand } from './serve';
import { makeShowCommand } from './show';
import { makeSimCommand } from './sim';

/**
 * `dhx`: the operator CLI, a thin shell over the project's own functions, with no logic of its
 * own. Exit codes (README, "Commands"): 0 success, 1 failure, 2 bad usage.
 */
export function makeProgram(ctx: CliContext): Command {
  const program = new Command('dhx')
    .description(
      'dhx-adapter: DHX document exchange for the Social Insurance Board\'s child-welfare department.\n' +
        'Configuration comes from the environment (see `dhx config` and README).',
    )
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => ctx.stdout(s.replace(/\n$/, '')),
      writeErr: (s) => ctx.stderr(s.replace(/\n$/, '')),
    });
  program.addCommand(makeCapsuleCommand(ctx));
  program.addCommand(makeMigrateCommand(ctx));
  program.addCommand(makeBlobsCommand(ctx));
  program.addCommand(makeConfigCommand(ctx));
  program.addCommand(makeServeCommand(ctx));
  program.addCommand(makeShowCommand(ctx));
  program.addCommand(makeRepresenteeCommand(ctx));
  program.addCommand(makeSimCommand(ctx));
  program.addCommand(makeAddressBookCommand(ctx));
  program.addCommand(makeDemoCommand(ctx));
  program.addCommand(makeOpinionCommand(ctx));
  program.addCommand(makeOutboundCommand(ctx));
  program.addCommand(makeDvkCommand(ctx));
  program.addCommand(makeAditCommand(ctx));
  for (const make of [makeClassifyCommand, makeCasesCommand, makeStatsCommand, makeFailedCommand, makeReplayCommand, makeAuditCommand, makeDoctorCommand, makeCleanupCommand]) program.addCommand(make(ctx));
  const exitOverride = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) exitOverride(sub);
  };
  exitOverride(program);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  let code: 0 | 1 | 2 = 0;
  // Personal codes masked in everything printed, errors included, unless a command records a --reveal.
  const tracking: CliContext = privateOutput({ ...ctx, setExitCode: (c) => void (code = c) });
  try {
    await makeProgram(tracking).parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ConfigError) {
      tracking.stderr(err.message);
      return 1;
    }
    tracking.stderr(`dhx: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  const ctx = processContext();
  runCli(process.argv.slice(2), ctx).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      ctx.stderr(maskText(`dhx: ${(err as Error).stack ?? String(err)}`));
      process.exitCode = 1;
    },
  );
}
