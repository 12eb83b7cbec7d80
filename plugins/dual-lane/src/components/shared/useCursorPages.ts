import { useCallback, useEffect, useRef, useState } from 'react';

interface CursorPage {
  nextCursor?: string;
}

export interface CursorPages<T extends CursorPage> {
  /** The pages loaded so far, first page first. */
  pages: T[];
  /** Loading the first page. */
  loading: boolean;
  /** Why the first page failed. */
  error?: Error;
  loadingMore: boolean;
  /** Why the last "load more" failed; the pages loaded stay. */
  moreError?: Error;
  hasMore: boolean;
  loadMore: () => void;
  /** Starts again from the first page. */
  reload: () => void;
}

/**
 * Cursor pagination as "load more": `fetchPage(undefined)` for the first
 * page, then `fetchPage(nextCursor)` appended. A change of `key` (e.g. a
 * filter) starts over; answers to outdated requests are dropped.
 */
export function useCursorPages<T extends CursorPage>(
  fetchPage: (cursor: string | undefined) => Promise<T>,
  key: string,
): CursorPages<T> {
  const [pages, setPages] = useState<T[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();
  const [generation, setGeneration] = useState(0);
  const current = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  useEffect(() => {
    const request = ++current.current;
    setPages([]);
    setLoading(true);
    setError(undefined);
    setMoreError(undefined);
    setLoadingMore(false);
    fetchRef.current(undefined).then(
      page => {
        if (request !== current.current) return;
        setPages([page]);
        setLoading(false);
      },
      e => {
        if (request !== current.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [key, generation]);

  const nextCursor = pages[pages.length - 1]?.nextCursor;

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore) return;
    const request = current.current;
    setLoadingMore(true);
    setMoreError(undefined);
    fetchRef.current(nextCursor).then(
      page => {
        if (request !== current.current) return;
        setPages(previous => [...previous, page]);
        setLoadingMore(false);
      },
      e => {
        if (request !== current.current) return;
        setMoreError(e);
        setLoadingMore(false);
      },
    );
  }, [nextCursor, loadingMore]);

  const reload = useCallback(() => setGeneration(g => g + 1), []);

  return {
    pages,
    loading,
    error,
    loadingMore,
    moreError,
    hasMore: Boolean(nextCursor),
    loadMore,
    reload,
  };
}
