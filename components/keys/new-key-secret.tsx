"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

/** The one moment a key's (or a provider's signing) secret is visible. */
export function NewKeySecret({ name, secret, onDismiss, noun = "key", testId = "new-api-key" }: { name: string; secret: string; onDismiss: () => void; noun?: string; testId?: string }) {
  return (
    <Alert tone="success" className="mb-4 space-y-2">
      <p>
        <strong>{name}</strong> is ready. Copy the {noun} now — it will not be shown again.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-testid={testId} className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-emerald-200">
          {secret}
        </code>
        <CopyButton text={secret} />
        <Button variant="ghost" className="px-2.5 py-1 text-xs" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </Alert>
  );
}
