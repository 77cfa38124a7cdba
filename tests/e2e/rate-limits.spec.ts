import { expect, test } from "@playwright/test";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// Two app instances (ports N and N + 1, see server.ts) share their rate limits
// through Redis: a Free workspace's 10 requests a minute hold across both.

test("two app instances on different ports share one workspace's requests/min limit exactly, through Redis", async ({ page, request, baseURL }) => {
  await signUpInBrowser(page, "Limits", uniqueEmail("limits"));
  const created = await page.request.post("/api/v1/keys", { data: { name: "load test" } });
  expect(created.status()).toBe(201);
  const { secret } = (await created.json()) as { secret: string };
  const second = `http://127.0.0.1:${process.env.E2E_PORT_2}`; // the second instance (playwright.config.ts)
  const headers = { authorization: `Bearer ${secret}` };
  await expect.poll(async () => (await request.get(`${second}/api/health/live`).catch(() => null))?.status(), { timeout: 30_000 }).toBe(200);

  // 30 requests at once, alternating between the instances: exactly 10 get through.
  const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => request.get(`${i % 2 ? second : baseURL}/api/v1/me`, { headers })));
  const statuses = responses.map((r) => r.status());
  expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  const refused = responses.find((r) => r.status() === 429)!;
  expect(refused.headers()["retry-after"]).toMatch(/^\d+$/);
  expect(refused.headers()["ratelimit-limit"]).toBe("10");
  expect((await refused.json()).error.code).toBe("rate_limited");

  // Both instances report the same state, from the same store.
  const page2 = await page.request.get(`${second}/api/v1/rate-limits`);
  expect(await page2.json()).toMatchObject({ backend: "redis", tier: "free", appliesTo: "session" });
});
