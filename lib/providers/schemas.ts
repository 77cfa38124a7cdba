import { z } from "zod";
import { catalogResultSchema } from "@/lib/agents/response-schemas";
import { isoDate } from "@/lib/http/wire";

// What a provider profile may hold (issue 19): checked here for the API and the
// page alike; the slug's shape and the logo's size are also CHECKs in the database.

/** The platform's own provider: publishes the built-in packages. */
export const PLATFORM_PROVIDER = { slug: "agora", name: "Agora", description: "The packages Agora builds and runs itself." } as const;

/** Slugs no workspace may take: the platform's, and words that read as Agora's own pages. */
export const RESERVED_PROVIDER_SLUGS = new Set([
  PLATFORM_PROVIDER.slug,
  "admin",
  "administrator",
  "api",
  "app",
  "agents",
  "billing",
  "docs",
  "help",
  "login",
  "new",
  "official",
  "platform",
  "provider",
  "providers",
  "root",
  "security",
  "settings",
  "signin",
  "signup",
  "staff",
  "support",
  "system",
  "www",
]);

export const PROVIDER_DESCRIPTION_MAX = 5_000;
export const PROVIDER_LOGO_MAX_BYTES = 256 * 1024;

/** A form's empty field is "not given". */
const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export const providerSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Slug: use at least 3 characters.")
  .max(40, "Slug: use at most 40 characters.")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Slug: use lowercase letters, digits and single hyphens between them (e.g. acme-labs).")
  .refine((s) => !RESERVED_PROVIDER_SLUGS.has(s), "Slug: this word is reserved; choose another.");

export const providerBodySchema = z
  .object({
    name: z.string().trim().min(2, "Name: use at least 2 characters.").max(80, "Name: use at most 80 characters."),
    slug: providerSlugSchema,
    description: z.preprocess(blankToNull, z.string().trim().max(PROVIDER_DESCRIPTION_MAX, `Description: use at most ${PROVIDER_DESCRIPTION_MAX} characters.`).nullish()),
    supportUrl: z.preprocess(
      blankToNull,
      z
        .url({ protocol: /^https$/, hostname: z.regexes.domain, error: "Support URL: enter an https:// address with a domain name (e.g. https://acme.example/support)." })
        .max(300, "Support URL: use at most 300 characters.")
        .nullish(),
    ),
    supportEmail: z.preprocess(blankToNull, z.email("Support e-mail: enter an e-mail address.").max(254, "Support e-mail: use at most 254 characters.").nullish()),
  })
  .refine((b) => b.supportUrl || b.supportEmail, { path: ["supportUrl"], message: "Support: give a support URL or a support e-mail (or both)." });
export type ProviderBody = z.output<typeof providerBodySchema>;

export const adminProviderBodySchema = z
  .object({
    verified: z.boolean({ error: "Verified: true or false." }).optional(),
    // The platform's fee on this provider's runs, in basis points (2000 = 20%); null = the platform default (AGORA_PLATFORM_FEE_BPS).
    platformFeeBps: z.number({ error: "Platform fee: a whole number of basis points (2000 = 20%), or null for the default." }).int("Platform fee: a whole number of basis points.").min(0, "Platform fee: at least 0.").max(10_000, "Platform fee: at most 10000 (100%).").nullable().optional(),
  })
  .refine((b) => b.verified !== undefined || b.platformFeeBps !== undefined, { path: ["verified"], message: "Change verified, platformFeeBps or both." });
export type AdminProviderBody = z.output<typeof adminProviderBodySchema>;

/** A provider's public profile as the API shows it (lib/providers/providers.ts profileJson). */
export const providerProfileSchema = z.strictObject({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  supportUrl: z.string().nullable(),
  supportEmail: z.string().nullable(),
  logoUrl: z.string().nullable(),
  verified: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/** A provider in the admin console's list: its workspace (none for the platform's own), package versions and fee (null: the default; effective: what applies). */
export const adminProviderSchema = providerProfileSchema.extend({
  workspace: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  packageVersions: z.number().int(),
  platformFeeBps: z.number().int().nullable(),
  effectiveFeeBps: z.number().int(),
});

/** GET /api/v1/provider: the workspace's profile, null before it is a provider. */
export const workspaceProviderResponseSchema = z.object({ provider: providerProfileSchema.nullable() });
/** PUT /api/v1/provider and PUT /api/v1/provider/logo: the profile as saved. */
export const savedProviderResponseSchema = z.object({ provider: providerProfileSchema });

/** GET /api/v1/providers/:slug: the public profile and its published packages. */
export const publicProviderSchema = providerProfileSchema.extend({ packages: z.array(catalogResultSchema) });
