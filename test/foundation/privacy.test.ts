import { maskText, RESTRICTED, storableDetail, storableMessage } from '../../src/log/privacy';
import { makeTestPersonalCode, maskedForm } from '../helpers/personal-codes';

/** docs/operations.md, "Privacy": the one masking of free text that leaves the process or is stored. */

const CODE = makeTestPersonalCode(88); // fictional, valid checksum
const MASKED = maskedForm(CODE);

describe('maskText', () => {
  test('masks personal codes in text and keeps JSON valid when a code is a bare number', () => {
    expect(maskText(`isik ${CODE}, registrikood 70001975`)).toBe(`isik ${MASKED}, registrikood 70001975`);
    const json = maskText(JSON.stringify({ code: Number(CODE), list: [Number(CODE)], text: CODE }));
    expect(JSON.parse(json)).toEqual({ code: MASKED, list: [MASKED], text: MASKED });
  });

  test('leaves digit runs that are not personal codes alone', () => {
    expect(maskText('12345678901 and 123456789012 and 0.5')).toBe('12345678901 and 123456789012 and 0.5');
  });
});

describe('storableMessage: the boundary before PostgreSQL', () => {
  const restricted = { restricted: true, names: ['Lapse Mari juhtum', 'akt.pdf', 'ab'] };

  test("a restricted document's names become the placeholder, longest first; personal codes are masked", () => {
    expect(storableMessage(`'akt.pdf' of "Lapse Mari juhtum" (${CODE}) is too large`, restricted)).toBe(
      `'${RESTRICTED}' of "${RESTRICTED}" (${MASKED}) is too large`,
    );
  });

  test('names of a document that is not restricted stay; names too short to mean anything are not replaced', () => {
    expect(storableMessage(`'akt.pdf' is too large`, { ...restricted, restricted: false })).toBe(`'akt.pdf' is too large`);
    expect(storableMessage('a table', restricted)).toBe('a table');
  });

  test('masking twice gives the same text; a detail is masked in every string at any depth', () => {
    const once = storableMessage(`akt.pdf ${CODE}`, restricted);
    expect(storableMessage(once, restricted)).toBe(once);
    expect(storableDetail({ a: [{ message: `akt.pdf ${CODE}` }], n: 1, ok: true }, restricted)).toEqual({ a: [{ message: `${RESTRICTED} ${MASKED}` }], n: 1, ok: true });
  });
});
