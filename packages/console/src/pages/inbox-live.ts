import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `onChange` when anything happens in the business's conversations (`console.inbox.events`,
 * tRPC over SSE with the session cookie): a hand-off, a take-over, a reply, a turn finishing. The
 * page then re-reads what it shows; the stream carries ids, never transcripts. Bursts are merged.
 */
export function useInboxLive(onChange: () => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/trpc/console.inbox.events', { withCredentials: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.onmessage = () => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(), 150);
    };
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, []);
}
