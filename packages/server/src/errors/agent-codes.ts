/**
 * The codes `@gomomo/agent`'s `AgentError` carries, mirrored here so the error table can map them
 * without importing the agent (the receptionist is an optional, injected dependency). A test checks
 * this list against the agent's own `agentErrorCodes`.
 */
export const agentErrorCodesMirror = ['VALIDATION', 'SESSION_TENANT_MISMATCH', 'SESSION_CHANNEL_MISMATCH', 'TENANT_NOT_FOUND', 'PROVIDER'] as const;

export type AgentErrorCodeMirror = (typeof agentErrorCodesMirror)[number];
