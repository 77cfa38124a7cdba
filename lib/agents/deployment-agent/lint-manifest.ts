import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from "yaml";
import { z } from "zod";

// lint_manifest: parses Kubernetes YAML (one or more documents) or a Docker
// Compose file and checks what breaks deployments: mutable image tags, missing
// resource limits and probes, privileged containers, host paths, and secrets
// written into environment variables. Each finding names the object, the path
// inside it and the line.

export const environments = ["development", "staging", "production"] as const;
export const severities = ["critical", "high", "medium", "low"] as const;

export const lintManifestInputSchema = z.object({
  manifest: z.string().trim().min(1, "Paste a Kubernetes manifest or a Compose file.").max(500_000),
  environment: z.enum(environments).default("production"),
});

export type ManifestFinding = { severity: (typeof severities)[number]; rule: string; object: string; path: string; line: number; message: string; fix: string };
export type Workload = { kind: string; name: string; images: string[]; replicas: number | null };
export type LintResult = { format: "kubernetes" | "compose"; documents: number; workloads: Workload[]; findings: ManifestFinding[] };

export class ManifestError extends Error {}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob"]);
const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"]);
const SECRET_NAME = /(pass(word)?|secret|token|api[_-]?key|private[_-]?key|credentials?)$/i;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The image's tag is missing or `latest` (a digest pins it). */
export function mutableTag(image: string): boolean {
  if (image.includes("@sha256:")) return false;
  const last = image.split("/").at(-1) ?? image;
  const tag = last.includes(":") ? last.slice(last.lastIndexOf(":") + 1) : "";
  return tag === "" || tag === "latest";
}

class Linter {
  readonly findings: ManifestFinding[] = [];
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly production: boolean,
  ) {}

  /** The line of the deepest node of `path` that exists (a missing key points at its parent). */
  line(path: (string | number)[]): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = (depth ? this.doc.getIn(path.slice(0, depth), true) : this.doc.contents) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  add(severity: ManifestFinding["severity"], rule: string, object: string, path: (string | number)[], message: string, fix: string) {
    const shown = path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${p}`)).join("");
    this.findings.push({ severity, rule, object, path: shown, line: this.line(path), message, fix });
  }

  image(object: string, path: (string | number)[], image: string) {
    if (mutableTag(image)) {
      this.add(this.production ? "high" : "medium", "IMAGE-MUTABLE-TAG", object, path, `Image '${image}' uses ${image.includes(":latest") ? "the :latest tag" : "no tag (implicitly :latest)"}, so what runs can change without a deploy.`, "Pin a version tag or a digest (image@sha256:…).");
    }
  }

  env(object: string, path: (string | number)[], name: string, literal: boolean) {
    if (literal && SECRET_NAME.test(name)) {
      this.add("critical", "SECRET-IN-ENV", object, path, `Environment variable ${name} holds a literal secret in the manifest.`, "Reference a Secret (valueFrom.secretKeyRef / env_file / secrets) instead of a value.");
    }
  }
}

function lintKubernetes(linter: Linter, doc: Json, workloads: Workload[]) {
  const kind = String(doc.kind ?? "");
  if (!WORKLOADS.has(kind)) return;
  const name = `${kind}/${String(obj(doc.metadata).name ?? "(unnamed)")}`;
  const podPath: (string | number)[] = kind === "Pod" ? ["spec"] : kind === "CronJob" ? ["spec", "jobTemplate", "spec", "template", "spec"] : ["spec", "template", "spec"];
  const pod = podPath.reduce<unknown>((node, key) => obj(node)[key as string], doc);
  const containers = arr(obj(pod).containers);
  const replicas = typeof obj(doc.spec).replicas === "number" ? (obj(doc.spec).replicas as number) : null;
  workloads.push({ kind, name: String(obj(doc.metadata).name ?? ""), images: containers.map((c) => String(obj(c).image ?? "")), replicas });

  containers.forEach((raw, i) => {
    const c = obj(raw);
    const at = [...podPath, "containers", i];
    const cname = `${name} container ${String(c.name ?? i)}`;
    if (typeof c.image === "string") linter.image(cname, [...at, "image"], c.image);
    const limits = obj(obj(c.resources).limits);
    if (!limits.memory) linter.add("high", "NO-MEMORY-LIMIT", cname, [...at, "resources", "limits", "memory"], "No memory limit: one leak can starve the node.", "Set resources.limits.memory (and requests).");
    if (!limits.cpu) linter.add("low", "NO-CPU-LIMIT", cname, [...at, "resources", "limits", "cpu"], "No CPU limit.", "Set resources.limits.cpu, or document why the workload may burst.");
    if (LONG_RUNNING.has(kind)) {
      if (!c.readinessProbe) linter.add("medium", "NO-READINESS-PROBE", cname, [...at, "readinessProbe"], "No readiness probe: traffic arrives before the app is ready.", "Add a readinessProbe.");
      if (!c.livenessProbe) linter.add("medium", "NO-LIVENESS-PROBE", cname, [...at, "livenessProbe"], "No liveness probe: a hung process is never restarted.", "Add a livenessProbe.");
    }
    if (obj(c.securityContext).privileged === true) linter.add("critical", "PRIVILEGED", cname, [...at, "securityContext", "privileged"], "The container runs privileged: it can take over the node.", "Remove privileged: true; grant only the capabilities it needs.");
    arr(c.env).forEach((e, j) => linter.env(cname, [...at, "env", j, "value"], String(obj(e).name ?? ""), "value" in obj(e)));
  });
  arr(obj(pod).volumes).forEach((v, i) => {
    const hostPath = obj(obj(v).hostPath).path;
    if (hostPath) linter.add("high", "HOST-PATH", name, [...podPath, "volumes", i, "hostPath", "path"], `Mounts the node's ${String(hostPath)}.`, "Use a PersistentVolumeClaim, ConfigMap or Secret instead of hostPath.");
  });
  if (replicas === 1 && linter.production && kind !== "Pod") linter.add("low", "SINGLE-REPLICA", name, ["spec", "replicas"], "One replica in production: every deploy or node failure is downtime.", "Run at least two replicas with a PodDisruptionBudget.");
}

