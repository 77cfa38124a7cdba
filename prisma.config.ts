import { defineConfig } from "prisma/config";

// The CLI is only used for `prisma generate` here; migrations go through
// scripts/db-migrate.ts (see prisma/README in README.md "Database").
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
