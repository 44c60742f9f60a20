-- @gomomo/policy: per-tenant policy rules (versioned), kill switches, follow-up limits and the
-- append-only, hash-chained audit log.

-- One row per tenant that has touched its policy. `revision` moves on every rule, kill-switch or
-- limits change, so an engine can tell with one cheap read whether its cached rule set is stale.
CREATE TABLE policy_state (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  revision bigint NOT NULL DEFAULT 0,
  followup_limits jsonb,
  limits_version integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Rule rows are never updated: a change inserts the next version, a deletion inserts a tombstone
-- version. The current rule set is the latest version of each rule_id that is not a tombstone, and
-- an audited decision's (rule_id, rule_version) still finds the exact definition it used.
CREATE TABLE policy_rules (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  rule_id text NOT NULL CHECK (rule_id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb,
  is_deleted boolean NOT NULL DEFAULT false,
  created_by text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, rule_id, version),
  CHECK (is_deleted OR definition IS NOT NULL)
);

-- A kill switch per tenant and action family ("notify", "notify.sms", "*"). Enabled wins over any allow.
CREATE TABLE policy_kill_switches (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  family text NOT NULL CHECK (family ~ '^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*)$'),
  is_enabled boolean NOT NULL,
  version integer NOT NULL DEFAULT 1,
  reason text NOT NULL DEFAULT '',
  changed_by text NOT NULL CHECK (length(changed_by) BETWEEN 1 AND 200),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, family)
);

-- The audit log. `seq` numbers each tenant's rows 1, 2, 3 … without gaps, and `hash` is
-- sha256(prev_hash || canonical JSON of the row's content), so a changed or missing row breaks the
-- chain at a findable place. Appends are serialised per tenant by an advisory lock (see
-- gomomo_audit_head), so the chain never forks.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  seq bigint NOT NULL CHECK (seq >= 1),
  occurred_at timestamptz NOT NULL,
  actor text NOT NULL CHECK (actor IN ('customer', 'staff', 'autonomous')),
  channel text NOT NULL CHECK (channel IN ('web', 'sms', 'voice', 'system')),
  action text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
  tool text CHECK (length(tool) <= 100),
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied', 'succeeded', 'failed')),
  reason text CHECK (length(reason) <= 2000),
  rule_id text,
  rule_version integer,
  session_id text CHECK (length(session_id) <= 200),
  subject_id text CHECK (length(subject_id) <= 200),
  -- A pseudonym of the client (sha256 of tenant and normalised email/phone), never the contact itself.
  client_ref text CHECK (length(client_ref) = 64),
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL CHECK (length(hash) = 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_log_time ON audit_log (tenant_id, occurred_at);
-- Follow-up limits count the autonomous contacts a client or a booking already had.
CREATE INDEX audit_log_followups_client ON audit_log (tenant_id, client_ref, occurred_at)
  WHERE outcome = 'allowed' AND actor = 'autonomous' AND client_ref IS NOT NULL;
CREATE INDEX audit_log_followups_subject ON audit_log (tenant_id, subject_id, occurred_at)
  WHERE outcome = 'allowed' AND actor = 'autonomous' AND subject_id IS NOT NULL;

-- Append-only, enforced by the database itself. The one exception is erasing a whole tenant: its
-- rows go with it through ON DELETE CASCADE, which runs after the tenant row is gone.
CREATE FUNCTION gomomo_audit_refuse_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Audit rows are never changed; append a new entry instead.';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION gomomo_audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION gomomo_audit_refuse_change();

-- Takes the tenant's chain lock for the rest of the transaction, then returns the chain's head.
-- In READ COMMITTED each statement of a volatile function takes a fresh snapshot, so the SELECT
-- after the lock sees the row the previous lock holder committed. Key 7316020 is this package's.
CREATE FUNCTION gomomo_audit_head(p_tenant uuid) RETURNS TABLE (seq bigint, hash text)
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7316020, hashtext(p_tenant::text));
  RETURN QUERY SELECT a.seq, a.hash FROM audit_log a WHERE a.tenant_id = p_tenant ORDER BY a.seq DESC LIMIT 1;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['policy_state', 'policy_rules', 'policy_kill_switches', 'audit_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE ON policy_state TO gomomo_app;
GRANT SELECT, INSERT ON policy_rules TO gomomo_app;
GRANT SELECT, INSERT, UPDATE ON policy_kill_switches TO gomomo_app;
GRANT SELECT, INSERT ON audit_log TO gomomo_app;
GRANT EXECUTE ON FUNCTION gomomo_audit_head(uuid) TO gomomo_app;
