-- @gomomo/core (numbered in autonomy-send's range): an appointment's change sequence.
--
-- Every message about an appointment says which version of it it describes, and the outbox sender
-- re-checks that at send time (a message about a version that has since moved or been cancelled
-- ends `obsolete`). The start time cannot serve as that version: moving A → B → A returns to an
-- earlier start, so notices keyed by start were wrongly deduplicated. A trigger keeps the sequence
-- so that every writer (the engine, staff tools, a hand-written UPDATE) moves it; it counts the
-- changes a customer is told about: time, resource and status.
ALTER TABLE appointments ADD COLUMN change_seq integer NOT NULL DEFAULT 1 CHECK (change_seq >= 1);

CREATE FUNCTION gomomo_appointment_change_seq() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.starts_at IS DISTINCT FROM OLD.starts_at OR NEW.ends_at IS DISTINCT FROM OLD.ends_at
     OR NEW.resource_id IS DISTINCT FROM OLD.resource_id OR NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.change_seq := OLD.change_seq + 1;
  ELSE
    NEW.change_seq := OLD.change_seq;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER appointments_change_seq BEFORE UPDATE ON appointments
  FOR EACH ROW EXECUTE FUNCTION gomomo_appointment_change_seq();
