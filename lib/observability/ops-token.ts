import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). */
export function hasOpsToken(req: Request): boolean {
  const token = env().METRICS_TOKEN;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!token || !match) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
