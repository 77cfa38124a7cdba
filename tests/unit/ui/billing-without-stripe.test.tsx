import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PaymentsUnavailable, priceMultiplierHint } from "@/components/billing/billing-panel";
import { LowBalanceBanner } from "@/components/layout/balance-badge";

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;|&apos;/g, "'");

// Customers were shown operator setup (env names, an npm command) when Stripe is not configured.
describe("billing without Stripe", () => {
  it("a member or owner reads that top-ups are not available, with no operator instructions", () => {
    const shown = text(renderToStaticMarkup(<PaymentsUnavailable isAdmin={false} />));
    expect(shown).toContain("Top-ups are not available on this deployment.");
    expect(shown).not.toMatch(/STRIPE_|npm run|README/);
  });

  it("a platform admin gets the setup steps", () => {
    const shown = text(renderToStaticMarkup(<PaymentsUnavailable isAdmin />));
    expect(shown).toContain("STRIPE_SECRET_KEY");
    expect(shown).toContain("npm run stripe:setup");
  });

  it("the low-balance banner links to top-ups only where they can be bought", () => {
    const banner = (canTopUp: boolean) =>
      renderToStaticMarkup(
        <QueryClientProvider client={new QueryClient()}>
          <LowBalanceBanner initialMicros={120_000} canTopUp={canTopUp} />
        </QueryClientProvider>,
      );
    expect(text(banner(true))).toContain("Top up");
    expect(text(banner(false))).not.toContain("Top up");
    expect(text(banner(false))).toContain("Usage and burn rate");
  });

  it('explains the plan\'s price multiplier instead of a bare "price × 1.30"', () => {
    expect(priceMultiplierHint(13_000)).toBe("Runs cost 1.30 × the list price (your plan's price multiplier)");
  });
});
