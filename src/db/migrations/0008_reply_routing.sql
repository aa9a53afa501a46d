-- Reply routing (docs/intake.md "Cases and routing"): what classify found when it looked for the case a
-- capsule answers, so that route files it by the same answer without looking again. NULL: not looked up
-- (a request that names no earlier document, or a capsule classified before this column existed).
-- {"kind":"case","caseId":…,"via":…} files it into that case; {"kind":"refused",…,"reason":…} records a
-- reply naming a case of another organisation: it went to triage and is never filed into that case.
ALTER TABLE inbound_documents ADD COLUMN reply jsonb;
