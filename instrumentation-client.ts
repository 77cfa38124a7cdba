import { z } from "zod";

// Zod probes `new Function` once to compile faster object parsers; the pages' CSP has no
// 'unsafe-eval' in production, so the browser refuses that probe and reports a violation
// (sign-up, runs, routing). The browser only parses small forms: parse without it.
z.config({ jitless: true });
