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
