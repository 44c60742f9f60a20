-- The business's own answers (issue 20, item 4): questions and answers a tenant writes (parking,
-- prices, insurance, preparation, policies). The receptionist answers only from these, through the
-- read-only `answer_question` tool; `language` NULL means the entry serves every language.
CREATE TABLE agent_faq_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
  answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 4000),
  language text CHECK (language IN ('en', 'es')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_faq_entries_tenant ON agent_faq_entries (tenant_id, created_at);

ALTER TABLE agent_faq_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_faq_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_faq_entries USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON agent_faq_entries TO gomomo_app;
