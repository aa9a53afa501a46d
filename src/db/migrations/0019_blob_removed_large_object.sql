-- Retention on BLOB_STORE=postgres (docs/operations.md, "Retention"): a blob removed by retention keeps its
-- row with no content anywhere, so it names no large object either (removeBlob unlinks it, by the trigger
-- of 0017, in the same transaction that sets removed_at). 0014 says the same of inline content.
ALTER TABLE blobs ADD CONSTRAINT blobs_removed_has_no_large_object CHECK (removed_at IS NULL OR lo_oid IS NULL);
