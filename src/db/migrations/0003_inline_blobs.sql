-- Small received capsules are kept in the database, committed with their row (docs/receive.md): no
-- file, fsync or rename on the receive path. NULL means the blob is a file in DATA_DIR.
ALTER TABLE blobs ADD COLUMN content bytea;
-- Out of line and uncompressed: capsule content is mostly base64 of gzip, which compresses little, and
-- compressing it would cost every receipt CPU for nothing.
ALTER TABLE blobs ALTER COLUMN content SET STORAGE EXTERNAL;
