import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS, type SettingName } from '../../src/config';

/**
 * docs/configuration.md is the settings reference an operator reads: every setting the daemon reads has a
 * row there, with the default the code uses (sizes may be written with a space, `256 MiB` for `256MiB`).
 * README shows only the settings people change first; each row it does show must agree with the code too.
 */

interface Row {
  names: string[];
  defaults: string[];
}

/** Rows `| \`NAME\`[, \`NAME\`] | default[, default] | meaning |` of the tables in `text`. */
function settingRows(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split(' | ');
    if (!line.startsWith('| `') || cells.length < 3) continue;
    const names = [...cells[0]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);
    const defaults = cells[1]!.split(/`?,\s+`?/).map((d) => d.replace(/`/g, '').trim());
    rows.push({ names, defaults });
  }
  return rows;
}

const read = (file: string): string => fs.readFileSync(path.resolve(__dirname, '../..', file), 'utf8');

/** The configuration reference: every table of docs/configuration.md before its test-only inputs. */
function referenceRows(): Row[] {
  const doc = read('docs/configuration.md');
  const end = doc.indexOf('\n## Read outside the settings');
  return settingRows(end === -1 ? doc : doc.slice(0, end));
}

/** README's short table of the settings people change first. */
function readmeRows(): Row[] {
  const readme = read('README.md');
  const start = readme.indexOf('## Configuration');
  if (start === -1) return [];
  const end = readme.indexOf('\n## ', start + 1);
  return settingRows(readme.slice(start, end === -1 ? undefined : end));
}

const normalised = (v: string): string => v.replace(/\s+/g, '');

const SETTING_NAMES = new Set(Object.keys(SETTINGS));

/** Problems of `rows` against the code: unknown names, and defaults that differ from SETTINGS. */
function disagreements(rows: Row[], where: string): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    for (const name of row.names) {
      if (!SETTING_NAMES.has(name)) {
        problems.push(`${name}: ${where} has a row for a setting the code does not read`);
        continue;
      }
      const setting = SETTINGS[name as SettingName] as { default?: string };
      if (setting.default === undefined) continue;
      const written = row.defaults.length === row.names.length ? row.defaults[row.names.indexOf(name)]! : row.defaults.join(', ');
      if (normalised(written) !== normalised(setting.default)) problems.push(`${name}: ${where} says ${written}, the code ${setting.default}`);
    }
  }
  return problems;
}

test('every setting has a docs/configuration.md row with the same default', () => {
  const rows = referenceRows();
  const problems: string[] = [];
  for (const name of Object.keys(SETTINGS)) {
    if (!rows.some((r) => r.names.includes(name))) problems.push(`${name}: no docs/configuration.md row`);
  }
  problems.push(...disagreements(rows, 'docs/configuration.md'));
  expect(problems).toEqual([]);
});

test('every setting README shows agrees with the code', () => {
  const rows = readmeRows();
  expect(rows.length).toBeGreaterThan(0);
  expect(disagreements(rows, 'README')).toEqual([]);
});
