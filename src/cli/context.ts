/**
 * What a command needs from its surroundings, so that commands run in-process in tests exactly as from
 * the shell: the environment (read only by src/config), output writers, and the exit code to set.
 */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  /** One line (or block) of normal output. */
  stdout(text: string): void;
  /** One line (or block) of diagnostics. */
  stderr(text: string): void;
  /** 0 success, 1 failure, 2 bad usage (README, "Commands"). The last call wins. */
  setExitCode(code: 0 | 1 | 2): void;
  /**
   * From here on this command's output shows personal codes (src/cli/output.ts): called only by
   * recordReveal, after the audit row is written. Absent outside runCli, where nothing is masked anyway.
   */
  reveal?(): void;
}

export function processContext(): CliContext {
  return {
    env: process.env,
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    setExitCode: (c) => {
      process.exitCode = c;
    },
  };
}
