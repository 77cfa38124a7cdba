"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";
import { Card } from "@/components/ui/card";
import { QueryStates } from "@/components/ui/query-states";
import { PinsEditor, type Pins, type ResolvedPin } from "./pins-editor";

type WorkspacePins = { pins: Pins; resolved: ResolvedPin[] };
const key = ["workspace-pins"] as const;

/** The workspace's version pins (GET/PUT /api/v1/workspace/pins): members see them, owners change them. */
export function VersionPinsPanel({ isOwner }: { isOwner: boolean }) {
  const queryClient = useQueryClient();
  const pins = useQuery({ queryKey: key, queryFn: () => apiFetch<WorkspacePins>("/api/v1/workspace/pins") });
  const save = useMutation({
    mutationFn: (next: Pins) => apiFetch<WorkspacePins>("/api/v1/workspace/pins", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ pins: next }) }),
    onSuccess: (p) => queryClient.setQueryData(key, p),
  });
  return (
    <Card
      title="Version pins"
      description="Keep this workspace's runs of a package on a version or a major line (1 = the newest published 1.x) while its provider publishes new ones. A run that names slug@version, or an API key's own pin, comes first."
    >
      <QueryStates query={pins} noun="pins">
        {(p) => (
          <div className="space-y-2">
            <PinsEditor label="Workspace pins" pins={p.pins} resolved={p.resolved} canEdit={isOwner} onSave={save.mutateAsync} saving={save.isPending} error={save.error} />
            {!isOwner && <p className="text-xs text-slate-500">Only an owner can change the pins.</p>}
          </div>
        )}
      </QueryStates>
    </Card>
  );
}
