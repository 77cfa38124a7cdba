"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { apiFetch } from "@/components/api/fetch-json";
import { balanceQueryKey } from "@/components/layout/balance-badge";
import { TERMINAL_STATUSES } from "@/lib/runs/schemas";
import type { RunDetail, RunEvent } from "./run-types";

const POLL_MS = 1_500;

/**
 * The run as the server has it, kept up with its event stream. Child runs (agents
 * calling agents) start at a tool call and end at its result, so each of those
 * events refetches the tree — joining a fetch under way rather than canceling it:
 * cancel-and-restart starved the page when children ended faster than a fetch took.
 * While a tool call is open it polls too (a child's status changes inside it), and
 * after the run ends it keeps polling until every child has ended as well.
 */
export function useLiveRunDetail(initial: RunDetail, events: RunEvent[], streamEnded: boolean): RunDetail {
  const queryClient = useQueryClient();
  const toolEvents = events.filter((e) => e.type === "tool_call" || e.type === "tool_result");
  const toolOpen = toolEvents.filter((e) => e.type === "tool_call").length * 2 > toolEvents.length;
  const run = useQuery({
    queryKey: ["run", initial.id],
    queryFn: () => apiFetch<RunDetail>(`/api/v1/runs/${initial.id}`),
    initialData: initial,
    staleTime: Infinity,
    refetchInterval: (query) => {
      const detail = query.state.data ?? initial;
      const childrenOpen = detail.children.some((c) => !TERMINAL_STATUSES.has(c.status));
      return (!streamEnded && toolOpen) || (streamEnded && childrenOpen) ? POLL_MS : false;
    },
  });
  useEffect(() => {
    if (toolEvents.length && !streamEnded) void queryClient.invalidateQueries({ queryKey: ["run", initial.id] }, { cancelRefetch: false });
  }, [toolEvents.length, streamEnded, initial.id, queryClient]);
  useEffect(() => {
    if (!streamEnded) return;
    void queryClient.invalidateQueries({ queryKey: ["run", initial.id] });
    void queryClient.invalidateQueries({ queryKey: balanceQueryKey }); // the run was charged (or its hold released)
  }, [streamEnded, initial.id, queryClient]);
  return run.data;
}
