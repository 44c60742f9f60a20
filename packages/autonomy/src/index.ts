/**
 * @gomomo/autonomy — what happens without a user asking. Domain events become jobs on a Postgres
 * queue (graphile-worker) in the event's own transaction; handlers call the closed registry of
 * orchestrator tools, each gated by policy and recorded; messages go through the outbox of
 * @gomomo/channels and are delivered exactly once.
 */
export { AutonomyError, autonomyErrorCodes, autonomyErrorDescriptions } from './errors.js';
export type { AutonomyErrorCode } from './errors.js';
export { autonomyConfigFromEnv, defaultAutonomyConfig } from './config.js';
export type { AutonomyConfig } from './config.js';
export { startAutonomy } from './start.js';
export type { AutonomyHandle, StartAutonomyOptions } from './start.js';
export { installQueue, catchUpEvents } from './queue/install.js';
export { addJob, removeJob } from './queue/add-job.js';
export type { AddJobOptions } from './queue/add-job.js';
export { startJobRunner } from './queue/runner.js';
export type { JobRunnerOptions, TaskHandler } from './queue/runner.js';
export { createAutonomyGate } from './policy/gate.js';
export type { ActionResult, AutonomyGate, GateCall, GateResult, GateScope, Subject } from './policy/gate.js';
export { orchestratorRegistry, deliveryRegistries } from './policy/registries.js';
export type { DeliveryChannel } from './policy/registries.js';
export { orchestratorTools, orchestratorToolNames, callTool } from './tools/registry.js';
export type { OrchestratorToolName } from './tools/registry.js';
export type { OfferLinkIssuer, ToolCall, ToolContext } from './tools/context.js';
export { eventHandlers } from './handlers/dispatch.js';
export { createTasks, runToolWork } from './handlers/tasks.js';
export type { TaskHooks } from './handlers/tasks.js';
export { databaseCalendarProvider } from './calendar/provider.js';
export type { CalendarAppointment, CalendarProvider } from './calendar/provider.js';
