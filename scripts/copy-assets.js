// Copies non-TypeScript assets (SQL migrations) next to the compiled JavaScript.
const fs = require('node:fs');
const path = require('node:path');
const from = path.join(__dirname, '..', 'src', 'db', 'migrations');
const to = path.join(__dirname, '..', 'dist', 'src', 'db', 'migrations');
fs.mkdirSync(to, { recursive: true });
for (const f of fs.readdirSync(from)) if (f.endsWith('.sql')) fs.copyFileSync(path.join(from, f), path.join(to, f));
