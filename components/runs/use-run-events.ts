"use client";

import { useEffect, useState } from "react";
import { RunEventType } from "@/lib/generated/prisma/enums";
import type { RunEvent } from "./run-types";

const TYPES = Object.values(RunEventType);

/**
 * The run's event log over Server-Sent Events: the whole transcript replayed,
 * then live events until the closing `usage` event. EventSource reconnects by
 * itself and sends Last-Event-ID, so a dropped connection resumes where it left off.
 */
export function useRunEvents(runId: string) {
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [state, setState] = useState<"connecting" | "live" | "ended" | "failed">("connecting");

  useEffect(() => {
    const source = new EventSource(`/api/v1/runs/${runId}/events`);
    const onEvent = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as RunEvent;
      setEvents((all) => (all.some((e) => e.seq === event.seq) ? all : [...all, event]));
      setState("live");
      if (event.type === "usage") {
        source.close();
        setState("ended");
      }
    };
    for (const type of TYPES) source.addEventListener(type, onEvent as EventListener);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setState((s) => (s === "ended" ? s : "failed"));
    };
    return () => source.close();
  }, [runId]);

  return { events, state };
}
