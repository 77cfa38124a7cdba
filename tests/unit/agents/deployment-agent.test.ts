import { describe, expect, it } from "vitest";
import type { ToolContext } from "@/lib/agents/define-package";
import { lintManifest, lintManifestInputSchema, mutableTag } from "@/lib/agents/deployment-agent/lint-manifest";
import { deploymentAgent } from "@/lib/agents/deployment-agent/package";
import { runOfflinePlan } from "@/lib/agents/run-offline-plan";

const lint = (manifest: string, environment = "production") => lintManifest(lintManifestInputSchema.parse({ manifest, environment }));

const manifest = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{ port: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/web:latest
          env:
            - name: DATABASE_PASSWORD
              value: hunter2
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: { name: web, key: token }
          resources:
            requests: { memory: 128Mi }
          securityContext:
            privileged: true
        - name: sidecar
          image: envoyproxy/envoy:v1.31.2
          resources:
            limits: { memory: 64Mi, cpu: 100m }
          readinessProbe: { httpGet: { path: /ready, port: 9901 } }
          livenessProbe: { httpGet: { path: /ready, port: 9901 } }
      volumes:
        - name: docker
          hostPath: { path: /var/run/docker.sock }
`;

describe("lint_manifest (Kubernetes)", () => {
  const result = lint(manifest);
  const find = (rule: string) => result.findings.filter((f) => f.rule === rule);

  // Lines point at the value; a missing key points at the nearest block that exists (e.g. `resources`' contents).
  it("flags :latest, a missing memory limit, privileged, a literal secret and a host path, with paths and lines", () => {
    expect(result.format).toBe("kubernetes");
    expect(result.documents).toBe(2);
    expect(find("IMAGE-MUTABLE-TAG")).toEqual([expect.objectContaining({ severity: "high", object: "Deployment/web container app", path: "spec.template.spec.containers[0].image", line: 18 })]);
    expect(find("NO-MEMORY-LIMIT")).toEqual([expect.objectContaining({ path: "spec.template.spec.containers[0].resources.limits.memory", line: 26 })]);
    expect(find("PRIVILEGED")).toEqual([expect.objectContaining({ severity: "critical", path: "spec.template.spec.containers[0].securityContext.privileged", line: 28 })]);
    expect(find("SECRET-IN-ENV")).toEqual([expect.objectContaining({ severity: "critical", path: "spec.template.spec.containers[0].env[0].value", line: 21 })]);
    expect(find("HOST-PATH")).toEqual([expect.objectContaining({ object: "Deployment/web", path: "spec.template.spec.volumes[0].hostPath.path", line: 37 })]);
    expect(find("SINGLE-REPLICA")).toHaveLength(1);
    // The pinned, limited, probed sidecar is clean; valueFrom secrets are fine.
    expect(result.findings.filter((f) => f.object.includes("sidecar"))).toEqual([]);
    expect(result.findings[0]!.severity).toBe("critical");
    expect(result.workloads).toEqual([{ kind: "Deployment", name: "web", images: ["registry.example.com/web:latest", "envoyproxy/envoy:v1.31.2"], replicas: 1 }]);
  });

  it("is milder outside production", () => {
    const staging = lint(manifest, "staging");
    expect(staging.findings.find((f) => f.rule === "IMAGE-MUTABLE-TAG")!.severity).toBe("medium");
    expect(staging.findings.some((f) => f.rule === "SINGLE-REPLICA")).toBe(false);
  });

  it("knows mutable tags", () => {
    expect(mutableTag("nginx")).toBe(true);
    expect(mutableTag("nginx:latest")).toBe(true);
    expect(mutableTag("localhost:5000/nginx")).toBe(true);
    expect(mutableTag("localhost:5000/nginx:1.27")).toBe(false);
    expect(mutableTag("nginx@sha256:abc")).toBe(false);
  });
});

describe("lint_manifest (Compose)", () => {
  it("checks services", () => {
    const result = lint(`services:
  db:
    image: postgres
    environment:
      POSTGRES_PASSWORD: example
      POSTGRES_DB: app
    volumes:
      - /srv/pg:/var/lib/postgresql/data
  api:
    image: ghcr.io/acme/api:2.4.1
    mem_limit: 512m
    healthcheck: { test: ["CMD", "curl", "-f", "http://localhost/health"] }
    environment:
      - SESSION_SECRET=\${SESSION_SECRET}
`);
    expect(result.format).toBe("compose");
    const rules = result.findings.map((f) => `${f.object}:${f.rule}:${f.line}`);
    expect(rules).toEqual(expect.arrayContaining(["service db:SECRET-IN-ENV:5", "service db:IMAGE-MUTABLE-TAG:3", "service db:HOST-PATH:8", "service db:NO-MEMORY-LIMIT:3", "service db:NO-HEALTHCHECK:3"]));
    expect(result.findings.filter((f) => f.object === "service api").map((f) => f.rule)).toEqual(["SECRET-IN-ENV"]); // a literal assignment, even of ${…}
  });
});

describe("lint_manifest bad input", () => {
  it("explains what is wrong instead of crashing", () => {
    expect(() => lint("kind: Deployment\n  metadata: [unclosed")).toThrow(/does not parse/);
    expect(() => lint("just: a map\n")).toThrow(/Neither Kubernetes objects/);
    expect(() => lint("\u0000\u0001binary")).toThrow(/binary/);
    expect(lintManifestInputSchema.safeParse({ manifest: "   " }).success).toBe(false);
    expect(lintManifestInputSchema.safeParse({ manifest: "x".repeat(500_001) }).success).toBe(false);
  });
});

describe("Deployment Agent offline", () => {
  it("says no-go on the example and carries the tool's findings into the plan", async () => {
    const ctx = { workspaceId: "ws", runId: "run", signal: new AbortController().signal, db: null } as unknown as ToolContext;
    const out = await runOfflinePlan(deploymentAgent, deploymentAgent.input.parse(deploymentAgent.exampleInput), ctx);
    expect(out.verdict).toBe("no-go");
    expect(out.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(["SECRET-IN-ENV", "IMAGE-MUTABLE-TAG", "NO-MEMORY-LIMIT", "NO-LIVENESS-PROBE"]));
    expect(out.rolloutPlan[0]).toMatch(/Fix the critical and high findings/);
    expect(out.rolloutPlan.join("\n")).toContain("kubectl rollout status deployment/checkout");
  });
});
