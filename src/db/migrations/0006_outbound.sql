-- Durable sending (docs/sending.md): outbound_documents (0004) gains what the send job records.
-- The retry schedule lives here (next_attempt_at), so a restarted adapter resumes it.

-- Addressing a particular system of the recipient (DHX.<system> subsystem or a representee's system).
ALTER TABLE outbound_documents ADD COLUMN recipient_system text;
-- The FailureCode (src/errors.ts) of the last failed attempt; fault_code keeps the receiver's own code
-- (e.g. DHX.Validation) for a business fault, else the FailureCode.
ALTER TABLE outbound_documents ADD COLUMN failure_code text;
-- Set once an attempt may have reached the receiver (the answer was lost): a later DHX.Duplicate for
-- this consignment then means "delivered" (DHX §7).
ALTER TABLE outbound_documents ADD COLUMN may_have_arrived boolean NOT NULL DEFAULT false;
ALTER TABLE outbound_documents ADD COLUMN last_attempt_at timestamptz;
ALTER TABLE outbound_documents ADD COLUMN delivered_at timestamptz;
-- How the last attempt was addressed (direct → instance/class/code/subsystem, or via an intermediary).
ALTER TABLE outbound_documents ADD COLUMN route text;
-- Opinions (kind 'opinion'): the verdict and the operator's note.
ALTER TABLE outbound_documents ADD COLUMN verdict text CHECK (verdict IS NULL OR verdict IN ('toetav', 'mitte-toetav'));
ALTER TABLE outbound_documents ADD COLUMN note text;

-- The scheduler's question: which retries are due.
CREATE INDEX outbound_documents_due ON outbound_documents (next_attempt_at) WHERE state IN ('retrying', 'ambiguous');
