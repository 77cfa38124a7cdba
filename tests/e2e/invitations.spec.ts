import { expect, test, type Page } from "@playwright/test";
import { signOutInBrowser, signUpInBrowser, uniqueEmail } from "./helpers";
import { linkFromMail } from "./mail";

/** On the owner's workspace page: invites `email` with `role` and waits for it to be pending. */
async function inviteInBrowser(page: Page, email: string, role: "Member" | "Owner" = "Member") {
  await page.getByLabel("Invite by email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption({ label: role });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  await expect(page.getByRole("button", { name: `Revoke the invitation to ${email}` })).toBeVisible();
}

test("an owner invites an e-mail with no account; the invitee signs up from the mailed link and joins as a Member; the owner makes them Owner", async ({ page, browser }) => {
  await signUpInBrowser(page, "Olga", uniqueEmail("owner"));
  const inviteeEmail = uniqueEmail("invitee");
  await inviteInBrowser(page, inviteeEmail);

  const link = await linkFromMail(inviteeEmail, /^Olga invited you to Olga's workspace on Agora$/);
  const invitee = await (await browser.newContext()).newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { level: 1 })).toHaveText("Join Olga's workspace on Agora");
  await invitee.getByRole("link", { name: "Create an account" }).click();
  await expect(invitee.getByLabel("Email")).toHaveValue(inviteeEmail);
  await invitee.getByLabel("Name").fill("Ivan");
  await invitee.getByLabel("Password").fill("invitee password 1");
  await invitee.getByRole("button", { name: "Create account" }).click();
  // Back on the invitation, signed in as the invited address.
  await expect(invitee).toHaveURL(new RegExp(`${new URL(link).pathname}$`));
  await invitee.getByRole("button", { name: "Accept invitation" }).click();
  await expect(invitee).toHaveURL(/\/workspace$/);
  await expect(invitee.getByRole("heading", { level: 1 })).toHaveText("Olga's workspace");
  await expect(invitee.getByText("Only owners can change who is in this workspace.")).toBeVisible();

  await page.reload();
  await expect(page.getByRole("button", { name: `Revoke the invitation to ${inviteeEmail}` })).toHaveCount(0);
  const role = page.getByLabel(`Role of ${inviteeEmail}`);
  await expect(role).toHaveValue("MEMBER");
  const changed = page.waitForResponse((r) => r.url().includes("/api/v1/workspace/members/") && r.request().method() === "PATCH");
  await role.selectOption({ label: "Owner" });
  expect((await changed).status()).toBe(200);

  await invitee.reload();
  await expect(invitee.getByText("Owners invite people, change roles and remove members.")).toBeVisible();
  const me = await invitee.request.get("/api/v1/me");
  expect(await me.json()).toMatchObject({ principal: { role: "OWNER" } });
  await invitee.context().close();
});

test("an invitee with an account signs in from the link; a member cannot invite; a revoked link is refused", async ({ page, request }) => {
  const memberEmail = uniqueEmail("member");
  const signup = await request.post("/api/v1/auth/signup", { data: { email: memberEmail, password: "member password 1", name: "Mo" } });
  expect(signup.status()).toBe(201);

  await signUpInBrowser(page, "Olga", uniqueEmail("owner"));
  const revokedEmail = uniqueEmail("revoked");
  await inviteInBrowser(page, revokedEmail, "Owner");
  await page.getByRole("button", { name: `Revoke the invitation to ${revokedEmail}` }).click();
  await expect(page.getByText("No pending invitations.")).toBeVisible();
  await inviteInBrowser(page, memberEmail);
  const link = await linkFromMail(memberEmail, /invited you to/);
  const revokedLink = await linkFromMail(revokedEmail, /invited you to/);

  await signOutInBrowser(page);
  await page.goto(link);
  // The same two ways in whether or not the address has an account.
  await expect(page.getByRole("link", { name: "Create an account" })).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Email").fill(memberEmail);
  await page.getByLabel("Password").fill("member password 1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Olga's workspace");
  await expect(page.getByLabel("Invite by email")).toHaveCount(0);
  const forbidden = await page.request.post("/api/v1/workspace/invitations", { data: { email: uniqueEmail("x") } });
  expect(forbidden.status()).toBe(403);

  await page.goto(revokedLink);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This invitation can no longer be used");
  await expect(page.getByText("This invitation was withdrawn.")).toBeVisible();
});