function lintCompose(linter: Linter, doc: Json, workloads: Workload[]) {
  for (const [service, raw] of Object.entries(obj(doc.services))) {
    const s = obj(raw);
    const at = ["services", service];
    const name = `service ${service}`;
    workloads.push({ kind: "service", name: service, images: typeof s.image === "string" ? [s.image] : [], replicas: typeof obj(s.deploy).replicas === "number" ? (obj(s.deploy).replicas as number) : null });
    if (typeof s.image === "string") linter.image(name, [...at, "image"], s.image);
    if (!s.mem_limit && !obj(obj(obj(s.deploy).resources).limits).memory) linter.add("high", "NO-MEMORY-LIMIT", name, [...at, "deploy", "resources", "limits", "memory"], "No memory limit.", "Set deploy.resources.limits.memory (or mem_limit).");
    if (!s.healthcheck) linter.add("medium", "NO-HEALTHCHECK", name, [...at, "healthcheck"], "No healthcheck: a hung service looks healthy.", "Add a healthcheck.");
    if (s.privileged === true) linter.add("critical", "PRIVILEGED", name, [...at, "privileged"], "The service runs privileged.", "Remove privileged: true.");
    arr(s.volumes).forEach((v, i) => {
      const source = typeof v === "string" ? v.split(":")[0]! : String(obj(v).source ?? "");
      if (source.startsWith("/") || (typeof v !== "string" && obj(v).type === "bind")) linter.add("high", "HOST-PATH", name, [...at, "volumes", i], `Bind-mounts the host's ${source}.`, "Use a named volume.");
    });
    const env = s.environment;
    if (Array.isArray(env)) env.forEach((e, i) => { const [k, ...rest] = String(e).split("="); linter.env(name, [...at, "environment", i], k!, rest.length > 0); });
    else for (const [k, v] of Object.entries(obj(env))) linter.env(name, [...at, "environment", k], k, v !== null && v !== undefined && v !== "");
  }
}

/** The lint_manifest tool. */
export function lintManifest(input: z.output<typeof lintManifestInputSchema>): LintResult {
  if (input.manifest.includes("\u0000")) throw new ManifestError("This looks like a binary file, not YAML.");
  const lines = new LineCounter();
  const docs = parseAllDocuments(input.manifest, { lineCounter: lines, prettyErrors: true });
  if (!Array.isArray(docs)) throw new ManifestError("The manifest is empty.");
  const broken = docs.flatMap((d) => d.errors);
  if (broken.length) throw new ManifestError(`The YAML does not parse: ${broken[0]!.message.split("\n")[0]}`);
  const values = docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  const compose = docs.length === 1 && isMap(docs[0]!.contents) && "services" in obj(values[0]);
  if (!compose && !values.some((v) => obj(v).kind)) throw new ManifestError("Neither Kubernetes objects (with `kind`) nor a Compose file (with `services`) were found.");
  const workloads: Workload[] = [];
  const findings: ManifestFinding[] = [];
  docs.forEach((doc, i) => {
    if (!isMap(doc.contents) && !isSeq(doc.contents)) return;
    const linter = new Linter(doc, lines, input.environment === "production");
    if (compose) lintCompose(linter, obj(values[i]), workloads);
    else lintKubernetes(linter, obj(values[i]), workloads);
    findings.push(...linter.findings);
  });
  const order = Object.fromEntries(severities.map((s, i) => [s, i]));
  findings.sort((a, b) => order[a.severity]! - order[b.severity]! || a.line - b.line);
  return { format: compose ? "compose" : "kubernetes", documents: docs.length, workloads, findings };
}
