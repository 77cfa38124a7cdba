"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextAreaField } from "@/components/ui/field";
import type { PackageVersion } from "@/lib/packages/package-versions";
import { RequestFailure } from "@/components/api/fetch-json";
import { ManifestEditor } from "./manifest-editor";
import { SchemaChanges, schemaRefusal } from "./schema-changes";
import { PriceChanges } from "./price-changes";
import { useVersionAction } from "./use-provider-packages";
import { VersionStatus } from "./version-status";

const NEXT_STEP: Partial<Record<PackageVersion["status"], string>> = {
  DRAFT: "Validate it: Agora compiles the schemas, checks the example input and, for a remote package, calls your endpoint.",
  VALIDATED: "Submit it for review. Once submitted, it cannot change.",
  SUBMITTED: "Agora's admins are reviewing it. You will see their decision here.",
  REJECTED: "Fix what the reviewer asked, save, validate and submit again.",
  PUBLISHED: "In the catalog. New runs use the highest published version.",
  YANKED: "Withdrawn: new runs use another published version.",
};

/** A new package version's editor: it opens the version's page once created. */
export function NewPackageEditor({ categories, models }: { categories: string[]; models: string[] }) {
  const router = useRouter();
  return <ManifestEditor categories={categories} models={models} onSaved={(v) => router.push(`/provider/packages/${v.slug}/${v.version}`)} />;
}

/** One version: its state and next step, the reviewer's note, the lifecycle buttons, the manifest, and (published) its price. */
export function VersionPanel({ initial, categories, models }: { initial: PackageVersion; categories: string[]; models: string[] }) {
  const [version, setVersion] = useState(initial);
  const action = useVersionAction(version.slug, version.version);
  const run = (a: "validate" | "submit" | "yank", reason?: string) => action.mutate({ action: a, reason }, { onSuccess: setVersion });

  return (
    <div className="space-y-6">
      <Card title={<span className="flex flex-wrap items-center gap-2">Version {version.version} <VersionStatus status={version.status} /></span>} description={NEXT_STEP[version.status]}>
        <div className="space-y-4">
          {version.status === "REJECTED" && version.reviewNote && (
            <Alert tone="error">
              <span data-testid="review-note">Reviewer: {version.reviewNote}</span>
            </Alert>
          )}
          {version.yankReason && <p className="text-sm text-slate-600">Yanked: {version.yankReason}</p>}
          <div className="flex flex-wrap gap-3">
            {version.status === "DRAFT" && (
              <Button pending={action.isPending} onClick={() => run("validate")}>
                Validate
              </Button>
            )}
            {version.status === "VALIDATED" && (
              <Button pending={action.isPending} onClick={() => run("submit")}>
                Submit for review
              </Button>
            )}
          </div>
          {version.status === "PUBLISHED" && <YankForm pending={action.isPending} onYank={(reason) => run("yank", reason)} />}
          {action.error && <Alert tone="error">{action.error.message}</Alert>}
          {action.error instanceof RequestFailure && schemaRefusal(action.error.details) && <SchemaChanges refusal={schemaRefusal(action.error.details)!} />}
        </div>
      </Card>
      <Card title="Manifest">
        <ManifestEditor key={version.updatedAt} version={version} categories={categories} models={models} onSaved={setVersion} />
      </Card>
      {version.status === "PUBLISHED" && <PriceChanges slug={version.slug} currentMicros={version.baseFeeMicros} />}
    </div>
  );
}

function YankForm({ pending, onYank }: { pending: boolean; onYank: (reason: string) => void }) {
  const [reason, setReason] = useState("");
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onYank(reason);
  };
  return (
    <form onSubmit={onSubmit} aria-label="Yank this version" className="space-y-3">
      <TextAreaField label="Reason to yank" name="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} hint="At least 10 characters. Runs already started finish; new runs use your newest other published version." />
      <Button type="submit" variant="danger" pending={pending} disabled={reason.trim().length < 10}>
        Yank version
      </Button>
    </form>
  );
}
