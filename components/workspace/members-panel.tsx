"use client";

import { useId, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { QueryStates } from "@/components/ui/query-states";
import { RequestFailure } from "@/components/api/fetch-json";
import { useAddMember, useMembers, useRemoveMember } from "./use-members";

export function MembersPanel({ isOwner, currentUserId }: { isOwner: boolean; currentUserId: string }) {
  const members = useMembers();
  const add = useAddMember();
  const remove = useRemoveMember();
  const roleId = useId();
  const addError = add.error instanceof RequestFailure ? add.error : null;

  async function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const ok = await add
      .mutateAsync({ email: String(data.get("email") ?? ""), role: data.get("role") === "OWNER" ? "OWNER" : "MEMBER" })
      .then(() => true, () => false);
    if (ok) form.reset();
  }

  return (
    <Card title="Members" description={isOwner ? "Owners add and remove members." : "Only owners can change who is in this workspace."}>
      <QueryStates query={members} noun="members">
        {(list) => (
        <ul className="divide-y divide-slate-100">
          {list.map((m) => (
            <li key={m.userId} className="flex flex-wrap items-center gap-3 py-2">
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900">
                  {m.name ?? m.email} {m.userId === currentUserId && <span className="text-slate-500">(you)</span>}
                </p>
                <p className="truncate text-xs text-slate-500">{m.email}</p>
              </div>
              <Badge tone={m.role === "OWNER" ? "brand" : "neutral"}>{m.role === "OWNER" ? "Owner" : "Member"}</Badge>
              {isOwner && (
                <Button
                  variant="danger"
                  className="px-2.5 py-1 text-xs"
                  aria-label={`Remove ${m.email}`}
                  pending={remove.isPending && remove.variables === m.userId}
                  onClick={() => {
                    if (window.confirm(`Remove ${m.email} from this workspace?`)) remove.mutate(m.userId);
                  }}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
        )}
      </QueryStates>
      {remove.isError && <Alert tone="error" className="mt-3">{remove.error.message}</Alert>}
      {isOwner && (
        <form method="post" onSubmit={onAdd} className="mt-4 flex flex-col gap-3 border-t border-slate-100 pt-4 sm:flex-row sm:items-end" noValidate>
          <Field
            label="Add a member by email"
            name="email"
            type="email"
            required
            className="flex-1"
            error={addError ? (addError.fieldErrors.email ?? addError.message) : undefined}
          />
          <div className="space-y-1">
            <label htmlFor={roleId} className="block text-sm font-medium text-slate-800">Role</label>
            <select id={roleId} name="role" className="block rounded-md border-0 py-2 pl-3 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500">
              <option value="MEMBER">Member</option>
              <option value="OWNER">Owner</option>
            </select>
          </div>
          <Button type="submit" pending={add.isPending}>Add member</Button>
        </form>
      )}
    </Card>
  );
}
