import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, errorBody, toApiError } from "@/lib/http/errors";
import { parseWith } from "@/lib/http/validate";

describe("error mapping", () => {
  it("maps Prisma unique and not-found errors to 409 and 404", () => {
    expect(toApiError({ code: "P2002", meta: {} }).status).toBe(409);
    expect(toApiError({ code: "P2025" }).status).toBe(404);
  });

  it("turns unknown errors into a generic 500 that carries no internals", () => {
    const e = toApiError(new Error("connection to 10.0.0.5 failed: password=hunter2"));
    expect(e.status).toBe(500);
    expect(JSON.stringify(errorBody(e))).not.toMatch(/hunter2|10\.0\.0\.5|stack/);
  });

  it("an AbortError or Next's ResponseAborted (the client went away) is a 499 client_closed_request, not a 500", () => {
    const aborted = new DOMException("This operation was aborted", "AbortError");
    const responseAborted = Object.assign(new Error("ResponseAborted"), { name: "ResponseAborted" });
    for (const err of [aborted, responseAborted]) expect(toApiError(err)).toMatchObject({ code: "client_closed_request", status: 499 });
  });

  it("names every failing field path in a 400", () => {
    const schema = z.object({ name: z.string().min(1), items: z.array(z.object({ qty: z.number().int() })) });
    let caught: unknown;
    try {
      parseWith(schema, { name: "", items: [{ qty: 1 }, { qty: 1.5 }] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const body = errorBody(caught as ApiError);
    expect(body.error.code).toBe("validation_failed");
    const paths = (body.error.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(["name", "items.1.qty"]);
  });
});
