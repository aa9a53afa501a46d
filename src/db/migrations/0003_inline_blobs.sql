-- Small received capsules are kept in the database, committed with their row (docs/receive.md): no
-- file, fsync or rename on the receive path. NULL means the blob is a file in DATA_DIR.
ALTER TABLE blobs ADD COLUMN content bytea;
