import { ApiError } from "@/lib/http/errors";
import type { Principal } from "./principal";

// What each kind of caller may do. API keys act as a workspace member for the
// product's resources but never manage credentials or people. Every signed-in
// route names one (lib/http/route.ts): "workspace.read" is what any member or
// key of the workspace may do, "workspace.write" changes its documents and routing rules;
// "account.manage" is a person's own account (password, sessions): never an API key.
// "provider.manage" is the workspace's public provider profile: its owner, signed in.
export type Permission = "workspace.read" | "workspace.write" | "runs.create" | "runs.cancel" | "keys.manage" | "account.manage" | "members.manage" | "provider.manage" | "platform.admin";

export function can(principal: Principal, permission: Permission): boolean {
  switch (permission) {
    case "workspace.read":
    case "workspace.write":
    case "runs.create":
    case "runs.cancel": // any run of the workspace: members share its runs
      return true;
    case "keys.manage":
    case "account.manage":
      return principal.kind === "user";
    case "members.manage":
    case "provider.manage":
      return principal.kind === "user" && principal.role === "OWNER";
    case "platform.admin":
      return principal.kind === "user" && principal.isAdmin;
  }
}

export function assertCan(principal: Principal, permission: Permission): void {
  if (can(principal, permission)) return;
  const message =
    principal.kind === "api_key"
      ? "API keys cannot do this; sign in as a workspace member."
      : permission === "platform.admin"
        ? "Only platform admins can do this."
        : "Only a workspace owner can do this.";
  throw new ApiError("forbidden", message, { permission });
}

/** Narrows to a signed-in user, for operations that only make sense for a person. */
export function requireUser(principal: Principal): Extract<Principal, { kind: "user" }> {
  if (principal.kind !== "user") throw new ApiError("forbidden", "This needs a signed-in user, not an API key.");
  return principal;
}
