"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { switchWorkspaceAction } from "@/app/(console)/workspace/actions";
import { RequestFailure, unwrapAction } from "@/components/api/fetch-json";

type Option = { id: string; name: string };

export function WorkspaceSwitcher({ workspaces, current }: { workspaces: Option[]; current: string }) {
  const id = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState("");

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Workspace
      </label>
      <select
        id={id}
        value={current}
        disabled={pending || workspaces.length < 2}
        onChange={(e) => {
          const workspaceId = e.target.value;
          setError("");
          startTransition(async () => {
            try {
              await unwrapAction(switchWorkspaceAction({ workspaceId }));
              await queryClient.invalidateQueries();
              router.refresh();
            } catch (err) {
              setError(err instanceof RequestFailure ? err.message : "Could not switch workspace.");
            }
          });
        }}
        className="max-w-28 truncate sm:max-w-44 rounded-md border-0 bg-slate-50 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 disabled:opacity-100"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
