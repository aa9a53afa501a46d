/**
 * The receive benchmark's floor: a bare Node HTTP server that stores each request body with one
 * PostgreSQL insert and answers 200. What the adapter does beyond this is its own cost.
 */
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function main(): Promise<void> {
  await pool.query('CREATE TABLE IF NOT EXISTS floor_bodies (id bigserial PRIMARY KEY, body bytea NOT NULL)');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pool
        .query('INSERT INTO floor_bodies (body) VALUES ($1) RETURNING id', [Buffer.concat(chunks)])
        .then((r) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(String(r.rows[0].id));
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
  process.once('SIGTERM', () => server.close(() => void pool.end()));
}

void main();
