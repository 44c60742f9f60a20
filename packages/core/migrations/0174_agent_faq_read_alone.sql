-- @gomomo/agent: the business's own answers read in one round trip (issue 15). `answer_question`
-- reads them on every question a customer asks about the business, and the read was a tenant
-- transaction of its own (BEGIN with the role and the tenant, the SELECT, COMMIT). This function
-- enters the tenant itself (`gomomo_enter_tenant`, migration 0011), so the read is one autocommit
-- statement, with Row-Level Security applying as before. Oldest first, as `listFaqEntries` lists them.
CREATE FUNCTION gomomo_agent_faq_entries(p_tenant uuid)
  RETURNS TABLE (id uuid, question text, answer text, language text, created_at timestamptz, updated_at timestamptz)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  RETURN QUERY SELECT f.id, f.question, f.answer, f.language, f.created_at, f.updated_at
                 FROM agent_faq_entries f WHERE f.tenant_id = p_tenant ORDER BY f.created_at, f.id;
END
$$;
