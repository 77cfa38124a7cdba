"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Accepts the invitation (the API sets the workspace cookie) and opens that workspace. */
export function AcceptInvitationButton({ token, label }: { token: string; label: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState("");

  async function accept() {
    setPending(true);
    setError("");
    try {
      await apiFetch("/api/v1/invitations/accept", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
      await queryClient.invalidateQueries();
      router.push("/workspace");
      router.refresh();
    } catch (err) {
      setPending(false);
      setError(err instanceof Error ? err.message : "Could not accept the invitation. Try again.");
    }
  }

  return (
    <div className="space-y-3">
      {error && <Alert tone="error">{error}</Alert>}
      <Button className="w-full" pending={pending} onClick={() => void accept()}>
        {label}
      </Button>
    </div>
  );
}
