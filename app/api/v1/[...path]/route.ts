// * /api/v1/<unknown> — JSON 404 instead of the HTML not-found page
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

const notFound = route({ auth: "public" }, async ({ req }) => {
  throw new ApiError("not_found", `No API route ${req.method} ${req.nextUrl.pathname}.`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
