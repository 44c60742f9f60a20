import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  isLoading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change or `reload()` is called; the latest answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; isLoading: boolean }>({ data: undefined, error: null, isLoading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let isCurrent = true;
    setState((previous) => ({ ...previous, isLoading: true }));
    load().then(
      (data) => isCurrent && setState({ data, error: null, isLoading: false }),
      (error: unknown) => isCurrent && setState((previous) => ({ ...previous, error: error instanceof ApiError ? error : new ApiError({ message: String(error), code: 'INTERNAL', status: 0 }), isLoading: false })),
    );
    return () => {
      isCurrent = false;
    };
    // The caller names the dependencies, as with useEffect.
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

/** Runs a mutation, keeping its error for the form; resolves with the data or undefined on failure. */
export function useAction(): { error: ApiError | null; isBusy: boolean; run: <T>(action: () => Promise<T>) => Promise<T | undefined>; clear: () => void } {
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setBusy] = useState(false);
  const run = useCallback(async <T,>(action: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError({ message: String(caught), code: 'INTERNAL', status: 0 }));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, isBusy, run, clear: () => setError(null) };
}
