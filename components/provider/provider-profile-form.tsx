"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, TextAreaField } from "@/components/ui/field";
import { apiFetch, RequestFailure } from "@/components/api/fetch-json";
import type { ProviderProfile } from "@/lib/providers/providers";
import { PROVIDER_DESCRIPTION_MAX, PROVIDER_LOGO_MAX_BYTES } from "@/lib/providers/schemas";
import { ProviderLogo } from "./provider-logo";

type Saved = { provider: ProviderProfile };
type Failure = { message: string; fields: Record<string, string> };
const failureOf = (err: unknown): Failure => (err instanceof RequestFailure ? { message: err.message, fields: err.fieldErrors } : { message: "Something went wrong; try again.", fields: {} });

/** The workspace's provider profile: an owner creates and edits it, and uploads its logo; other members read it. */
export function ProviderProfileForm({ initial, canEdit }: { initial: ProviderProfile | null; canEdit: boolean }) {
  const [profile, setProfile] = useState(initial);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const router = useRouter();

  // After a refusal, the keyboard lands on the first field to fix.
  useEffect(() => {
    if (failure) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failure]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body = Object.fromEntries(new FormData(e.currentTarget));
    setPending(true);
    setSaved(false);
    try {
      const { provider } = await apiFetch<Saved>("/api/v1/provider", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      // A new provider's dashboard sections (packages, runs…) are rendered by the page: render it again.
      if (!profile) router.refresh();
      setProfile(provider);
      setFailure(null);
      setSaved(true);
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setPending(false);
    }
  }

  const error = (field: string) => failure?.fields[field];
  return (
    <div className="space-y-6">
      {profile && (
        <p className="text-sm text-slate-700" data-testid="provider-public-link">
          Your public page:{" "}
          <Link href={`/providers/${profile.slug}`} className="font-medium underline">
            /providers/{profile.slug}
          </Link>
          {profile.verified ? " · verified by Agora" : " · not verified yet (Agora's admins verify providers)"}
        </p>
      )}
      <Card title={profile ? "Provider profile" : "Become a provider"} description="What the catalog and your public page show about you as a publisher.">
        <form ref={form} onSubmit={onSubmit} noValidate aria-label="Provider profile" className="grid gap-4 sm:grid-cols-2">
          <fieldset disabled={!canEdit} className="contents">
            <Field label="Public name" name="name" defaultValue={profile?.name ?? ""} required maxLength={80} autoComplete="organization" error={error("name")} />
            <Field label="Slug" name="slug" defaultValue={profile?.slug ?? ""} required maxLength={40} hint="3–40 lowercase letters, digits and hyphens: your page's address." autoCapitalize="none" spellCheck={false} error={error("slug")} />
            <TextAreaField label="Description (markdown)" name="description" defaultValue={profile?.description ?? ""} rows={6} maxLength={PROVIDER_DESCRIPTION_MAX} hint={`Up to ${PROVIDER_DESCRIPTION_MAX.toLocaleString("en-US")} characters.`} error={error("description")} className="sm:col-span-2" />
            <Field label="Support URL" name="supportUrl" type="url" inputMode="url" defaultValue={profile?.supportUrl ?? ""} placeholder="https://example.com/support" hint="https:// only. Give a URL, an e-mail, or both." error={error("supportUrl")} />
            <Field label="Support e-mail" name="supportEmail" type="email" defaultValue={profile?.supportEmail ?? ""} autoComplete="email" error={error("supportEmail")} />
          </fieldset>
          {canEdit ? (
            <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
              <Button type="submit" pending={pending}>
                {profile ? "Save profile" : "Create provider profile"}
              </Button>
              {saved && (
                <p role="status" className="text-sm text-green-700">
                  Saved.
                </p>
              )}
            </div>
          ) : (
            <p className="text-xs text-slate-500 sm:col-span-2">Only a workspace owner can change the provider profile.</p>
          )}
          {failure && (
            <Alert tone="error" className="sm:col-span-2">
              {failure.message}
            </Alert>
          )}
        </form>
      </Card>
      {profile && <LogoCard profile={profile} canEdit={canEdit} onSaved={setProfile} />}
    </div>
  );
}

function LogoCard({ profile, canEdit, onSaved }: { profile: ProviderProfile; canEdit: boolean; onSaved: (p: ProviderProfile) => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const file = data.get("logo");
    if (!(file instanceof File) || file.size === 0) return setFailure("Choose an image file first.");
    if (file.size > PROVIDER_LOGO_MAX_BYTES) return setFailure(`The file is larger than ${PROVIDER_LOGO_MAX_BYTES / 1024} KB.`);
    setPending(true);
    try {
      onSaved((await apiFetch<Saved>("/api/v1/provider/logo", { method: "PUT", body: data })).provider);
      setFailure(null);
    } catch (err) {
      setFailure(failureOf(err).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <Card title="Logo" description={`PNG, JPEG or WebP, up to ${PROVIDER_LOGO_MAX_BYTES / 1024} KB. Square images look best.`}>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <ProviderLogo name={profile.name} logoUrl={profile.logoUrl} />
        {canEdit && (
          <form onSubmit={onSubmit} className="flex flex-1 flex-col gap-3 sm:flex-row sm:items-end" aria-label="Logo upload">
            <Field label="Image file" name="logo" type="file" accept="image/png,image/jpeg,image/webp" error={failure ?? undefined} className="min-w-0 flex-1" />
            <Button type="submit" variant="secondary" pending={pending}>
              Upload logo
            </Button>
          </form>
        )}
      </div>
    </Card>
  );
}
