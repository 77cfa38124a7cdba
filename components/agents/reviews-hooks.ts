"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";
import { useCursorList } from "@/components/ui/use-url-filters";
import type { ReviewJson, ReviewsPage } from "@/lib/packages/package-reviews";

// The agent page's reviews (GET/POST/PATCH /api/v1/agents/:slug/reviews…): one
// paged list whose first page carries the rating summary and what the caller may
// do; every mutation refreshes it.

export const reviewsPath = (slug: string) => `/api/v1/agents/${slug}/reviews`;

export function useReviews(slug: string, version: string) {
  const { query, items } = useCursorList<ReviewsPage>(reviewsPath(slug), { version });
  const first = query.data?.pages[0];
  return { query, items, summary: first?.summary, viewer: first?.viewer ?? null };
}

const send = <T,>(url: string, method: "POST" | "PATCH", body: unknown) =>
  apiFetch<T>(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A mutation on one agent's reviews that reloads its list (and summary) when it succeeds. */
export function useReviewMutation<V, T = ReviewJson>(slug: string, request: (v: V) => { path: string; method: "POST" | "PATCH"; body: unknown }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => {
      const r = request(v);
      return send<T>(`${reviewsPath(slug)}${r.path}`, r.method, r.body);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [reviewsPath(slug)] }),
  });
}
