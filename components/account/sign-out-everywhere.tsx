"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useSignOutEverywhere } from "./use-account";

export function SignOutEverywhere() {
  const end = useSignOutEverywhere();
  return (
    <div className="space-y-3">
      {end.error && <Alert tone="error">{end.error.message}</Alert>}
      <Button variant="danger" pending={end.isPending || end.isSuccess} onClick={() => end.mutate()}>
        Sign out everywhere
      </Button>
    </div>
  );
}
