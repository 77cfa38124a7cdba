import { z } from "zod";

export const createApiKeyBodySchema = z.object({
  name: z.string().trim().min(1, "Name the key so you can recognise it later.").max(80),
});
export const apiKeyIdSchema = z.object({ id: z.string().min(1).max(64) });
