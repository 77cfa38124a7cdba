"use client";

import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { QueryStates } from "@/components/ui/query-states";
import { useChangeMemberRole, useMembers, useRemoveMember, type Role } from "./use-members";

export const roleLabel = (role: Role) => (role === "OWNER" ? "Owner" : "Member");

export const roleSelectClass =
  "block rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 disabled:opacity-60";

export function MembersPanel({ isOwner, currentUserId }: { isOwner: boolean; currentUserId: string }) {
  const router = useRouter();
  const members = useMembers();
  const changeRole = useChangeMemberRole();
  const remove = useRemoveMember();
  const failure = changeRole.error ?? remove.error;

  return (
    <Card title="Members" description={isOwner ? "Owners invite people, change roles and remove members." : "Only owners can change who is in this workspace."}>
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
                {isOwner ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    disabled={changeRole.isPending && changeRole.variables?.userId === m.userId}
                    onChange={(e) =>
                      changeRole.mutate(
                        { userId: m.userId, role: e.target.value === "OWNER" ? "OWNER" : "MEMBER" },
                        // Your own role decides what this page lets you do.
                        { onSuccess: () => m.userId === currentUserId && router.refresh() },
                      )
                    }
                    className={roleSelectClass}
                  >
                    <option value="MEMBER">Member</option>
                    <option value="OWNER">Owner</option>
                  </select>
                ) : (
                  <Badge tone={m.role === "OWNER" ? "brand" : "neutral"}>{roleLabel(m.role)}</Badge>
                )}
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
      {failure && <Alert tone="error" className="mt-3">{failure.message}</Alert>}
    </Card>
  );
}
