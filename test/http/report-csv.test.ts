import { statsCsv, type Stats } from '../../src/cases/views';

/** The report's CSV (dhx stats --csv, /admin/report.csv): quoting, and no formula a spreadsheet would run. */

const row = (kovName: string, category = 'noustamine'): Stats['requests'][number] => ({
  month: '2026-11',
  category,
  kovCode: '75009901',
  kovName,
  count: 3,
  onTime: 1,
  late: 1,
  overdueOpen: 0,
  open: 1,
});

test('names with separators, quotes and line breaks are quoted; a leading formula character is defused', () => {
  const s: Stats = {
    from: null,
    to: null,
    requests: [row('Kasemetsa Vallavalitsus'), row('Valla "Sotsiaal", osakond'), row('Rida\nkaks'), row('=HYPERLINK("http://x")'), row('-2+3'), row('@SUM(A1)')],
    opinions: { onTime: 0, late: 0, overdueOpen: 0, open: 0 },
    triage: 0,
  };
  expect(statsCsv(s).split(/\n(?=2026|$)/)).toEqual([
    'month,category,kov_code,kov_name,requests,answered_on_time,answered_late,open_past_due,open',
    '2026-11,noustamine,75009901,Kasemetsa Vallavalitsus,3,1,1,0,1',
    '2026-11,noustamine,75009901,"Valla ""Sotsiaal"", osakond",3,1,1,0,1',
    '2026-11,noustamine,75009901,"Rida\nkaks",3,1,1,0,1',
    `2026-11,noustamine,75009901,"'=HYPERLINK(""http://x"")",3,1,1,0,1`,
    "2026-11,noustamine,75009901,'-2+3,3,1,1,0,1",
    "2026-11,noustamine,75009901,'@SUM(A1),3,1,1,0,1",
    '',
  ]);
});

test('no requests: the header alone', () => {
  expect(statsCsv({ from: null, to: null, requests: [], opinions: { onTime: 0, late: 0, overdueOpen: 0, open: 0 }, triage: 0 })).toBe(
    'month,category,kov_code,kov_name,requests,answered_on_time,answered_late,open_past_due,open\n',
  );
});
