// The app process of the chaos test (node --import tsx): the real POST /api/v1/runs and
// GET /api/health/ready route handlers behind a plain HTTP server on 127.0.0.1:<port>,
// and the real run worker (executor, recovery), configured from the environment.
import http from "node:http";
import { NextRequest } from "next/server";
import { POST as createRun } from "@/app/api/v1/runs/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { startRunWorker } from "@/lib/runs/run-executor-instance";

const port = Number(process.argv[2]);
await startRunWorker().catch(() => undefined);

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = `http://127.0.0.1:${port}${req.url}`;
        const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const nreq = new NextRequest(url, { method: req.method, headers, body });
        const response = req.url?.startsWith("/api/v1/runs") && req.method === "POST" ? await createRun(nreq, { params: Promise.resolve({}) }) : await ready();
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
        res.end(Buffer.from(await response.arrayBuffer()));
      })().catch((err: Error) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`chaos-app: ${err.message}`);
      });
    });
  })
  .listen(port, "127.0.0.1", () => process.stdout.write(`listening ${port}\n`));
