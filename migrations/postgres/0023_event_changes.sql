-- Changes to events reach people by mail: a moved or cancelled session's mail carries
-- its calendar entry (text/calendar with METHOD:PUBLISH or METHOD:CANCEL, the same UID
-- and the raised SEQUENCE), so a calendar that imported it updates the entry.
ALTER TABLE outbox ADD COLUMN calendar TEXT NOT NULL DEFAULT '';

-- A place handed on from the waitlist shortly before the start must be confirmed by
-- this time, or it goes to the next person (job events.release).
ALTER TABLE registrations ADD COLUMN confirm_by INTEGER;
CREATE INDEX registrations_confirm_by ON registrations (confirm_by) WHERE confirm_by IS NOT NULL;
