-- DHX address book (docs/sending.md, "Address book"; DHX §7): who takes DHX documents, directly (a member with a
-- `DHX` or `DHX.*` subsystem in the X-Road global configuration) or through an intermediary (a member of
-- the global group "DHX vahendajad", whose representationList names the organisations it represents).
-- Rebuilt by each refresh (src/addressbook/addressbook.ts); an intermediary that cannot be reached keeps its
-- previous representees.

CREATE TABLE addressbook_members (
  instance      text NOT NULL,
  member_class  text NOT NULL,
  member_code   text NOT NULL,
  subsystem     text NOT NULL,
  name          text NOT NULL,
  refreshed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance, member_class, member_code, subsystem)
);
CREATE INDEX addressbook_members_code ON addressbook_members (member_code);

-- `subsystem` is '' when the global group lists the whole member rather than one subsystem.
CREATE TABLE addressbook_intermediaries (
  instance         text NOT NULL,
  member_class     text NOT NULL,
  member_code      text NOT NULL,
  subsystem        text NOT NULL DEFAULT '',
  name             text NOT NULL,
  last_attempt_at  timestamptz,
  last_success_at  timestamptz,
  last_error       text,
  PRIMARY KEY (instance, member_class, member_code, subsystem)
);

CREATE TABLE addressbook_representees (
  id                      bigserial PRIMARY KEY,
  instance                text NOT NULL,
  intermediary_class      text NOT NULL,
  intermediary_code       text NOT NULL,
  intermediary_subsystem  text NOT NULL,
  member_code             text NOT NULL,
  name                    text NOT NULL,
  system                  text,
  start_date              timestamptz NOT NULL,
  end_date                timestamptz,
  refreshed_at            timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (instance, intermediary_class, intermediary_code, intermediary_subsystem)
    REFERENCES addressbook_intermediaries (instance, member_class, member_code, subsystem) ON DELETE CASCADE
);
CREATE INDEX addressbook_representees_code ON addressbook_representees (member_code);

-- One row per refresh attempt: when, from where, what it found, what failed.
CREATE TABLE addressbook_refreshes (
  id              bigserial PRIMARY KEY,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz NOT NULL DEFAULT now(),
  source          text NOT NULL,
  ok              boolean NOT NULL,
  members         integer,
  intermediaries  integer,
  representees    integer,
  error           text,
  detail          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX addressbook_refreshes_started ON addressbook_refreshes (started_at);
