import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * scripts/check-layers.js (part of `npm run lint`): no module imports itself round a cycle, and the
 * folders of src/ form no cycle either (docs/architecture.md "Folders"). It passes on src/ and names the
 * cycle it finds in a tree that has one.
 */

const SCRIPT = path.resolve(__dirname, '../../scripts/check-layers.js');

function check(dir?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, dir ? [SCRIPT, dir] : [SCRIPT], { cwd: path.resolve(__dirname, '../..') }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  const dir = path.join(root, 'src');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(path.dirname(d), { recursive: true, force: true });
});

test('src/ has no module cycle and no folder cycle', async () => {
  const r = await check();
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/no module cycle, no folder cycle/);
});

test('a folder cycle made of files that form no module cycle is found and named', async () => {
  // low/a.ts → high/b.ts → low/c.ts: no file reaches itself, but low/ and high/ import each other.
  const dir = tree({
    'low/a.ts': "import { b } from '../high/b';\nexport const a = (): number => b() + 1;\n",
    'low/c.ts': 'export const c = (): number => 1;\n',
    'high/b.ts': "import { c } from '../low/c';\nexport const b = (): number => c();\n",
    'top.ts': "import { a } from './low/a';\nexport const top = a;\n",
  });
  made.push(dir);
  const r = await check(dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('folder cycle: high → low → high');
  expect(r.stderr).toContain('high/b.ts → low/c.ts');
  expect(r.stderr).toContain('low/a.ts → high/b.ts');
  expect(r.stderr).not.toContain('module cycle');
});

test('a module cycle is found and named', async () => {
  const dir = tree({
    'one/x.ts': "import { y } from './y';\nexport const x = (): number => y();\n",
    'one/y.ts': "import { x } from './x';\nexport const y = (): number => (x ? 1 : 0);\n",
  });
  made.push(dir);
  const r = await check(dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/module cycle: one\/(x|y)\.ts → one\/(x|y)\.ts → one\/(x|y)\.ts/);
});

test('folders that import downward only pass', async () => {
  const dir = tree({
    'low/c.ts': 'export const c = (): number => 1;\n',
    'high/b.ts': "import { c } from '../low/c';\nexport const b = (): number => c();\n",
    'app.ts': "import { b } from './high/b';\nexport const app = b;\n",
  });
  made.push(dir);
  const r = await check(dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
