// The receptionist as the server uses it: `@gomomo/contracts`' port, which `@gomomo/agent`'s
// `createReceptionist` implements. Taken as a type so the server runs, and its tests pass, with any
// receptionist: the real agent in apps/api, or none (chat then answers UNAVAILABLE).

export type { HistoryMessage, ReceptionistPort as Receptionist, TurnEvent, TurnResult, TurnStatus } from '@gomomo/contracts';
