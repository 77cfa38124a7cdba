import { z } from "zod";
import { RunStatus } from "@/lib/generated/prisma/enums";

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

export const listRunsQuerySchema = z.object({
  status: z.enum(runStatuses).optional(),
  agent: z.string().trim().min(1).max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;
