-- ADIT follow-up (docs/adit.md, "Sending to a person"): `adit_checked_at` is when getSendStatus v2 was last
-- asked whether the person has opened the document (answered "not yet" or not answered at all). The
-- follow-up asks the never-asked first, then the longest-unasked, a batch at a time, so with more documents
-- waiting than one batch each one is asked in turn. It replaces touching `updated_at`, which is the row's
-- last change (`dhx outbound list` orders by it), not its last question. NULL again when a new attempt
-- sends the document.
ALTER TABLE outbound_documents ADD COLUMN adit_checked_at timestamptz;
DROP INDEX outbound_documents_adit_unopened;
CREATE INDEX outbound_documents_adit_unopened ON outbound_documents (adit_checked_at NULLS FIRST, updated_at)
  WHERE adit_document_id IS NOT NULL AND opened_at IS NULL AND state = 'sent';
