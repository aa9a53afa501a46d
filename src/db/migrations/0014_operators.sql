-- Operators (docs/operations.md): retention, pollers' last results, reading the audit log.

-- Retention (RETENTION_DAYS): a raw capsule removed from the blob store keeps its row (size, sha256) with
-- its content gone and the time it went, so a reader says "removed by retention" instead of "missing".
ALTER TABLE blobs ADD COLUMN removed_at timestamptz;
ALTER TABLE blobs ADD CONSTRAINT blobs_removed_has_no_content CHECK (removed_at IS NULL OR content IS NULL);

-- The last result of each poller (DVK, ADIT), for `dhx doctor` and the dashboard: one row per poller.
CREATE TABLE poll_results (
  poller   text PRIMARY KEY CHECK (poller IN ('dvk', 'adit')),
  at       timestamptz NOT NULL DEFAULT now(),
  ok       boolean NOT NULL,
  -- documents fetched (DVK receiveDocuments) or listed (ADIT getDocumentList)
  fetched  integer NOT NULL DEFAULT 0,
  stage    text,
  error    text,
  last_ok_at timestamptz
);

-- `dhx audit list --since` and the dashboard read the newest first.
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
