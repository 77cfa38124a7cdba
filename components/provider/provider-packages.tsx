"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatUsd } from "@/components/ui/format";
import { QueryStates } from "@/components/ui/query-states";
import { TableHead } from "@/components/ui/table-head";
import { useProviderPackages } from "./use-provider-packages";
import { VersionStatus } from "./version-status";

const newPackage = (
  <Link href="/provider/packages/new" className={buttonClass("primary")}>
    Create package
  </Link>
);

/** The provider's packages, each with its versions and their review state; each version opens its editor. */
export function ProviderPackages() {
  const q = useProviderPackages();
  return (
    <Card title="Packages" description="Your agents on Agora. A version goes from draft to validated, then to Agora's review; once approved it is published." actions={newPackage}>
      <QueryStates
        query={q}
        noun="packages"
        isEmpty={q.data?.length === 0}
        empty={<EmptyState title="No packages yet">Create a package from a manifest: its schemas, instructions or endpoint, and its price.</EmptyState>}
      >
        {(packages) => (
          <div className="sm:overflow-x-auto">
            <table className="table-stack w-full text-left text-sm sm:min-w-[40rem]" data-testid="provider-packages">
              <TableHead className="border-b border-slate-200" columns={["Package", "Kind", "Versions", "Base fee"]} />
              <tbody className="divide-y divide-slate-100">
                {packages.map((p) => (
                  <tr key={p.slug} data-testid="provider-package-row">
                    <td data-label="Package" className="px-4 py-2">
                      <span className="font-medium">{p.name}</span> <span className="font-mono text-xs text-slate-500">{p.slug}</span>
                      {p.published && (
                        <Link href={`/agents/${p.slug}`} className="ml-2 text-xs underline">
                          catalog page
                        </Link>
                      )}
                    </td>
                    <td data-label="Kind" className="px-4 py-2 lowercase">{p.kind}</td>
                    <td data-label="Versions" className="px-4 py-2">
                      <ul className="flex flex-wrap gap-2">
                        {p.versions.map((v) => (
                          <li key={v.version}>
                            <Link href={`/provider/packages/${p.slug}/${v.version}`} className="inline-flex items-center gap-1 rounded px-1 underline" aria-label={`${p.slug} ${v.version}: ${v.status.toLowerCase()}`}>
                              <span className="font-mono text-xs">{v.version}</span> <VersionStatus status={v.status} />
                            </Link>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td data-label="Base fee" className="px-4 py-2 tabular-nums">{formatUsd(p.versions[0]!.baseFeeMicros)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryStates>
    </Card>
  );
}
