import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SigningSecrets } from "@/components/provider/signing-secrets";
import type { ProviderSecretJson } from "@/lib/remote/secrets";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&apos;/g, "'").replace(/\s+/g, " ");
function render(secrets: ProviderSecretJson[]) {
  const client = new QueryClient();
  client.setQueryData(["provider-secrets"], secrets);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <SigningSecrets />
    </QueryClientProvider>,
  );
}

// The /provider page's "Signing secret" section.
describe("signing secrets section", () => {
  it("without a secret: an empty state saying why one is needed, and a Create button", () => {
    const shown = text(render([]));
    expect(shown).toContain("No signing secret yet");
    expect(shown).toContain("Create secret");
    expect(shown).not.toContain("Rotate secret");
  });

  it("lists the current and the previous secret by their last four characters, with the previous one's expiry, and offers rotation", () => {
    const expiresAt = "2026-12-01T18:00:00.000Z";
    const html = render([
      { id: "s2", last4: "AbC=", createdAt: "2026-11-30T18:00:00.000Z", expiresAt: null, current: true },
      { id: "s1", last4: "xYz=", createdAt: "2026-11-29T18:00:00.000Z", expiresAt, current: false },
    ]);
    const shown = text(html);
    expect(html.match(/data-testid="signing-secret-row"/g)).toHaveLength(2);
    expect(shown).toMatch(/whsec_…AbC= Current/);
    expect(shown).toMatch(/whsec_…xYz= Previous/);
    expect(shown).toContain("until rotated");
    expect(shown).toContain(new Date(expiresAt).toLocaleString());
    expect(shown).toContain("Rotate secret");
    expect(html).toContain('aria-label="Revoke the secret ending xYz="');
  });
});
