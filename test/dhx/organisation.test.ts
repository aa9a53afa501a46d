import { organisationKey, sameOrganisation } from '../../src/xroad/organisation';

describe('one comparison of organisation codes for the receive path and reply routing', () => {
  test.each([
    ['70001975', '70001975'],
    ['EE70001975', '70001975'],
    [' ee70001975 ', '70001975'],
    ['adit.70006317', '70006317'],
    ['DHX.adit.70006317', '70006317'],
    ['adit.EE70006317', '70006317'],
  ])('%j and %j name the same organisation', (a, b) => {
    expect(sameOrganisation(a, b)).toBe(true);
    expect(sameOrganisation(b, a)).toBe(true);
  });

  test.each([
    ['70001975', '70001976'],
    ['EE70001975', 'EE70001976'],
    ['170001975', '70001975'],
    ['', ''],
    ['adit.', 'adit.'],
  ])('%j and %j do not', (a, b) => {
    expect(sameOrganisation(a, b)).toBe(false);
  });

  test('a code that only starts with the letters ee is kept whole', () => {
    expect(organisationKey('eesti')).toBe('eesti');
    expect(organisationKey('EE')).toBe('ee');
  });
});
