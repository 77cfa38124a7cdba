import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret-0123";
process.env.AGORA_LOG_LEVEL ??= "warn"; // request and run lines would drown the test output
