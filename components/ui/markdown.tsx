import ReactMarkdown, { defaultUrlTransform, type Components, type ExtraProps } from "react-markdown";
import remarkGfm from "remark-gfm";

type HastNode = { type: string; tagName?: string; value?: string; children?: HastNode[] };

const textOf = (node: HastNode): string => (node.type === "text" ? (node.value ?? "") : (node.children ?? []).map(textOf).join(""));
const firstRow = (node: HastNode): HastNode | undefined => (node.tagName === "tr" ? node : (node.children ?? []).map(firstRow).find(Boolean));

/** A table's name for assistive technology: its column headings. */
function tableLabel(node: ExtraProps["node"]): string {
  const row = node ? firstRow(node as HastNode) : undefined;
  const headings = (row?.children ?? []).filter((c) => c.type === "element").map((c) => textOf(c).trim()).filter(Boolean);
  return headings.length ? `Table: ${headings.join(", ")}`.slice(0, 120) : "Table";
}

// Wide tables and code scroll inside their own box, which the keyboard can reach (axe: scrollable-region-focusable).
const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} rel="noopener noreferrer nofollow" target="_blank" />,
  pre: ({ node: _node, ...props }) => <pre {...props} tabIndex={0} />,
  table: ({ node, ...props }) => (
    <div role="region" aria-label={tableLabel(node)} tabIndex={0} className="max-w-full overflow-x-auto rounded-md ring-1 ring-slate-200">
      <table {...props} className="min-w-full text-left text-sm" />
    </div>
  ),
  thead: ({ node: _node, ...props }) => <thead {...props} className="bg-slate-50 text-xs text-slate-700" />,
  th: ({ node: _node, ...props }) => <th {...props} className="whitespace-nowrap border-b border-slate-200 px-3 py-2 font-semibold" />,
  td: ({ node: _node, ...props }) => <td {...props} className="border-b border-slate-100 px-3 py-1.5 align-top" />,
};

/**
 * Model output as sanitized markdown (SPEC §10), GitHub-flavoured (tables,
 * strikethrough, task lists, autolinks): raw HTML in the source is shown as
 * text, never rendered; link and image URLs other than http(s), mailto and
 * relative ones (javascript:, data:…) are dropped.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="prose-agora space-y-3 text-sm leading-relaxed text-slate-800">
      <ReactMarkdown skipHtml remarkPlugins={[remarkGfm]} urlTransform={(url) => defaultUrlTransform(url)} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
