import pg from 'pg';

/**
 * A throwaway database beside the one `baseUrl` names (the demo runs the adapter in one and removes it
 * afterwards). The administrative connection that created it stays open to drop it.
 */
export interface ScratchDatabase {
  /** The new database's URL (the base URL with its name). */
  url: string;
  /** Drops the database (also while connections to it are still open) and closes the administrative connection. */
  drop(): Promise<void>;
}

/** `name` must be a plain identifier (letters, digits, underscores): it is written into the statement. */
export async function createScratchDatabase(baseUrl: string, name: string): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: new URL(baseUrl).toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    await admin.end().catch(() => undefined);
    throw err;
  }
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}
