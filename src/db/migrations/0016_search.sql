-- `dhx cases search` (docs/intake.md, "Search"): case titles and document metadata as tsvectors of the text
-- folded as the classifier folds it (lower case, diacritics removed; written by the owners from
-- src/content/fold.ts). Rows written before this migration are folded here by the same letters.
ALTER TABLE cases ADD COLUMN search_tsv tsvector;
UPDATE cases SET search_tsv = to_tsvector('simple', translate(lower(title), 'õäöüšžéàè', 'oaouszeae'));
CREATE INDEX cases_search ON cases USING gin (search_tsv);

ALTER TABLE inbound_documents ADD COLUMN search_tsv tsvector;
UPDATE inbound_documents SET search_tsv = to_tsvector('simple', translate(lower(concat_ws(' ', title, sender_name, record_original_identifier,
  array_to_string(recipient_original_identifiers, ' '))), 'õäöüšžéàè', 'oaouszeae'));
CREATE INDEX inbound_documents_search ON inbound_documents USING gin (search_tsv);
