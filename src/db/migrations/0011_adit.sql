-- ADIT receive side (docs/adit.md): a document fetched from ADIT (getDocumentList v2 → getDocument v3) is
-- stored as an inbound capsule built from it (transport `adit`), deduplicated by ADIT's document id, so a
-- document fetched again after a crash between storing and markDocumentViewed finds its row.
ALTER TABLE inbound_capsules DROP CONSTRAINT IF EXISTS inbound_capsules_transport_check;
ALTER TABLE inbound_capsules ADD CONSTRAINT inbound_capsules_transport_check CHECK (transport IN ('dhx', 'dvk', 'adit'));
ALTER TABLE inbound_capsules ADD COLUMN adit_document_id text;
CREATE UNIQUE INDEX inbound_capsules_adit_document_id ON inbound_capsules (adit_document_id) WHERE adit_document_id IS NOT NULL;
