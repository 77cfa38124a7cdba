import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { envVariableNames } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";
import { SERVER_NODE_FLAGS } from "../../scripts/standalone";

// The alert rules and the dashboard refer only to series the app exports, so
// renaming a metric cannot silently blind them.

const ops = (...p: string[]) => readFileSync(path.join(process.cwd(), "ops", ...p), "utf8");
const exported = async () => {
  const names = new Set<string>();
  for (const m of await metrics().registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(m.name + s);
  }
  return names;
};
const referenced = (expr: string) => [...expr.matchAll(/\b((?:agora|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!);

describe("ops files", () => {
  it("every alert rule names only exported series and has a summary", async () => {
    const names = await exported();
    const rules = (YAML.parse(ops("prometheus", "alerts.yml")) as { groups: { rules: { alert: string; expr: string; annotations: { summary: string } }[] }[] }).groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(6);
    for (const r of rules) {
      expect(r.annotations.summary, r.alert).toBeTruthy();
      for (const series of referenced(r.expr)) expect(names.has(series), `${r.alert}: ${series}`).toBe(true);
    }
  });

  it("every dashboard panel queries exported series", async () => {
    const names = await exported();
    const dash = JSON.parse(ops("grafana", "agora-dashboard.json")) as { panels: { title: string; targets: { expr: string }[] }[] };
    expect(dash.panels.length).toBeGreaterThanOrEqual(10);
    for (const p of dash.panels) for (const t of p.targets) for (const series of referenced(t.expr)) expect(names.has(series), `${p.title}: ${series}`).toBe(true);
  });

  // Docker cannot run here; what can be checked without it is checked here, and the
  // image's payload — the standalone folder, copied out of the checkout, two instances
  // on one database migrating it themselves — is what tests/e2e/server.ts serves.
  const root = (...p: string[]) => readFileSync(path.join(process.cwd(), ...p), "utf8");

  it("the Dockerfile: multi-stage, the standalone server as a non-root user, migrating at start; every file it copies is in the build context", () => {
    const lines = root("Dockerfile").split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
    const stages = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith("FROM "));
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const runtime = lines.slice(stages.at(-1)![1]).join("\n");
    expect(runtime).toMatch(/^COPY --from=build \/app\/\.next\/standalone \.\/$/m);
    expect(runtime).not.toMatch(/^COPY (?!--from)/m); // nothing but the standalone folder
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user && !["root", "0"].includes(user)).toBe(true);
    expect(runtime).toContain(`CMD ${JSON.stringify(["node", ...SERVER_NODE_FLAGS, "server.js"]).replaceAll(",", ", ")}`); // as npm start runs it
    for (const v of ["NODE_ENV=production", "NEXT_MANUAL_SIG_HANDLE=true", "AGORA_MIGRATE_ON_START=true", "HOSTNAME=0.0.0.0"]) expect(runtime).toContain(v);
    expect(JSON.parse(root("package.json")).scripts.build).toContain("scripts/standalone.ts");

    const ignored = root(".dockerignore").split("\n").filter((l) => l && !l.startsWith("#"));
    for (const dir of ["node_modules", ".next", ".data", ".git", ".env"]) expect(ignored).toContain(dir);
    const sources = lines.filter((l) => /^COPY (?!--from)/.test(l)).flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources).toContain(".");
    for (const src of sources.filter((s) => s !== ".")) {
      expect(existsSync(path.join(process.cwd(), src)), src).toBe(true);
      expect(ignored, src).not.toContain(src);
    }
  });

  it("docker-compose: two web instances and two workers from the Dockerfile on one PostgreSQL and one Redis, started when both are healthy; only variables the app knows", () => {
    type Service = { build?: string; image?: string; ports?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: object };
    const compose = YAML.parse(root("docker-compose.yml"), { merge: true }) as { services: Record<string, Service> };
    const { web1, web2, worker1, worker2, postgres, redis } = compose.services;
    expect(Object.keys(compose.services).sort()).toEqual(["postgres", "redis", "web1", "web2", "worker1", "worker2"]);
    const apps = [web1!, web2!, worker1!, worker2!];
    for (const app of apps) {
      expect(app.build).toBe(".");
      expect(new URL(app.environment!.DATABASE_URL!.replace(/\$\{[^}]+\}/, "secret")).hostname).toBe("postgres");
      expect(new URL(app.environment!.REDIS_URL!).hostname).toBe("redis");
      expect(app.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
    }
    expect(apps.map((a) => a.environment!.AGORA_ROLE)).toEqual(["web", "web", "worker", "worker"]);
    const { AGORA_ROLE: _w, ...webEnv } = web1!.environment!;
    for (const app of apps) expect({ ...app.environment, AGORA_ROLE: undefined }).toEqual({ ...webEnv, AGORA_ROLE: undefined });
    expect(web1!.ports![0]!.split(":")[0]).not.toBe(web2!.ports![0]!.split(":")[0]);
    expect(worker1!.ports ?? []).toEqual([]); // a worker serves no traffic
    expect(postgres!.healthcheck).toBeTruthy();
    expect(redis!.healthcheck).toBeTruthy();

    const known = new Set([...envVariableNames(), "OTEL_EXPORTER_OTLP_ENDPOINT", "POSTGRES_PASSWORD"]);
    const example = root("ops", "docker.env.example").split("\n").map((l) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(l)?.[1]).filter(Boolean);
    for (const name of [...Object.keys(web1!.environment!), ...example]) expect(known.has(name!), name).toBe(true);
  });
});
