-- DVK send side (docs/dvk.md, "Sending"): with OUTBOUND_TRANSPORT=dvk a receipt or opinion goes to RIA's
-- DVK interface by sendDocuments v4, which answers with the dhl_id it assigned. The row stays `sending`
-- with `dhl_id` set ("handed to DVK, waiting for delivery") until getSendStatus v2 says `saadetud` (sent)
-- or `katkestatud` (failed). `dvk_checked_at`: when its status was last asked (the follow-up asks the
-- longest-unasked first).
ALTER TABLE outbound_documents ADD COLUMN dhl_id text;
ALTER TABLE outbound_documents ADD COLUMN dvk_checked_at timestamptz;
CREATE INDEX outbound_documents_dvk_waiting ON outbound_documents (dvk_checked_at NULLS FIRST) WHERE state = 'sending' AND dhl_id IS NOT NULL;
