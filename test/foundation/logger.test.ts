import { Writable } from 'node:stream';
import { makeLogger, maskPersonalCodes, isValidPersonalCode } from '../../src/log/logger';
import { makeTestPersonalCode } from '../helpers/personal-codes';

function capture(): { lines: () => Array<Record<string, unknown>>; raw: () => string; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    stream,
    raw: () => chunks.join(''),
    lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('personal codes are masked in logs', () => {
  const code = makeTestPersonalCode(42); // fictional, valid checksum
  const other = makeTestPersonalCode(7, '990101', 3);

  test('the test codes are valid codes, and masking keeps only the first and last digit', () => {
    expect(isValidPersonalCode(code)).toBe(true);
    expect(maskPersonalCodes(`isik ${code} kirjutas`)).toBe(`isik ${code[0]}*********${code[10]} kirjutas`);
  });

  test('in the message, nested fields, arrays, child bindings and errors; the output stays JSON', () => {
    const out = capture();
    const log = makeLogger({ level: 'info', destination: out.stream });
    const child = log.child({ capsuleId: 'c1', subject: `laps ${code}` });
    child.info({ capsule: { sender: { personalIdCode: code }, list: [other, { deep: [code] }] }, bare: Number(code) }, `taotlus isikult ${code}`);
    child.error({ err: new Error(`bad file for ${other}`) }, 'failed');
    const raw = out.raw();
    expect(raw).not.toContain(code);
    expect(raw).not.toContain(other);
    const [first, second] = out.lines();
    expect(first).toMatchObject({ msg: `taotlus isikult ${code[0]}*********${code[10]}`, capsuleId: 'c1' });
    expect((first?.capsule as { sender: { personalIdCode: string } }).sender.personalIdCode).toBe(`${code[0]}*********${code[10]}`);
    expect(first?.bare).toBe(`${code[0]}*********${code[10]}`);
    expect(JSON.stringify(second)).toContain(`bad file for ${other[0]}*********${other[10]}`);
  });

  test('numbers that are not personal codes are left alone', () => {
    const notCodes = [
      `${code.slice(0, 10)}${(Number(code[10]) + 1) % 10}`, // wrong check digit
      `1${code}`, // part of a longer run of digits
      '70001975', // a registry code
      '71234567890', // first digit 7
      '39913450001', // month 13
    ];
    const out = capture();
    makeLogger({ level: 'info', destination: out.stream }).info({ values: notCodes }, notCodes.join(' '));
    for (const n of notCodes) expect(out.raw()).toContain(n);
  });
});
