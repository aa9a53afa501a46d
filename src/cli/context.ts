import readline from 'node:readline/promises';

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
  /**
   * Present when a person sits at a terminal (stdin and stderr are TTYs): questions can be asked and a
   * progress line drawn. Absent in scripts, pipes and tests, where a command must not wait for an answer.
   */
  terminal?: Terminal;
}

export interface Terminal {
  /** Asks on stderr and reads one line from stdin; true only for y or yes. */
  confirm(question: string): Promise<boolean>;
  /** Redraws one progress line on stderr; `done === total` ends it. */
  progress(done: number, total: number, label: string): void;
}

function terminal(): Terminal {
  return {
    async confirm(question) {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^(y|yes)$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
    progress(done, total, label) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
    },
  };
}

export function processContext(): CliContext {
  return {
    env: process.env,
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    setExitCode: (c) => {
      process.exitCode = c;
    },
    ...(process.stdin.isTTY && process.stderr.isTTY ? { terminal: terminal() } : {}),
  };
}
