-- Intake questions per service, and the customer's answers (issue 20 item 3). Core owns them: they
-- belong with the catalog (a service's questions) and the appointment (its answers).
-- Answers are kept against the hold the customer answered them for: the appointment confirmed from
-- that hold carries them (appointments.hold_id), so confirming changes nothing here and an answer
-- can never reach another customer's booking. Answers are personal: never copied into events.
CREATE TABLE service_intake_questions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  service_id uuid NOT NULL,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  position integer NOT NULL CHECK (position >= 0),
  kind text NOT NULL CHECK (kind IN ('text', 'choice', 'yes_no', 'date')),
  is_required boolean NOT NULL,
  -- {"en": "...", "es": "..."}: the question in each language it is asked in.
  prompt jsonb NOT NULL,
  -- choice only: the options, as written by the tenant.
  choices jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (tenant_id, service_id, key),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE intake_answers (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  hold_id uuid NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  question_key text NOT NULL,
  answer text NOT NULL CHECK (length(answer) <= 1000),
  answered_at timestamptz NOT NULL,
  -- 'customer', or the staff member who last edited it.
  answered_by text NOT NULL CHECK (length(answered_by) <= 200),
  PRIMARY KEY (tenant_id, hold_id, question_key)
);

ALTER TABLE service_intake_questions ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_intake_questions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON service_intake_questions USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON service_intake_questions TO gomomo_app;

ALTER TABLE intake_answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_answers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON intake_answers USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON intake_answers TO gomomo_app;
