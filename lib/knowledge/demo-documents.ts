// The demo workspace's knowledge base (issue 4): the documents a small SaaS team
// would really have — a product FAQ, two incident runbooks, an on-call policy and
// a deploy checklist. Seeded once; the Knowledge Base Agent, Ticket Resolver and
// Incident Responder read them.

export const demoDocuments: { title: string; source: string; text: string }[] = [
  {
    title: "Acme Analytics — Product FAQ",
    source: "product-faq.md",
    text: `# Acme Analytics — Product FAQ

## Accounts and sign-in

### How do I reset my password?
Open the sign-in page and choose **Forgot password**. We email a reset link that is valid for 30 minutes. If the email does not arrive within five minutes, check the spam folder and make sure the address is the one on your account. Workspace owners can also trigger a reset for a member from **Settings → Members**.

### Can I turn on two-factor authentication?
Yes. Go to **Profile → Security** and enable an authenticator app (TOTP). Owners on the Business plan can require two-factor authentication for every member of the workspace.

### How do I change the email address on my account?
Go to **Profile → Account**, enter the new address and confirm it from the verification email. Until you confirm, sign-in keeps using the old address.

## Billing and plans

### How do refunds work?
Annual plans can be refunded in full within 30 days of purchase. Monthly plans are not refunded, but you can cancel at any time and keep access until the end of the paid period. Refunds go back to the original card within 5–10 business days.

### How is usage billed?
Every plan includes a monthly event quota. Events above the quota are billed at $0.20 per 1,000 events at the end of the month. The **Usage** page shows the month so far and a forecast.

### How do I download an invoice?
Invoices are in **Settings → Billing → Invoices** as PDF. Each invoice shows the VAT number you entered in the billing profile.

## Data and integrations

### How long do you keep my data?
Raw events are kept for 13 months on the Team plan and 25 months on Business. Aggregated reports are kept for as long as the workspace exists. Deleting a workspace erases its data within 30 days.

### Which integrations are supported?
Segment, Snowflake, BigQuery, Postgres and webhooks. The Snowflake and BigQuery exports run hourly; webhooks fire within a minute of the event.

### Why are my dashboards showing no data?
Most often the tracking snippet is not installed on the page, or an ad blocker drops the requests. Open **Settings → Sources**, check that the source shows a recent event, and use the live debugger to watch events arrive.
`,
  },
  {
    title: "Runbook: database connection pool exhausted",
    source: "runbook-db-connection-pool.md",
    text: `# Runbook: database connection pool exhausted

## Symptoms
- API latency climbs and requests fail with \`timeout acquiring connection from pool\` or \`sorry, too many clients already\`.
- The \`db_pool_waiting\` metric is above zero for more than a minute; \`db_pool_in_use\` sits at the pool maximum.
- Alert: **DatabaseConnectionsSaturated** fires when PostgreSQL reports more than 90% of \`max_connections\` in use.

## Impact
Every request that needs the database queues behind the pool. Checkout, sign-in and ingestion all degrade together. Treat as **SEV-2**, or **SEV-1** if checkout errors exceed 5%.

## Diagnosis
1. Check the API dashboard for the error rate and the pool metrics per pod.
2. In PostgreSQL, list sessions by state: \`SELECT state, count(*) FROM pg_stat_activity GROUP BY state;\` Many \`idle in transaction\` sessions mean a code path holds a transaction open.
3. Look for long-running queries: \`SELECT pid, now() - query_start AS age, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY age DESC LIMIT 10;\`
4. Check whether a deploy went out in the last hour; a new query without an index is the usual cause.

## Remediation
1. Terminate sessions that are idle in transaction for more than five minutes with \`pg_terminate_backend(pid)\`.
2. If a recent deploy introduced the slow query, roll it back (see the deploy checklist).
3. Scale the API down to fewer pods if the total pool size across pods exceeds \`max_connections\`; every pod opens up to 20 connections.
4. Raise \`statement_timeout\` protection: set it to 30 s for the API role so runaway queries end on their own.
5. When the pool recovers, post an update in #incidents and open a follow-up ticket for the slow query.

## Prevention
Route the API through PgBouncer in transaction mode, keep per-pod pools small, and add a CI check that every new query has an index.
`,
  },
  {
    title: "Runbook: payment gateway timeouts at checkout",
    source: "runbook-payment-gateway.md",
    text: `# Runbook: payment gateway timeouts at checkout

## Symptoms
- Checkout requests return **504 Gateway Timeout** or \`upstream request timeout\` from the payments service.
- The \`payments_gateway_latency_p99\` metric is above 8 seconds; \`payments_errors_total{reason="timeout"}\` is climbing.
- Customers report that the card form spins and then fails, or that they were charged twice.

## Impact
Customers cannot pay. Treat as **SEV-1** when more than 2% of checkouts fail for five minutes.

## Diagnosis
1. Check the payment provider's status page and our provider latency dashboard.
2. Compare the error rate per region; a single region points at our egress (NAT gateway) rather than the provider.
3. Check the circuit breaker state of the payments service; an open breaker returns errors without calling the provider.

## Remediation
1. If the provider is degraded, switch checkout to the secondary provider with the \`payments.failover\` feature flag.
2. If only one region fails, drain that region from the load balancer.
3. Never retry a charge without its idempotency key; duplicate charges are refunded from the payments admin and reported to finance.
4. Post a status page update within 15 minutes of declaring the incident.

## Follow-up
Reconcile charges against orders for the incident window and refund duplicates within 24 hours.
`,
  },
  {
    title: "On-call policy",
    source: "on-call-policy.md",
    text: `# On-call policy

## Rotation
Engineering runs a weekly primary and secondary on-call rotation that hands over on Mondays at 10:00 UTC. The schedule lives in PagerDuty; swaps are allowed when both people agree and the schedule is updated before the shift starts.

## Response times
| Severity | Acknowledge within | Who is paged |
|---|---|---|
| SEV-1 (customers cannot pay, sign in or use the product) | 5 minutes, day or night | primary, then secondary after 10 minutes, then the engineering manager |
| SEV-2 (a major feature is degraded) | 15 minutes, day or night | primary, then secondary after 30 minutes |
| SEV-3 (minor, workaround exists) | next business day | ticket to the owning team |

## Escalation
If the primary does not acknowledge, PagerDuty escalates automatically to the secondary and then to the engineering manager. Anyone may escalate by hand; escalating early is always acceptable. Security incidents go straight to the security lead, whatever their severity.

## During an incident
The first responder is the incident commander until they hand over. Open a channel named #inc-<date>-<topic>, post updates every 30 minutes for SEV-1 and every hour for SEV-2, and keep a timeline.

## After an incident
A blameless postmortem is written within five business days for every SEV-1 and SEV-2, with action items that have owners and due dates.

## Compensation
Each week on primary on-call earns one day off; a page between 22:00 and 07:00 local time earns an extra half day.
`,
  },
  {
    title: "Deploy checklist",
    source: "deploy-checklist.md",
    text: `# Deploy checklist

## Before the deploy
1. The change is merged to \`main\`, CI is green, and the release notes are written.
2. Database migrations are backwards compatible: the previous release must run against the new schema (add columns nullable, backfill later, drop in a later release).
3. Feature flags for risky changes default to off.
4. Nobody deploys on Friday after 15:00 or during a declared incident.

## Rolling out to production
1. Deploy to staging and run the smoke tests.
2. Start the canary: 5% of production traffic for 15 minutes.
3. Watch the canary dashboard: error rate, p99 latency, and saturation must stay within 10% of the baseline.
4. Promote to 25%, then 100%, watching the same signals for 10 minutes at each step.

## Rolling back
If the error rate or latency of the canary breaks the thresholds, roll back at once: \`deploy rollback --to previous\`. Roll back first and investigate later. Migrations are never rolled back by hand; write a forward fix.

## After the deploy
Post the release in #releases with the version and the release notes, and keep watching the dashboards for 30 minutes.
`,
  },
];
