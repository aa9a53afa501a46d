-- DHX receive path (docs/receive.md): a receipt is only given once the capsule's row and blob are committed.

CREATE TABLE inbound_capsules (
  id              uuid PRIMARY KEY,
  -- X-Road client incl. subsystem (or the represented party) + consignmentId; cleared once the
  -- duplicate window has passed, so the unique index only guards the window.
  dedup_key       text UNIQUE,
  consignment_id  text NOT NULL,
  client          text NOT NULL,
  represented_party text,
  sender          text NOT NULL,
  recipient       text NOT NULL,
  recipient_system text,
  xroad_message_id text,
  blob_sha256     text NOT NULL REFERENCES blobs (sha256),
  size            bigint NOT NULL,
  state           text NOT NULL DEFAULT 'received',
  failure_code    text,
  failure_message text,
  attempts        integer NOT NULL DEFAULT 0,
  received_at     timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_capsules_state ON inbound_capsules (state, updated_at);
CREATE INDEX inbound_capsules_received ON inbound_capsules (received_at);

CREATE TABLE inbound_state_history (
  id          bigserial PRIMARY KEY,
  capsule_id  uuid NOT NULL REFERENCES inbound_capsules (id) ON DELETE CASCADE,
  state       text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX inbound_state_history_capsule ON inbound_state_history (capsule_id, at);

-- Organisations SKA serves as an intermediary (DHX representationList).
CREATE TABLE representees (
  member_code  text NOT NULL,
  name         text NOT NULL,
  system       text,
  start_date   timestamptz NOT NULL DEFAULT now(),
  end_date     timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date > start_date)
);
CREATE UNIQUE INDEX representees_code_system ON representees (member_code, coalesce(system, ''), start_date);
