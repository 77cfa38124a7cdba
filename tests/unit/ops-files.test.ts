import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { metrics } from "@/lib/observability/metrics";

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
});
