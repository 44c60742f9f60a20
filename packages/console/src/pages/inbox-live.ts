import { useLive } from './live.js';

/**
 * Calls `onChange` when anything happens in the business's conversations (`console.inbox.events`):
 * a hand-off, a take-over, a reply, a turn finishing. The page then re-reads what it shows.
 */
export function useInboxLive(onChange: () => void): void {
  useLive('console.inbox.events', onChange);
}
