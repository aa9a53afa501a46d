-- DVK receive side (docs/dvk.md): a capsule fetched from RIA's DVK interface (receiveDocuments) is stored as
-- an inbound capsule like one received by POST /dhx. `transport` says which way it came; `dhl_id` is DVK's
-- document id (DecMetadata/DecId), unique per transport, so a capsule fetched again after a crash between
-- storing and markDocumentsReceived finds its row instead of making a second one.
ALTER TABLE inbound_capsules ADD COLUMN transport text NOT NULL DEFAULT 'dhx' CHECK (transport IN ('dhx', 'dvk'));
ALTER TABLE inbound_capsules ADD COLUMN dhl_id text;
CREATE UNIQUE INDEX inbound_capsules_transport_dhl_id ON inbound_capsules (transport, dhl_id) WHERE dhl_id IS NOT NULL;
