import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.SMTP_URL = inject("smtpUrl"); // tests/fakes/smtp-catcher.ts, read back with tests/helpers/mailbox.ts
process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret-0123";
process.env.AGORA_LOG_LEVEL ??= "warn"; // request and run lines would drown the test output
