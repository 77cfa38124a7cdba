"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { apiFetch } from "@/components/api/fetch-json";
import { useEventStream } from "@/components/events/event-stream";

/** Filters kept in the URL's query string (shareable, back-button friendly): read them, and set one. */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ""])) as Record<K, string>;
  // The query string we asked for and the URL does not show yet: two changes in a row
  // (a select, then a field) build on it, or the second would undo the first.
  const pending = useRef<string | null>(null);
  const written = useRef(new Set<string>());
  const current = params.toString();
  useEffect(() => {
    // Our last change landed, or the URL moved on its own (back button): nothing is pending.
    // (The URL may pass through our earlier changes on the way; those keep it pending.)
    if (current === pending.current || !written.current.has(current)) {
      pending.current = null;
      written.current.clear();
    }
  }, [current]);
  /** Sets several at once ("" removes one). */
  const setFilters = (values: Partial<Record<K, string>>) => {
    const next = new URLSearchParams(pending.current ?? current);
    for (const [key, value] of Object.entries(values) as [K, string][]) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    pending.current = next.toString();
    written.current.add(pending.current);
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  };
  const setFilter = (key: K, value: string) => setFilters({ [key]: value } as Partial<Record<K, string>>);
  return { filters, setFilter, setFilters };
}

/**
 * A text filter typed into a field: the field answers every keystroke at once,
 * and the filter follows `delayMs` after typing stops (one request, one URL change).
 */
export function useDraftFilter(value: string, commit: (value: string) => void, delayMs = 250) {
  const [draft, setDraft] = useState(value);
  // The filter changed elsewhere (back button, a link): the field shows it.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (value !== draft.trim()) setDraft(value);
  }
  // What was last handed to `commit`: the URL may not show it yet, and it is not sent twice.
  const sent = useRef(value);
  useEffect(() => {
    sent.current = value; // landed (or changed elsewhere)
  }, [value]);
  const send = (text: string) => {
    if (text === sent.current || text === value) return;
    sent.current = text;
    commit(text);
  };
  const onPause = useEffectEvent(send);
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => onPause(draft.trim()), delayMs);
    return () => clearTimeout(timer);
  }, [draft, value, delayMs]);
  /**
   * Now, not after the pause: on blur and Enter. Leaving the field for a link must
   * not leave a change behind that lands after the link was followed and brings the
   * list back.
   */
  const flush = () => send(draft.trim());
  return [draft, setDraft, flush] as const;
}

/** A cursor-paginated list endpoint (`{ data, nextCursor }`) queried with the given filters. */
export function useCursorList<Page extends { data: unknown[]; nextCursor: string | null }>(
  path: string,
  filters: Record<string, string>,
  /**
   * `liveOn`: event types (exact or `group.*`) of the workspace's live stream that make the list read again.
   * `refetchInterval`: for what no event reports (a webhook delivery's retries), a poll while the first page says so.
   */
  { liveOn = [], refetchInterval }: { liveOn?: readonly string[]; refetchInterval?: (first: Page | undefined) => number | false } = {},
) {
  const query = useInfiniteQuery({
    queryKey: [path, filters],
    initialPageParam: "",
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      if (pageParam) qs.set("cursor", pageParam);
      return apiFetch<Page>(`${path}?${qs}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
    refetchInterval: refetchInterval && ((q) => refetchInterval(q.state.data?.pages[0])),
  });
  useEventStream(() => {
    if (liveOn.length) void query.refetch({ cancelRefetch: false }); // none given: every event comes here, and none matters
  }, liveOn);
  const items = (query.data?.pages.flatMap((p) => p.data) ?? []) as Page["data"];
  return { query, items };
}
