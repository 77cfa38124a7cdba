import { afterAll, afterEach, expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { startFakeAnthropic, type FakeAnthropic } from "../fakes/anthropic-server";

/** A fake Anthropic for the whole test file (top-level await), closed after its last test. */
export async function fakeAnthropicForFile(): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic();
  afterAll(() => fake.close());
  return fake;
}

/** After every test of the file, the ledger's invariants hold (SPEC §4, §13). */
export function expectLedgerInvariantsAfterEach(): void {
  afterEach(async () => {
    expect(await checkLedgerInvariants(getDb())).toEqual([]);
  });
}
