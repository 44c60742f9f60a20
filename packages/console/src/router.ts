import { useEffect, useState } from 'preact/hooks';

/** A route: the hash path split into segments (`#/accept/abc` → `['accept', 'abc']`). */
export type Route = string[];

function read(): Route {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

/** The current hash route, re-rendered on navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Navigates to `#/<segments>`. */
export function navigate(...segments: string[]): void {
  location.hash = `#/${segments.map(encodeURIComponent).join('/')}`;
}
