// A long list loaded a page at a time as a virtualized table scrolls to it: the first page through
// useLoad (so it reloads on the given events), later pages cached per list and per data version.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EventName } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { unwrap, useLoad } from './api';

export const PAGE = 200;

type Page<T> = { total: number; rows: T[] };

/** Pages of a list, loaded as the table scrolls to them; reset when the list or the data changes. */
export function usePagedRows<T>(
  key: string,
  load: (offset: number, limit: number) => Promise<Result<Page<T>>>,
  events: readonly EventName[],
) {
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const first = useLoad(() => loadRef.current(0, PAGE), [key], events);
  const cacheKey = `${key}@${first.version}`;
  const [pages, setPages] = useState<{ key: string; rows: Map<number, T[]> }>({
    key: '',
    rows: new Map(),
  });
  const loading = useRef(new Set<string>());
  const pageRows = useMemo(() => {
    const rows = pages.key === cacheKey ? new Map(pages.rows) : new Map<number, T[]>();
    if (first.data) rows.set(0, first.data.rows);
    return rows;
  }, [pages, cacheKey, first.data]);
  const loadPage = useCallback(
    (index: number) => {
      const tag = `${cacheKey}#${index}`;
      if (loading.current.has(tag)) return;
      loading.current.add(tag);
      unwrap(loadRef.current(index * PAGE, PAGE))
        .then((result) =>
          setPages((prev) => {
            const rows = prev.key === cacheKey ? new Map(prev.rows) : new Map<number, T[]>();
            rows.set(index, result.rows);
            return { key: cacheKey, rows };
          }),
        )
        .catch(() => undefined)
        .finally(() => loading.current.delete(tag));
    },
    [cacheKey],
  );
  return {
    total: first.data?.total ?? 0,
    loaded: first.data !== undefined,
    loading: first.loading,
    error: first.error,
    rowAt: (index: number): T | undefined => pageRows.get(Math.floor(index / PAGE))?.[index % PAGE],
    pageRows,
    loadPage,
  };
}
