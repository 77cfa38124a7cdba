import { z } from "zod";
import { RunStatus } from "@/lib/generated/prisma/enums";
import { instantQuery } from "@/lib/http/date-query";
import { paginationQuerySchema } from "@/lib/http/pagination";

export const idempotencyKeySchema = z.string().trim().min(1).max(255);

export const createRunSchema = z.object({
  agent: z.string().trim().min(1, "Name the agent by its slug.").max(100),
  input: z.unknown().refine((v) => v !== undefined, "Required."),
  idempotencyKey: idempotencyKeySchema.optional(),
});
export type CreateRunBody = z.infer<typeof createRunSchema>;

export const runStatuses = Object.values(RunStatus);
/** Statuses a run never leaves. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set<RunStatus>(["SUCCEEDED", "FAILED", "CANCELED"]);

export const listRunsQuerySchema = paginationQuerySchema.extend({
  status: z.enum(runStatuses).optional(),
  agent: z.string().trim().min(1).max(100).optional(),
  from: instantQuery.optional(),
  to: instantQuery.optional(),
});
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;
