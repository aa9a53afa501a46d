/** Collects text up to a number of characters; `full` says when to stop reading. */
export class TextSink {
  private parts: string[] = [];
  private length = 0;
  truncated = false;

  constructor(private readonly maxChars: number) {}

  get full(): boolean {
    return this.truncated;
  }

  push(s: string): void {
    if (this.truncated || s.length === 0) return;
    const room = this.maxChars - this.length;
    if (s.length > room) {
      this.parts.push(s.slice(0, room));
      this.length += room;
      this.truncated = true;
      return;
    }
    this.parts.push(s);
    this.length += s.length;
  }

  text(): string {
    return this.parts.join('');
  }
}

/** Spaces and blank lines tidied: runs of spaces or tabs become one space, three or more newlines two. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whitespace is tidied after reading: a reader collects some more raw text than the cap so the cap holds after tidying. */
export function rawCharsFor(maxChars: number): number {
  return maxChars * 2 + 1024;
}

/** A reader's raw text made final: control characters dropped, tidied, cut at `maxChars`. */
export function finishText(raw: string, truncated: boolean, maxChars: number): { text: string; truncated: boolean } {
  // eslint-disable-next-line no-control-regex
  const text = tidy(raw.replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffe\uffff]/g, ''));
  if (text.length > maxChars) return { text: text.slice(0, maxChars), truncated: true };
  return { text, truncated };
}
