-- BLOB_STORE=postgres (docs/receive.md, "Where blobs are kept"): content above DHX_INLINE_BLOB_BYTES
-- as a PostgreSQL large object that every node reads, named here and committed with this row. A row has
-- at most one of content (inline) and lo_oid; with neither, the blob is a file in a DATA_DIR.
ALTER TABLE blobs ADD COLUMN lo_oid oid;
ALTER TABLE blobs ADD CONSTRAINT blobs_one_place CHECK (content IS NULL OR lo_oid IS NULL);
CREATE UNIQUE INDEX blobs_lo_oid ON blobs (lo_oid) WHERE lo_oid IS NOT NULL;

-- A large object is not owned by its row: without this it would outlive the row (an orphan in
-- pg_largeobject that nothing names). Deleting a row, or replacing its large object, unlinks the old one.
CREATE FUNCTION blobs_unlink_large_object() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.lo_oid IS NOT NULL AND (TG_OP = 'DELETE' OR NEW.lo_oid IS DISTINCT FROM OLD.lo_oid) THEN
    PERFORM lo_unlink(OLD.lo_oid);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER blobs_unlink_large_object AFTER DELETE OR UPDATE OF lo_oid ON blobs
  FOR EACH ROW EXECUTE FUNCTION blobs_unlink_large_object();
