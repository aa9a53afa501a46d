import { ConfigError, loadConfig } from '../../src/config';

describe('intake settings', () => {
  test('defaults: receipts for KLAT and counselling, KLAT due in 30 days, reconciler every 30 s', () => {
    const c = loadConfig({});
    expect(c.intake).toMatchObject({
      receiptCategories: ['klat_arvamus', 'noustamine'],
      dueDays: { klat_arvamus: 30 },
      reconcileCron: '*/30 * * * * *',
      concurrency: 8,
      dueSoonDays: 5,
    });
    expect(c.intake.rulesFile).toBeUndefined();
  });

  test('per-category settings are read from CATEGORY=DAYS lists; every problem is reported together', () => {
    expect(loadConfig({ INTAKE_DUE_DAYS: 'klat_arvamus=21, noustamine=45', INTAKE_RECEIPT_CATEGORIES: 'muu' }).intake).toMatchObject({
      dueDays: { klat_arvamus: 21, noustamine: 45 },
      receiptCategories: ['muu'],
    });
    let err: unknown;
    try {
      loadConfig({ INTAKE_DUE_DAYS: 'klat=30', INTAKE_RECEIPT_CATEGORIES: 'opinion', INTAKE_CONCURRENCY: '0' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/INTAKE_DUE_DAYS: 'klat=30' must be CATEGORY=DAYS/);
    expect(problems).toMatch(/INTAKE_RECEIPT_CATEGORIES: 'opinion' is not a category/);
    expect(problems).toMatch(/INTAKE_CONCURRENCY/);
  });
});
