-- @gomomo/channels: the notification outbox, the email suppression list, SMS consent and the
-- per-phone SMS rate-limit window. The sender is a system process (owner role, all tenants); the
-- API writes and reads these rows per tenant under Row-Level Security like every other table.

-- One row per message to one recipient on one channel. The idempotency key (booking, template,
-- channel, and what makes a repeat legitimately different, e.g. a reschedule's event id) makes
-- enqueueing the same notification twice a no-op.
CREATE TABLE notification_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  template text NOT NULL CHECK (length(template) BETWEEN 1 AND 100),
  locale text NOT NULL DEFAULT 'en',
  recipient text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 254),
  subject text,
  body text NOT NULL,
  html_body text,
  -- [{ "filename", "contentType", "content" (utf-8 text) }], e.g. the .ics invitation.
  attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN (
    'pending', 'sending', 'sent', 'failed', 'permanently_failed',
    'rate_limited', 'suppressed', 'opted_out', 'delivered', 'undelivered')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 50),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- While 'sending': the claim expires here; a sender that died is noticed after it.
  lease_until timestamptz,
  claimed_at timestamptz,
  last_error text,
  provider text,
  provider_message_id text,
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 300),
  appointment_id uuid,
  sent_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at)
  WHERE status IN ('pending', 'failed', 'rate_limited');
CREATE INDEX notification_outbox_leased ON notification_outbox (lease_until) WHERE status = 'sending';
CREATE INDEX notification_outbox_provider ON notification_outbox (provider, provider_message_id)
  WHERE provider_message_id IS NOT NULL;
CREATE INDEX notification_outbox_appointment ON notification_outbox (tenant_id, appointment_id);

-- Senders wait on this channel instead of polling tightly; the payload is empty on purpose.
CREATE FUNCTION gomomo_notify_outbox() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('gomomo_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER notification_outbox_notify AFTER INSERT ON notification_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION gomomo_notify_outbox();

-- Email addresses never to send to again: hard bounces and spam complaints (fed by Postmark's
-- webhooks), or staff's own entries. Stored lower-case.
CREATE TABLE email_suppressions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  reason text NOT NULL CHECK (reason IN ('hard_bounce', 'spam_complaint', 'manual', 'unsubscribe')),
  detail text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, email)
);

-- Consent per person (address) and tenant and channel. The SMS sender refuses 'opted_out'; the
-- inbound SMS handler (STOP/START keywords) writes here too.
CREATE TABLE contact_consents (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  -- E.164 for sms, lower-case for email.
  address text NOT NULL CHECK (length(address) BETWEEN 3 AND 254),
  status text NOT NULL CHECK (status IN ('opted_in', 'opted_out')),
  source text NOT NULL DEFAULT '',
  keyword text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel, address)
);

-- Sliding window of SMS sent per phone: one row per message, kept in Postgres so the limit
-- survives a restart and holds across every sender process.
CREATE TABLE sms_rate_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phone text NOT NULL,
  sent_at timestamptz NOT NULL
);
CREATE INDEX sms_rate_events_window ON sms_rate_events (tenant_id, phone, sent_at);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['notification_outbox', 'email_suppressions', 'contact_consents', 'sms_rate_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gomomo_app', t);
  END LOOP;
END
$$;
GRANT USAGE ON SEQUENCE sms_rate_events_id_seq TO gomomo_app;
