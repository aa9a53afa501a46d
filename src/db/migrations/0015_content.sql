-- Attachments' content (docs/intake.md, "Content"): signed containers unpacked, their signatures, the text of
-- every file, and the personal-data flag of a case.

-- A data file unpacked from a signed container is an attachment of the capsule beside the container: its
-- file_index follows the capsule's own files, from_container names the container (as written in the capsule,
-- or the nested container's name inside it) and container_index is the container's file_index.
ALTER TABLE attachments ADD COLUMN from_container text;
ALTER TABLE attachments ADD COLUMN container_index integer;
-- For a data file: its digest against its container's signatures (ok | mismatch | not-checked).
ALTER TABLE attachments ADD COLUMN digest text CHECK (digest IN ('ok', 'mismatch', 'not-checked'));

-- The signatures of a container attachment. signer_personal_code is personal data: stored, never logged,
-- masked on display. Only digests are checked (offline: no certificate chain, no OCSP); the container is kept
-- untouched for a full validation.
CREATE TABLE attachment_signatures (
  capsule_id          uuid NOT NULL REFERENCES inbound_capsules (id) ON DELETE CASCADE,
  file_index          integer NOT NULL,
  n                   integer NOT NULL,
  signature_id        text NOT NULL,
  from_container      text NOT NULL,
  signer              text,
  signer_personal_code text,
  signed_at           timestamptz,
  digest              text NOT NULL CHECK (digest IN ('ok', 'mismatch', 'not-checked')),
  -- [{file, digest}] per reference
  references_digests  jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (capsule_id, file_index, n)
);

-- The text of one attachment, once read (no row: not read yet). state: text (read), none (no reader for its
-- type), failed (error_code TEXT_TIMEOUT | TEXT_MALFORMED | TEXT_TOO_LARGE | TEXT_ENCRYPTED, never fatal).
-- tsv: the text folded as the classifier folds it (src/content/fold.ts), for `dhx cases search`.
-- personal_codes: how many valid personal codes the text holds (a count only).
CREATE TABLE attachment_texts (
  capsule_id     uuid NOT NULL REFERENCES inbound_capsules (id) ON DELETE CASCADE,
  file_index     integer NOT NULL,
  state          text NOT NULL CHECK (state IN ('text', 'none', 'failed')),
  chars          integer NOT NULL DEFAULT 0,
  truncated      boolean NOT NULL DEFAULT false,
  error_code     text,
  error_message  text,
  personal_codes integer NOT NULL DEFAULT 0,
  text           text,
  tsv            tsvector,
  at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (capsule_id, file_index)
);
CREATE INDEX attachment_texts_tsv ON attachment_texts USING gin (tsv);

-- Set when a personal code is found in the text of one of the case's documents (the count stays with the text).
ALTER TABLE cases ADD COLUMN holds_personal_data boolean NOT NULL DEFAULT false;
