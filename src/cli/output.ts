import type { Pool } from '../db/pool';
import { writeAudit } from '../db/audit';
import { maskText } from '../log/privacy';
import type { CliContext } from './context';

/**
 * Everything the CLI prints goes through here (docs/operations.md, "Privacy"): personal codes are masked in
 * human and JSON output alike, unless the command was given `--reveal` and the reveal was first recorded in
 * the audit log. Commands print as they always did; none masks anything itself.
 */
export function privateOutput(ctx: CliContext): CliContext {
  let revealed = false;
  const show = (text: string): string => (revealed ? text : maskText(text));
  return {
    ...ctx,
    stdout: (t) => ctx.stdout(show(t)),
    stderr: (t) => ctx.stderr(show(t)),
    reveal: () => {
      revealed = true;
    },
  };
}

export const REVEAL_HELP = 'show personal codes and restricted titles and file names (recorded in the audit log)';

/** Who is asking: `--actor`, else $DHX_ACTOR, else $USER. */
export function actorOf(ctx: CliContext, given?: string): string {
  return given ?? ctx.env.DHX_ACTOR ?? ctx.env.USER ?? 'operator';
}

export interface RevealSubject {
  /** `inbound`, `outbound`, `case`, `cases`, `failed`, `file`. */
  type: string;
  id: string;
  /** The command line that asked (`dhx show`, …) and anything that says what was shown. */
  detail: Record<string, unknown>;
}

/**
 * Records in the audit log that an operator saw what is normally masked, then lets the command's output
 * show it. Nothing is revealed without the record: when the audit log cannot be written, this throws and
 * the command prints nothing of the document.
 */
export async function recordReveal(ctx: CliContext, pool: Pick<Pool, 'query'>, subject: RevealSubject): Promise<void> {
  await writeAudit(pool, { actor: actorOf(ctx), action: 'reveal', subjectType: subject.type, subjectId: subject.id, detail: subject.detail });
  ctx.reveal?.();
}
