"use client";

import { Button } from "./button";

/** A row's "Revoke", asking first (`question`): for credentials that stop working at once. */
export function RevokeButton({ label, question, pending, onRevoke }: { label: string; question: string; pending: boolean; onRevoke: () => void }) {
  return (
    <Button
      variant="danger"
      className="px-2.5 py-1 text-xs"
      pending={pending}
      aria-label={label}
      onClick={() => {
        if (window.confirm(question)) onRevoke();
      }}
    >
      Revoke
    </Button>
  );
}
