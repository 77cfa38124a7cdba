import { randomBytes } from "node:crypto";

/** A URL-safe slug from a name, with a random suffix so it is unique without a retry loop. */
export function workspaceSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "workspace"}-${randomBytes(4).toString("hex")}`;
}
