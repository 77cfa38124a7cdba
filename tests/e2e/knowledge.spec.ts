import { expect, test } from "@playwright/test";
import { pdfWithText } from "../helpers/pdf";
import { signUpInBrowser, uniqueEmail } from "./helpers";

// The knowledge base and the agents that use it, as a new user meets them (offline model).

test("upload a document, search it, ask the Knowledge Base Agent, open the cited chunk, delete the document", async ({ page }) => {
  await signUpInBrowser(page, "Librarian", uniqueEmail("kb"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Documents" }).first().click();
  await expect(page.getByText("No documents yet")).toBeVisible();

  const text = [
    "# Zephyr warranty policy",
    "",
    "## Coverage",
    "",
    "Every Zephyr espresso machine carries a three-year warranty covering the pump, the boiler and the electronics.",
    "",
    "## Claims",
    "",
    "Send the serial number and a photo of the receipt to warranty@zephyr.example; we ship a replacement part within five business days.",
  ].join("\n");
  await page.getByLabel("File").setInputFiles({ name: "zephyr-warranty.md", mimeType: "text/markdown", buffer: Buffer.from(text) });
  await page.getByRole("button", { name: "Add document" }).click();
  await expect(page).toHaveURL(/\/documents\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Zephyr warranty policy" })).toBeVisible();
  await expect(page.getByTestId("chunk")).toHaveCount(1);
  await expect(page.getByTestId("chunk")).toContainText("three-year warranty");

  await page.getByRole("link", { name: "Documents" }).first().click();
  await page.getByLabel("Search documents").fill("espresso warranty");
  await page.getByRole("button", { name: "Search" }).click();
  const hit = page.getByTestId("search-hit").first();
  await expect(hit).toContainText("Zephyr warranty policy");
  await expect(hit.locator("mark").first()).toBeVisible();

  await page.goto("/agents/knowledge-base");
  await page.getByLabel("Question").fill("How long is the warranty on a Zephyr espresso machine?");
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  const output = page.locator("section").filter({ has: page.getByRole("heading", { name: "Output", exact: true }) });
  await expect(output.getByText(/carries a three-year warranty/).first()).toBeVisible();
  const citation = output.getByTestId("citation").first();
  await expect(citation).toContainText("Zephyr warranty policy");
  await citation.getByRole("link").click();
  await expect(page).toHaveURL(/\/documents\/[a-z0-9]+#chunk-/);
  const chunkId = new URL(page.url()).hash.slice(1);
  await expect(page.locator(`[id="${chunkId}"]`)).toBeInViewport();
  await expect(page.locator(`[id="${chunkId}"]`)).toContainText("three-year warranty");

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Delete document" }).click();
  await expect(page).toHaveURL(/\/documents$/);
  await expect(page.getByText("No documents yet")).toBeVisible();
});

test("Workflow Orchestrator's run page shows its child runs as a tree, each linking back", async ({ page }) => {
  await signUpInBrowser(page, "Conductor", uniqueEmail("orch"));
  await page.goto("/agents/workflow-orchestrator");
  await page.getByRole("button", { name: "Use example" }).click();
  await page.getByRole("button", { name: "Run agent" }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  const children = page.getByTestId("child-run");
  await expect(children).toHaveCount(2);
  await expect(children.nth(0)).toContainText("Security Scanner");
  await expect(children.nth(1)).toContainText("Deployment Agent");
  await expect(children.nth(0)).toContainText("succeeded");
  const parentUrl = page.url();
  await children.nth(0).getByRole("link", { name: "Security Scanner" }).click();
  await expect(page.getByText("A child run, started by run")).toBeVisible();
  await page.getByRole("link", { name: parentUrl.split("/").at(-1)! }).click();
  await expect(page).toHaveURL(parentUrl);
});

test("routing rules: add one, see it in order, disable it", async ({ page }) => {
  await signUpInBrowser(page, "Router", uniqueEmail("route"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Routing" }).first().click();
  await expect(page.getByText("No routing rules yet")).toBeVisible();
  await page.getByLabel("Name").fill("Refunds to billing");
  await page.getByLabel("Value(s)").fill("refund, chargeback");
  await page.getByLabel("Team").fill("billing");
  await page.getByLabel("Urgency").selectOption("HIGH");
  await page.getByRole("button", { name: "Add rule" }).click();
  const rule = page.getByTestId("routing-rule");
  await expect(rule).toHaveCount(1);
  await expect(rule).toContainText("1. Refunds to billing");
  await expect(rule).toContainText("text contains refund, chargeback");
  await rule.getByRole("button", { name: "Disable" }).click();
  await expect(rule).toContainText("disabled");
  // An empty rule is refused with the reason on the field.
  await page.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByText("Name the rule.", { exact: true })).toBeVisible();
});

test("a PDF and an HTML page are converted to text by the production server", async ({ page }) => {
  await signUpInBrowser(page, "Filer", uniqueEmail("pdf"));
  const pdf = await page.request.post("/api/v1/documents", {
    multipart: { file: { name: "sla.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdfWithText(["Service levels", "Uptime target is 99.95 percent per month."], "SLA")) } },
  });
  expect(pdf.status()).toBe(201);
  expect(await pdf.json()).toMatchObject({ title: "SLA", format: "PDF", chunks: [{ text: "Service levels\nUptime target is 99.95 percent per month." }] });
  const html = await page.request.post("/api/v1/documents", {
    multipart: { file: { name: "oncall.html", mimeType: "text/html", buffer: Buffer.from("<h1>On call</h1><p>Page the <b>primary</b> first.</p><script>x()</script>") } },
  });
  expect(await html.json()).toMatchObject({ title: "oncall", format: "HTML", chunks: [{ text: "# On call\n\nPage the primary first." }] });
  await page.goto("/documents");
  await expect(page.getByTestId("document-row")).toHaveCount(2);
});
