-- @gomomo/channels, inbound SMS: which tenant a receiving number belongs to, and the inbound
-- messages already seen (Twilio retries a webhook it got no answer to; MessageSid makes the retry a
-- no-op). SMS consent itself lives in contact_consents (0060), shared with the outbound sender.

-- A tenant's receiving numbers (E.164, or a short code's digits). Many per tenant; one tenant per
-- number, across all tenants, so an inbound message routes to exactly one business.
CREATE TABLE phone_numbers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  number text NOT NULL UNIQUE CHECK (number ~ '^(\+[1-9][0-9]{6,14}|[0-9]{3,8})$'),
  label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX phone_numbers_tenant ON phone_numbers (tenant_id);

-- One row per inbound message. The primary key is the de-duplication: a retried webhook finds its
-- row and answers without running the turn again. The body is kept for the conversation's record;
-- it goes with the tenant (ON DELETE CASCADE).
CREATE TABLE inbound_messages (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  message_sid text NOT NULL CHECK (message_sid ~ '^[A-Za-z]{2}[0-9a-fA-F]{32}$'),
  from_number text NOT NULL CHECK (length(from_number) BETWEEN 3 AND 32),
  to_number text NOT NULL CHECK (length(to_number) BETWEEN 3 AND 32),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 1600),
  -- keyword: STOP/START/HELP handled here; conversation: sent to the receptionist;
  -- ignored: the sender had opted out, so nothing was answered.
  kind text NOT NULL CHECK (kind IN ('keyword', 'conversation', 'ignored')),
  status text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'replied', 'deferred', 'no_reply', 'failed')),
  reply text CHECK (length(reply) <= 1600),
  received_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, message_sid)
);
CREATE INDEX inbound_messages_sender ON inbound_messages (tenant_id, from_number, received_at);

-- Messages to a number no tenant owns. There is no tenant to write an audit entry for, so the
-- operator's record of the hit lives here (sender stored only as a pseudonym, sha256 of the number).
CREATE TABLE inbound_sms_unrouted (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_number text NOT NULL CHECK (length(to_number) BETWEEN 1 AND 32),
  from_ref text NOT NULL CHECK (length(from_ref) = 64),
  message_sid text NOT NULL CHECK (length(message_sid) BETWEEN 1 AND 64),
  received_at timestamptz NOT NULL
);
CREATE INDEX inbound_sms_unrouted_time ON inbound_sms_unrouted (received_at);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['phone_numbers', 'inbound_messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gomomo_app', t);
  END LOOP;
END
$$;
-- inbound_sms_unrouted has no tenant: only the owner role (the webhook's routing step) writes it.
