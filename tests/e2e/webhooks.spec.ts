import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// Workspace → Webhooks: add an endpoint (the secret shown once), send a test event, see the delivery in the log.
// The receiver is a server in this spec on 127.0.0.1 (the e2e instances allow loopback endpoints: tests/e2e/server.ts).

test("an owner adds a webhook endpoint, sends a test event, and sees the signed delivery in the log", async ({ page }) => {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agora`;
  try {
    await signUpInBrowser(page, "Hook", uniqueEmail("webhooks"));
    await page.goto("/workspace");
    await page.getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByText("No webhook endpoints yet")).toBeVisible();

    await page.getByLabel("Endpoint URL").fill("https://10.0.0.1/hook");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText(/IP address/)).toBeVisible();

    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Event types (optional)").fill("run.*, balance.low");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("new-webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByTestId("webhook-url")).toHaveText(url);
    await expect(page.getByLabel("Event types", { exact: true })).toHaveValue("run.*, balance.low");

    await page.getByRole("button", { name: "Send test event" }).click();
    const log = page.getByTestId("webhook-deliveries");
    await expect(log).toContainText("webhook.test");
    await expect(log).toContainText("succeeded");
    await expect(log).toContainText("204");
    await expect(log).toContainText(/\d+ ms/);
    expect(received).toHaveLength(1);
    expect(new Webhook(secret).verify(received[0]!.body, received[0]!.headers)).toMatchObject({ type: "webhook.test" });

    // The secret is not shown again.
    await page.reload();
    await expect(page.getByTestId("webhook-url")).toHaveText(url);
    await expect(page.locator("body")).not.toContainText(secret);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
