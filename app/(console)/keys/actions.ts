"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { apiKeyIdSchema, createApiKeyBodySchema } from "@/lib/api-keys/schemas";

export const createApiKeyAction = authedAction
  .inputSchema(createApiKeyBodySchema)
  .action(async ({ parsedInput, ctx }) => createApiKey(ctx.principal, parsedInput, ctx.ip));

export const revokeApiKeyAction = authedAction
  .inputSchema(apiKeyIdSchema)
  .action(async ({ parsedInput, ctx }) => revokeApiKey(ctx.principal, parsedInput.id, ctx.ip));
