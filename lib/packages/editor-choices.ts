import { db } from "@/lib/db/client";

/** What the manifest editor offers: the catalog's categories (a new one is allowed) and the platform's models. */
export async function editorChoices(): Promise<{ categories: string[]; models: string[] }> {
  const [categories, models] = await Promise.all([
    db.agentPackage.findMany({ where: { status: "PUBLISHED" }, distinct: ["category"], orderBy: { category: "asc" }, select: { category: true } }),
    db.modelPrice.findMany({ orderBy: { model: "asc" }, select: { model: true } }),
  ]);
  return { categories: categories.map((c) => c.category), models: models.map((m) => m.model) };
}
