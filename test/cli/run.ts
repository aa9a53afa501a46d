import { execFile } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../src/cli';
import type { CliContext } from '../../src/cli/context';

/** Runs `dhx ARGS` in-process and captures what it prints. */
export async function dhx(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { env, stdout: (t) => out.push(t), stderr: (t) => err.push(t), setExitCode: () => undefined };
  const code = await runCli(args, ctx);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CLI = path.resolve(__dirname, '../../dist/src/cli/index.js');

/** Runs the built `dhx ARGS` as its own process, stdin and stderr pipes (no terminal): exit code and output. */
export function dhxProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}
