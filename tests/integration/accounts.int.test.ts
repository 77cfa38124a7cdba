import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { signUpBodySchema } from "@/lib/accounts/schemas";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { createUser, TEST_APP_URL, uniqueEmail } from "../helpers/factories";

describe("sign-up", () => {
  it("creates the user, an owned personal workspace on the Free tier, and an audit entry", async () => {
    const { user, workspace } = await createUser("signup");
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    const ws = await db.workspace.findUniqueOrThrow({ where: { id: workspace.id }, include: { memberships: true } });
    expect(ws.tierCode).toBe("free");
    expect(ws.personal).toBe(true);
    expect(ws.memberships).toEqual([expect.objectContaining({ userId: user.id, role: "OWNER" })]);
    expect(await db.auditLog.count({ where: { action: "user.signed_up", actorUserId: user.id } })).toBe(1);
  });

  it("refuses a taken email whatever its case, leaving nothing behind", async () => {
    const { email } = await createUser("taken");
    // A name no other test uses: the refused sign-up's workspace would be "<name>'s workspace".
    const name = `Taken ${randomUUID()}`;
    const body = signUpBodySchema.parse({ email: email.toUpperCase(), password: "another password", name });
    const err = await signUp(body, { ip: null, baseUrl: TEST_APP_URL }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
    expect(await db.workspace.count({ where: { name: { startsWith: name } } })).toBe(0);
    expect(await db.user.count({ where: { name } })).toBe(0);
  });

  it("gives one account when the same email signs up concurrently", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => signUp({ email, password: "concurrent pw 1", name: "Race" }, { ip: null, baseUrl: TEST_APP_URL })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as ApiError).code).toBe("email_taken");
    expect(await db.membership.count({ where: { user: { email } } })).toBe(1);
  });
});

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one, auditing the failure", async () => {
    const { email, password, user } = await createUser("signin");
    await expect(signInWithPassword({ email: email.toUpperCase(), password, ip: "198.51.100.1" })).resolves.toMatchObject({ id: user.id });
    await expect(signInWithPassword({ email, password: "wrong password", ip: "198.51.100.1" })).rejects.toThrow("Invalid email or password.");
    expect(await db.auditLog.count({ where: { action: "auth.sign_in_failed", target: email } })).toBe(1);
  });

  it("throttles an email after five failures, even with the right password, and audits it", async () => {
    const { email, password } = await createUser("throttle");
    for (let i = 0; i < 5; i++) {
      await expect(signInWithPassword({ email, password: `nope-${i}`, ip: `203.0.113.${i}` })).rejects.toThrow("Invalid");
    }
    await expect(signInWithPassword({ email, password, ip: "203.0.113.99" })).rejects.toThrow(/Too many failed sign-in attempts/);
    expect(await db.auditLog.count({ where: { action: "auth.sign_in_throttled", target: email } })).toBe(1);
  });

  it("throttles an IP that fails across many emails", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 1}`;
    for (let i = 0; i < 20; i++) {
      await expect(signInWithPassword({ email: uniqueEmail("spray"), password: "guess", ip })).rejects.toThrow("Invalid");
    }
    const { email, password } = await createUser("victim");
    await expect(signInWithPassword({ email, password, ip })).rejects.toThrow(/Too many/);
    await expect(signInWithPassword({ email, password, ip: "192.0.2.250" })).resolves.toBeTruthy();
  });

  it("refuses disabled users", async () => {
    const { email, password, user } = await createUser("disabled");
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    await expect(signInWithPassword({ email, password, ip: null })).rejects.toThrow(/disabled/);
  });
});

describe("audit log", () => {
  it("is append-only", async () => {
    const { user } = await createUser("audit");
    const row = await db.auditLog.findFirstOrThrow({ where: { actorUserId: user.id } });
    await expect(db.auditLog.update({ where: { id: row.id }, data: { action: "tampered" } })).rejects.toThrow();
    await expect(db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow();
    expect((await db.auditLog.findUniqueOrThrow({ where: { id: row.id } })).action).toBe("user.signed_up");
  });
});
