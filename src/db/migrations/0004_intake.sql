-- Intake pipeline (docs/intake.md, "Steps"): parse → classify → extract → route → receipt → done, or
-- triage / parked / failed. Every stage records its state in inbound_capsules and a history row in the
-- same transaction as its effects.

ALTER TABLE inbound_capsules ADD COLUMN case_id uuid;
-- When a retry of a transient failure is due (the reconciler leaves the row alone until then).
ALTER TABLE inbound_capsules ADD COLUMN next_attempt_at timestamptz;
CREATE INDEX inbound_capsules_case ON inbound_capsules (case_id);

-- What the parse stage read from the capsule (its model as JSON, and the fields routing and stats use).
CREATE TABLE inbound_documents (
  capsule_id          uuid PRIMARY KEY REFERENCES inbound_capsules (id) ON DELETE CASCADE,
  record_guid         text NOT NULL,
  record_type         text NOT NULL,
  record_original_identifier text NOT NULL,
  record_date_registered timestamptz NOT NULL,
  title               text NOT NULL,
  reply_due_date      date,
  access_restricted   boolean NOT NULL,
  sender_code         text NOT NULL,
  sender_name         text NOT NULL,
  initiator_original_identifier text,
  recipient_record_guids text[] NOT NULL DEFAULT '{}',
  recipient_original_identifiers text[] NOT NULL DEFAULT '{}',
  model               jsonb NOT NULL,
  parsed_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_documents_guid ON inbound_documents (record_guid);
CREATE INDEX inbound_documents_original ON inbound_documents (sender_code, record_original_identifier);

-- The classification of one capsule: by the rules, by a reply's case, or by an operator (dhx classify).
CREATE TABLE classifications (
  capsule_id   uuid PRIMARY KEY REFERENCES inbound_capsules (id) ON DELETE CASCADE,
  category     text,
  sub_kind     text,
  confident    boolean NOT NULL,
  rule         text,
  score        numeric NOT NULL DEFAULT 0,
  reasons      jsonb NOT NULL DEFAULT '[]'::jsonb,
  decided_by   text NOT NULL CHECK (decided_by IN ('rules', 'reply', 'operator')),
  actor        text,
  at           timestamptz NOT NULL DEFAULT now(),
  CHECK (category IS NULL OR category IN ('noustamine', 'klat_arvamus', 'mentorlus', 'toonoustamine', 'rahvusvaheline', 'muu')),
  CHECK (sub_kind IS NULL OR sub_kind IN ('esmane', 'pikendamine', 'lopetamine'))
);

CREATE SEQUENCE case_number_seq;

CREATE TABLE cases (
  id                 uuid PRIMARY KEY,
  case_number        text NOT NULL UNIQUE,
  opened_by          uuid NOT NULL UNIQUE REFERENCES inbound_capsules (id),
  kov_code           text NOT NULL,
  kov_name           text NOT NULL,
  category           text NOT NULL,
  sub_kind           text,
  title              text NOT NULL,
  received_at        timestamptz NOT NULL,
  kov_reg_number     text NOT NULL,
  kov_reg_date       timestamptz NOT NULL,
  access_restricted  boolean NOT NULL,
  status             text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'closed')),
  due_date           date,
  deadline_status    text NOT NULL DEFAULT 'none' CHECK (deadline_status IN ('none', 'on_track', 'due_soon', 'overdue', 'answered')),
  answered_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_due ON cases (deadline_status, due_date);
CREATE INDEX cases_kov ON cases (kov_code, received_at);
ALTER TABLE inbound_capsules ADD CONSTRAINT inbound_capsules_case_fk FOREIGN KEY (case_id) REFERENCES cases (id);

-- A capsule's files, extracted into the blob store (content-addressed); declared beside computed values.
CREATE TABLE attachments (
  id              bigserial PRIMARY KEY,
  capsule_id      uuid NOT NULL REFERENCES inbound_capsules (id) ON DELETE CASCADE,
  file_index      integer NOT NULL,
  file_guid       text,
  file_name       text NOT NULL,
  safe_name       text NOT NULL,
  declared_mime_type text NOT NULL,
  sniffed_mime_type  text NOT NULL,
  declared_size   bigint,
  size            bigint NOT NULL,
  sha256          text NOT NULL,
  encoding        text NOT NULL,
  main_component  boolean NOT NULL DEFAULT false,
  error_code      text,
  error_message   text,
  UNIQUE (capsule_id, file_index)
);
CREATE INDEX attachments_sha ON attachments (sha256);

-- Outgoing documents (business receipts now, opinions later): queued here, sent by the sending stage.
-- consignment_id is fixed per row, so every retry of one document carries the same id (DHX §7).
CREATE TABLE outbound_documents (
  id               uuid PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('receipt', 'opinion', 'other')),
  case_id          uuid REFERENCES cases (id),
  inbound_id       uuid REFERENCES inbound_capsules (id),
  recipient_code   text NOT NULL,
  recipient_name   text NOT NULL,
  consignment_id   text NOT NULL UNIQUE,
  record_guid      text NOT NULL,
  record_original_identifier text NOT NULL,
  title            text NOT NULL,
  state            text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'retrying', 'ambiguous', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  fault_code       text,
  fault_message    text,
  receipt_id       text,
  blob_sha256      text NOT NULL REFERENCES blobs (sha256),
  size             bigint NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- One business receipt per request, whatever happens to the stage that makes it.
CREATE UNIQUE INDEX outbound_documents_one_receipt ON outbound_documents (inbound_id) WHERE kind = 'receipt';
CREATE INDEX outbound_documents_state ON outbound_documents (state, next_attempt_at);
CREATE INDEX outbound_documents_case ON outbound_documents (case_id);
CREATE INDEX outbound_documents_guid ON outbound_documents (record_guid);
CREATE INDEX outbound_documents_original ON outbound_documents (record_original_identifier);

CREATE TABLE outbound_state_history (
  id           bigserial PRIMARY KEY,
  document_id  uuid NOT NULL REFERENCES outbound_documents (id) ON DELETE CASCADE,
  state        text NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX outbound_state_history_document ON outbound_state_history (document_id, at);
