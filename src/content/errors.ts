/** A document the readers refuse: why, as one of the text outcome's codes (text.ts). */
export class TextReadError extends Error {
  constructor(
    readonly code: 'TEXT_MALFORMED' | 'TEXT_ENCRYPTED' | 'TEXT_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'TextReadError';
  }
}
