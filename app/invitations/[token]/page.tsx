import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AcceptInvitationButton } from "@/components/invitations/accept-invitation-button";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { currentPrincipal } from "@/lib/auth/current-principal";
import { goneMessage, viewInvitation } from "@/lib/invitations/accept-invitation";

export const metadata: Metadata = { title: "Invitation", robots: { index: false } };

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-md space-y-5">
      <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
      {children}
    </div>
  );
}

// The page a mailed invitation link opens. It shows the same thing whether or not
// the invited address has an account: both ways in, and the accept step once signed in.
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const principal = await currentPrincipal();
  const invitation = await viewInvitation(token, principal?.userId ?? null);
  if (!invitation) {
    return (
      <Frame title="This invitation link is not valid">
        <p className="text-sm text-slate-600">Check that you opened the whole link from the mail, or ask the workspace owner for a new invitation.</p>
      </Frame>
    );
  }
  if (invitation.status !== "pending" && !invitation.acceptedByViewer) {
    return (
      <Frame title="This invitation can no longer be used">
        <p className="text-sm text-slate-600">{goneMessage[invitation.status]}</p>
      </Frame>
    );
  }
  const here = `/invitations/${token}`;
  const forYou = principal?.email.toLowerCase() === invitation.email;
  return (
    <Frame title={`Join ${invitation.workspaceName} on Agora`}>
      <p className="text-sm text-slate-700">
        {invitation.inviterName ?? "An owner"} invited <strong>{invitation.email}</strong> to the workspace <strong>{invitation.workspaceName}</strong> as{" "}
        {invitation.role === "OWNER" ? "an owner" : "a member"}.
      </p>
      {invitation.acceptedByViewer ? (
        <AcceptInvitationButton token={token} label="Open the workspace" />
      ) : forYou ? (
        <AcceptInvitationButton token={token} label="Accept invitation" />
      ) : principal ? (
        <Alert tone="warning">
          This invitation is for {invitation.email}, and you are signed in as {principal.email}. Sign out, then sign in with {invitation.email} to accept it.
        </Alert>
      ) : (
        <div className="flex flex-col gap-3 sm:flex-row">
          <Link href={`/signup?email=${encodeURIComponent(invitation.email)}&callbackUrl=${encodeURIComponent(here)}`} className={buttonClass("primary", "flex-1")}>
            Create an account
          </Link>
          <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className={buttonClass("secondary", "flex-1")}>
            Sign in
          </Link>
        </div>
      )}
    </Frame>
  );
}
