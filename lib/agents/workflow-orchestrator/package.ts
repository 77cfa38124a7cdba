import { z } from "zod";
import { definePackage, defineTool, type ChildRunResult } from "../define-package";
import { findAgents, findAgentsInputSchema, type AgentMatch } from "./find-agents";

const SLUG = "workflow-orchestrator";

const stepSchema = z.object({
  agent: z.string().trim().min(1, "Name the agent by its slug.").max(100),
  input: z.record(z.string(), z.unknown()),
  why: z.string().trim().max(500).optional(),
});

const inputSchema = z.object({
  goal: z.string().trim().min(3, "Describe the goal.").max(4_000),
  steps: z.array(stepSchema).max(10).optional(),
});

const runAgentInputSchema = z.object({
  agent: z.string().trim().min(1).max(100),
  input: z.record(z.string(), z.unknown()),
});

const childSchema = z.object({
  runId: z.string(),
  agent: z.string(),
  status: z.enum(["SUCCEEDED", "FAILED", "CANCELED"]),
  priceMicros: z.number().int(),
  error: z.string().nullable(),
});

const outputSchema = z.object({
  plan: z.array(z.object({ step: z.number().int(), agent: z.string(), why: z.string() })),
  children: z.array(childSchema),
  result: z.string().min(1),
});

/** A one-line account of a child's output: its summary-ish fields, else its size. */
function describeOutput(output: unknown): string {
  if (!output || typeof output !== "object") return "no output";
  const o = output as Record<string, unknown>;
  for (const key of ["summary", "answer", "verdict", "team", "category", "report"]) {
    const v = o[key];
    if (typeof v === "string" && v.trim()) return v.trim().split("\n")[0]!.slice(0, 300);
  }
  const lists = Object.entries(o).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
  return lists.length ? lists.map(([k, v]) => `${v.length} ${k}`).join(", ") : `${Object.keys(o).length} field(s)`;
}

export const workflowOrchestrator = definePackage({
  slug: SLUG,
  name: "Workflow Orchestrator",
  summary: "Breaks a goal into steps and runs other agents for them as child runs — each a full, metered run — then combines their results.",
  description: [
    "Give a `goal` and, optionally, explicit `steps` (`{ agent, input }` each, up to 10).",
    "",
    "- `run_agent` runs another package as a **child run**: validated, priced and charged like any run, linked to this one, and shown as a tree on this run's page. Agents may call agents at most 3 levels deep.",
    "- `find_agents` lists the published agents that fit the goal.",
    "",
    "With Claude, the orchestrator plans the steps itself; the offline model runs the explicit `steps` in order (without them it proposes agents for the goal).",
  ].join("\n"),
  category: "automation",
  capabilities: ["orchestration", "multi-agent", "workflow"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 4_096,
  baseFeeMicros: 1_000n,
  input: inputSchema,
  output: outputSchema,
  exampleInput: {
    goal: "Check the new service for leaked secrets, then lint its deployment manifest.",
    steps: [
      { agent: "security-scanner", input: { files: [{ path: "app/config.py", content: 'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n' }] }, why: "find secrets in the code" },
      {
        agent: "deployment-agent",
        input: { manifest: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: acme/web:latest\n", environment: "production" },
        why: "check the manifest before rollout",
      },
    ],
  },
  systemPrompt:
    "You orchestrate other agents. If the goal comes with steps, run them in order with run_agent. Otherwise call find_agents, decide the steps, and run each with the input its schema needs. Each run_agent call is a full, charged run: do not repeat one that succeeded. Return the plan, every child run (id, agent, status, price, error) and a combined result that answers the goal.",
  tools: [
    defineTool({
      name: "run_agent",
      description: "Run another agent package as a child run of this one and wait for it to end. Returns its run id, status, output, error and price.",
      input: runAgentInputSchema,
      handler: async (input, ctx): Promise<ChildRunResult> => {
        if (!ctx.runAgent) throw new Error("Child runs are not available here.");
        return ctx.runAgent(input.agent, input.input);
      },
    }),
    defineTool({
      name: "find_agents",
      description: "The published agents that fit a goal, best first, with the words that matched.",
      input: findAgentsInputSchema,
      handler: (input, ctx) => findAgents(ctx.db, input, [SLUG]),
    }),
  ],
  offline: {
    plan: (input) => (input.steps?.length ? input.steps.map((s) => ({ tool: "run_agent", input: { agent: s.agent, input: s.input } })) : [{ tool: "find_agents", input: { goal: input.goal } }]),
    compose: (input, results) => {
      const children = (results["run_agent*"] ?? []) as ChildRunResult[];
      if (!input.steps?.length) {
        const { agents } = results.find_agents as { agents: AgentMatch[] };
        return {
          plan: agents.map((a, i) => ({ step: i + 1, agent: a.slug, why: `matches ${a.matched.join(", ")}` })),
          children: [],
          result: agents.length
            ? `Proposed agents for "${input.goal}": ${agents.map((a) => a.name).join(", ")}. The offline model runs explicit steps only; add \`steps\` with each agent's input to run them.`
            : `No published agent matches "${input.goal}".`,
        };
      }
      const lines = children.map((c, i) => `${i + 1}. **${c.agent}** — ${c.status}${c.error ? `: ${c.error.message}` : `: ${describeOutput(c.output)}`}`);
      const ok = children.filter((c) => c.status === "SUCCEEDED").length;
      return {
        plan: input.steps.map((s, i) => ({ step: i + 1, agent: s.agent, why: s.why ?? "given step" })),
        children: children.map((c) => ({ runId: c.runId, agent: c.agent, status: c.status, priceMicros: c.priceMicros, error: c.error?.message ?? null })),
        result: [`${ok} of ${children.length} step(s) succeeded for "${input.goal}".`, "", ...lines].join("\n"),
      };
    },
  },
});
