// Version pins (issue 20). A run names a package as `slug` (the newest published
// version), `slug@1.4.2` (exactly that version), `slug@1.4` (the newest published
// 1.4.x) or `slug@1` (the newest published 1.x); a workspace or an API key can pin
// a slug to such a range (Workspace.packagePins, ApiKey.packagePins). A yanked
// version still runs for a caller whose range holds nothing newer that is published —
// with a deprecation notice, never by falling back to a version outside the range.

/** "1", "1.4" or "1.4.2" (an exact version may carry a pre-release: "2.0.0-rc.1"). */
export const VERSION_RANGE = /^(0|[1-9]\d{0,8})(?:\.(0|[1-9]\d{0,8})(?:\.(0|[1-9]\d{0,8})(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;

export const isVersionRange = (range: string) => range.length <= 64 && VERSION_RANGE.test(range);

/** Whether `version` is in `range`: "1" holds 1.x.y, "1.4" holds 1.4.y, "1.4.2" only itself. Pre-releases only match exactly. */
export function inRange(version: string, range: string): boolean {
  if (range.split("-")[0]!.split(".").length === 3) return version === range;
  return !version.includes("-") && version.startsWith(`${range}.`);
}

/** `agent` as a run request writes it: "slug" or "slug@range" (400 when the range is not one). */
export function parseAgentRef(agent: string): { slug: string; range: string | null } | { error: string } {
  const at = agent.indexOf("@");
  if (at === -1) return { slug: agent, range: null };
  const slug = agent.slice(0, at);
  const range = agent.slice(at + 1);
  if (!slug) return { error: "Name the agent by its slug before the '@'." };
  if (!isVersionRange(range)) return { error: `'${range}' is not a version or range: write 1.4.2 (exact), 1.4 (newest 1.4.x) or 1 (newest 1.x).` };
  return { slug, range };
}

export type VersionStatus = { version: string; status: string };

/**
 * The version a caller gets from the slug's runnable versions (PUBLISHED and YANKED, newest first):
 * without a range the newest published; with one, the newest published in it, else the newest
 * yanked in it (which runs with a deprecation notice). Null when nothing in the range can run.
 */
export function pickVersion<T extends VersionStatus>(newestFirst: readonly T[], range: string | null): T | null {
  if (range === null) return newestFirst.find((v) => v.status === "PUBLISHED") ?? null;
  const inside = newestFirst.filter((v) => inRange(v.version, range));
  return inside.find((v) => v.status === "PUBLISHED") ?? inside.find((v) => v.status === "YANKED") ?? null;
}
