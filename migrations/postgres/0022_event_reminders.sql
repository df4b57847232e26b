-- The reminder mails sent for a registration, one row per reminder (hours before the
-- session). The primary key makes each reminder go out once, whichever node's job
-- finds it due first: the row and the mail are written in one transaction.
CREATE TABLE registration_reminders (
  registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  hours BIGINT NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (registration_id, hours)
);
