// A yanked version's notice (issue 20): a caller pinned to it still runs it, told so in the run's
// response, its first event, the quote and the run's page.

export type Deprecation = { version: string; message: string };

/** The notice for a yanked version; null for any other (a published one). */
export function deprecationOf(row: { slug: string; version: string; status: string; yankReason: string | null }): Deprecation | null {
  if (row.status !== "YANKED") return null;
  return { version: row.version, message: `${row.slug}@${row.version} was yanked by its provider${row.yankReason ? `: ${row.yankReason}` : ""}. Move your pin to a published version.` };
}
