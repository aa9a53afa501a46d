import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS, type SettingName } from '../../src/config';

/**
 * README's configuration table is what an operator reads: every setting the daemon reads has a row there,
 * with the default the code uses (sizes may be written with a space, `256 MiB` for `256MiB`).
 */

interface Row {
  names: string[];
  defaults: string[];
}

function configurationRows(): Row[] {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split(' | ');
    if (!line.startsWith('| `') || cells.length < 3) continue;
    const names = [...cells[0]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);
    const defaults = cells[1]!.split(/`?,\s+`?/).map((d) => d.replace(/`/g, '').trim());
    rows.push({ names, defaults });
  }
  return rows;
}

const normalised = (v: string): string => v.replace(/\s+/g, '');

test('every setting has a README configuration row with the same default', () => {
  const rows = configurationRows();
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(SETTINGS) as Array<[SettingName, { default?: string }]>) {
    const row = rows.find((r) => r.names.includes(name));
    if (!row) {
      problems.push(`${name}: no README row`);
      continue;
    }
    if (setting.default === undefined) continue;
    const written = row.defaults.length === row.names.length ? row.defaults[row.names.indexOf(name)]! : row.defaults.join(', ');
    if (normalised(written) !== normalised(setting.default)) problems.push(`${name}: README says ${written}, the code ${setting.default}`);
  }
  expect(problems).toEqual([]);
});
