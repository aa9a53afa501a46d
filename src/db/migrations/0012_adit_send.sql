-- ADIT send side (docs/adit.md, "Sending to a person"): an opinion to a person (a parent or guardian) goes
-- through ADIT instead of DHX/DVK. `transport`: the row's own transport ('adit'), NULL for the configured
-- OUTBOUND_TRANSPORT (dhx or dvk) as before; `recipient_person`: the person's personal code (checked at
-- the command/API); `adit_document_id`: the id ADIT gave the saved document; `opened_at`: when the person
-- opened it (getSendStatus v2), asked by the ADIT follow-up after the row is `sent` (delivered to ADIT).
ALTER TABLE outbound_documents ADD COLUMN transport text CHECK (transport IN ('dhx', 'dvk', 'adit'));
ALTER TABLE outbound_documents ADD COLUMN recipient_person text;
ALTER TABLE outbound_documents ADD COLUMN adit_document_id text;
ALTER TABLE outbound_documents ADD COLUMN opened_at timestamptz;
ALTER TABLE outbound_documents ADD CONSTRAINT outbound_documents_adit_person CHECK (transport IS DISTINCT FROM 'adit' OR recipient_person IS NOT NULL);
CREATE INDEX outbound_documents_adit_unopened ON outbound_documents (updated_at) WHERE adit_document_id IS NOT NULL AND opened_at IS NULL AND state = 'sent';
