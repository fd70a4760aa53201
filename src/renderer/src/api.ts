// The renderer's typed client: it talks only to window.cadence (the preload in the app, the
// loopback bridge in end-to-end tests) and turns error results into ApiError.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CadenceApi, EventName } from '../../shared/contract';
import type { ErrorCode, Result } from '../../shared/result';

declare global {
  interface Window {
    cadence: CadenceApi;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const cadence = (): CadenceApi => window.cadence;

/** Unwraps a result: the value, or an ApiError carrying the code and message. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

export type Loadable<T> = Readonly<{
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  /** Changes whenever new data arrives (to key caches derived from it). */
  version: string;
}>;

type Loaded<T> = Readonly<{ key: string; data: T | undefined; error: ApiError | null }>;

/**
 * Loads data through window.cadence when `deps` change, and again whenever one of `events`
 * arrives. Keeps showing the previous data while a reload is under way.
 */
export function useLoad<T>(
  load: () => Promise<Result<T>>,
  deps: readonly unknown[],
  events: readonly EventName[] = ['app:changed'],
): Loadable<T> {
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState<Loaded<T>>({ key: '', data: undefined, error: null });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const key = `${JSON.stringify(deps)}#${version}`;

  useEffect(() => {
    let current = true;
    unwrap(loadRef.current()).then(
      (data) => current && setLoaded({ key, data, error: null }),
      (e: unknown) =>
        current &&
        setLoaded((prev) => ({
          key,
          data: prev.data,
          error: e instanceof ApiError ? e : new ApiError('internal', String(e)),
        })),
    );
    return () => {
      current = false;
    };
  }, [key]);

  const eventKey = events.join(',');
  useEffect(() => {
    const offs = eventKey
      .split(',')
      .filter(Boolean)
      .map((event) => cadence().on(event as EventName, () => setVersion((v) => v + 1)));
    return () => offs.forEach((off) => off());
  }, [eventKey]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return {
    data: loaded.data,
    error: loaded.error,
    loading: loaded.key !== key,
    reload,
    version: loaded.key,
  };
}
