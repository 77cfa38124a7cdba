-- The failure-farming cap (lib/runs/provider-failure-cap.ts): the accept statement of a
-- third-party package's run counts this workspace's provider-caused failures of the same
-- package and input in the last hour. Partial (Prisma cannot declare it): only such failures.
CREATE INDEX "Run_provider_failures_idx" ON "Run" ("workspaceId", "agentSlug", "inputHash", "finishedAt") WHERE "failureCause" = 'provider';
