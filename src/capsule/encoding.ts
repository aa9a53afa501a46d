/**
 * Chooses the text decoder for a capsule from its first bytes: a byte-order mark, else the XML
 * declaration's `encoding`, else UTF-8 (XML 1.0 §4.3.3, Appendix F). Bytes invalid in that encoding
 * make the decoder throw, so a mis-encoded capsule is reported rather than silently altered.
 */

export interface StreamTextDecoder {
  decode(bytes: Buffer): string;
  flush(): string;
}

export function openTextDecoder(first: Buffer): StreamTextDecoder | { error: string } {
  let label = 'utf-8';
  if (first[0] === 0xfe && first[1] === 0xff) label = 'utf-16be';
  else if (first[0] === 0xff && first[1] === 0xfe) label = 'utf-16le';
  else if (!(first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf)) {
    const head = first.subarray(0, 256).toString('latin1');
    const m = /^<\?xml\s[^?]*encoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head);
    if (m?.[1]) label = m[1].toLowerCase();
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return { error: `the encoding '${label}' is not supported` };
  }
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    flush: () => decoder.decode(),
  };
}
