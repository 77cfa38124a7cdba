import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/components/ui/markdown";

// Model output is rendered as sanitized markdown (SPEC §10).
describe("Markdown", () => {
  it("renders markdown but never raw HTML or script URLs", () => {
    const html = renderToStaticMarkup(
      <Markdown>{"# Report\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [docs](https://example.com)"}</Markdown>,
    );
    expect(html).toContain("<h1>Report</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("onerror");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it("renders a link with its own attributes only (no stray `node` from the renderer)", () => {
    const html = renderToStaticMarkup(<Markdown>{'[docs](https://example.com "Docs")'}</Markdown>);
    expect(html).toContain('<a href="https://example.com" title="Docs" rel="noopener noreferrer nofollow" target="_blank">docs</a>');
    expect(html).not.toContain("node=");
  });

  it("renders a GitHub-flavoured table as <table> with <th> and <td>, inside a keyboard-focusable scroll region", () => {
    const html = renderToStaticMarkup(<Markdown>{"Totals:\n\n| region | sum_revenue |\n| --- | ---: |\n| EU | 40,500 |\n| US | 56,200 |"}</Markdown>);
    expect(html).not.toContain("| --- |");
    expect(html).toMatch(/<div role="region" aria-label="Table: region, sum_revenue" tabindex="0" class="[^"]*overflow-x-auto[^"]*"><table[^>]*>/);
    expect(html).toMatch(/<th[^>]*>region<\/th>/);
    expect(html).toMatch(/<th[^>]*text-align:right[^>]*>sum_revenue<\/th>/);
    expect(html.match(/<td[^>]*>/g)).toHaveLength(4);
    expect(html).toMatch(/<td[^>]*>US<\/td>/);
    expect(html).toContain("</table></div>");
  });

  it("lets the keyboard reach a code block that scrolls sideways", () => {
    expect(renderToStaticMarkup(<Markdown>{"```\nconst x = 1;\n```"}</Markdown>)).toMatch(/<pre tabindex="0">/);
  });
});
