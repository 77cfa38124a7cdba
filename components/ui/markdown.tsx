import ReactMarkdown, { defaultUrlTransform } from "react-markdown";

/**
 * Model output as sanitized markdown (SPEC §10): raw HTML in the source is
 * shown as text, never rendered; link and image URLs other than http(s),
 * mailto and relative ones (javascript:, data:…) are dropped.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="prose-agora space-y-3 text-sm leading-relaxed text-slate-800">
      <ReactMarkdown skipHtml urlTransform={(url) => defaultUrlTransform(url)} components={{ a: ({ node: _node, ...props }) => <a {...props} rel="noopener noreferrer nofollow" target="_blank" /> }}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
