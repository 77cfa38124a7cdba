import { z } from "zod";
import { isVersionRange } from "./version-range";

// The shape of a set of version pins (lib/packages/pins.ts), as the API and the forms check it.

export const MAX_PINS = 100;

/** `{ [slug]: range }`: at most MAX_PINS, each range as version-range.ts reads it (400 naming the slug). */
export const packagePinsSchema = z
  .record(z.string().trim().min(1, "Name the package by its slug.").max(100), z.string().trim().max(64))
  .superRefine((pins, ctx) => {
    const slugs = Object.keys(pins);
    if (slugs.length > MAX_PINS) ctx.addIssue({ code: "custom", message: `At most ${MAX_PINS} pins; you sent ${slugs.length}.`, path: [] });
    for (const [slug, range] of Object.entries(pins)) {
      if (!isVersionRange(range)) ctx.addIssue({ code: "custom", path: [slug], message: `Pin ${slug}@${range}: '${range}' is not a version or range — write 1.4.2 (exact), 1.4 (newest 1.4.x) or 1 (newest 1.x).` });
    }
  });
export const setWorkspacePinsBodySchema = z.strictObject({ pins: packagePinsSchema });

/** The package whose versions a pin editor lists. */
export const packageVersionsInputSchema = z.object({ slug: z.string().trim().min(1, "Enter the package's slug, e.g. csv-summary.").max(100) });

export type VersionChoice = { version: string; status: string; yankReason: string | null };
/** The run form's version choice (lib/packages/pins.ts runFormVersions). */
export type RunFormVersions = { pin: { range: string; version: string | null } | null; latest: string | null; versions: VersionChoice[] };

/**
 * What a caller can pin a package to, from its runnable versions (newest first): each major line
 * ("1" — the newest published 1.x, named) and each exact version (a yanked one marked).
 */
export function rangeChoices(newestFirst: readonly VersionChoice[]): { range: string; label: string }[] {
  const majors = new Map<string, string>();
  for (const v of newestFirst) {
    const major = v.version.split(".")[0]!;
    if (v.status === "PUBLISHED" && !v.version.includes("-") && !majors.has(major)) majors.set(major, v.version);
  }
  return [
    ...[...majors].map(([major, newest]) => ({ range: major, label: `${major} — newest ${major}.x (now ${newest})` })),
    ...newestFirst.map((v) => ({ range: v.version, label: `${v.version} exactly${v.status === "YANKED" ? " (yanked)" : ""}` })),
  ];
}

/** GET and PUT /api/v1/workspace/pins (pins.ts): the pins and what each resolves to now (null: nothing in range runs). */
export const workspacePinsSchema = z.object({
  pins: z.record(z.string(), z.string()),
  resolved: z.array(z.object({ slug: z.string(), range: z.string(), version: z.string().nullable(), status: z.string().nullable(), yankReason: z.string().nullable() })),
});
