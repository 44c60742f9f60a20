import { useEffect, useRef } from 'preact/hooks';

/** While the stream is down, the page still re-reads this often (a safety net, not the way updates arrive). */
const fallbackRefreshMs = 60_000;

/**
 * Calls `onChange` when the console subscription at `path` (tRPC over SSE with the session cookie)
 * says something changed; the page then re-reads what it shows (streams carry ids, never contents).
 * Bursts are merged. The browser reconnects a dropped stream by itself: on reconnect the page
 * re-reads once, since events in between were missed, and while it is down it re-reads slowly.
 */
export function useLive(path: string, onChange: () => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/trpc/${path}`, { withCredentials: true });
    let burst: ReturnType<typeof setTimeout> | undefined;
    let fallback: ReturnType<typeof setInterval> | undefined;
    let isDown = false;
    source.onmessage = () => {
      clearTimeout(burst);
      burst = setTimeout(() => latest.current(), 150);
    };
    source.onerror = () => {
      isDown = true;
      fallback ??= setInterval(() => latest.current(), fallbackRefreshMs);
    };
    source.onopen = () => {
      clearInterval(fallback);
      fallback = undefined;
      if (isDown) latest.current();
      isDown = false;
    };
    return () => {
      clearTimeout(burst);
      clearInterval(fallback);
      source.close();
    };
  }, [path]);
}
