-- Issue 16 item 6: the phone → text handoff link ("text me a link") opens the call's own
-- conversation, not a new one: what was said stays the chat's history and the held slot stays where
-- it is. Such a link names the conversation; redeeming it binds a web token to it, once (only a
-- conversation that has no token yet — a call's — can be bound, so the link cannot take over a
-- visitor's conversation). Links without it are waitlist offers, which start a new conversation.
ALTER TABLE agent_offer_links ADD COLUMN session_id text REFERENCES agent_sessions (id) ON DELETE CASCADE;
