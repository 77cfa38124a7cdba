"use client";

import { useState, type FormEvent } from "react";
import { RequestFailure } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import { timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { createInvitationBodySchema } from "@/lib/invitations/schemas";
import { zodIssues } from "@/lib/http/errors";
import { useInvitations, useInvite, useRevokeInvitation } from "./use-invitations";
import { roleLabel } from "./members-panel";

/** Owners invite people by e-mail (an account is not needed) and withdraw pending invitations. */
export function InvitationsPanel() {
  const { query, items } = useInvitations();
  const invite = useInvite();
  const revoke = useRevokeInvitation();
  const [fieldError, setFieldError] = useState("");
  const [sentTo, setSentTo] = useState("");
  const inviteError = invite.error instanceof RequestFailure ? invite.error : null;

  async function onInvite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const parsed = createInvitationBodySchema.safeParse(Object.fromEntries(new FormData(form)));
    setSentTo("");
    if (!parsed.success) {
      setFieldError(zodIssues(parsed.error)[0]?.message ?? "Check the address.");
      return;
    }
    setFieldError("");
    const sent = await invite.mutateAsync(parsed.data).then((row) => row.email, () => "");
    if (sent) {
      setSentTo(sent);
      form.reset();
    }
  }

  return (
    <Card title="Invitations" description="People you invite get an e-mail link; they join when they accept it. Links expire after 7 days.">
      <form method="post" onSubmit={onInvite} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <Field
          label="Invite by email"
          name="email"
          type="email"
          autoComplete="off"
          required
          className="flex-1"
          error={fieldError || (inviteError ? (inviteError.fieldErrors.email ?? inviteError.message) : undefined)}
        />
        <SelectField label="Role" name="role" defaultValue="MEMBER">
          <option value="MEMBER">Member</option>
          <option value="OWNER">Owner</option>
        </SelectField>
        <Button type="submit" pending={invite.isPending}>Send invitation</Button>
      </form>
      {sentTo && <Alert tone="success" className="mt-3">Invitation sent to {sentTo}.</Alert>}
      <h3 className="mb-1 mt-5 text-sm font-medium text-slate-800">Pending</h3>
      <QueryStates query={query} noun="invitations" isEmpty={items.length === 0} empty={<p className="text-sm text-slate-500">No pending invitations.</p>}>
        {() => (
          <ul className="divide-y divide-slate-100">
            {items.map((inv) => (
              <li key={inv.id} className="flex flex-wrap items-center gap-3 py-2">
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm text-slate-900">{inv.email}</p>
                  <p className="text-xs text-slate-500">
                    {roleLabel(inv.role)} · sent {timeAgo(inv.createdAt)}
                  </p>
                </div>
                <Button
                  variant="secondary"
                  className="px-2.5 py-1 text-xs"
                  aria-label={`Revoke the invitation to ${inv.email}`}
                  pending={revoke.isPending && revoke.variables === inv.id}
                  onClick={() => revoke.mutate(inv.id)}
                >
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
      </QueryStates>
      <LoadMore query={query} />
      {revoke.isError && <Alert tone="error" className="mt-3">{revoke.error.message}</Alert>}
    </Card>
  );
}
