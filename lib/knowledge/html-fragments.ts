// Cuts an HTML document into small, shallow fragments for html-to-text, in one
// linear pass (issue 14). html-to-text builds a DOM and walks it recursively in
// one synchronous call: 50,000 nested <div>s overflowed the stack (a 500 after
// 5.5 s), a few thousand took seconds, and a 2 MB page blocked the server for
// seconds. Here elements nested deeper than MAX_DEPTH lose their tags (their
// text stays), scripts, styles and comments are dropped, and the document is
// cut after a block element once a fragment reaches FRAGMENT_CHARS, with the
// open elements (table, list…) re-opened at the start of the next fragment.
// Inside a table a cut falls only after a closed row (a fragment that began
// mid-row, with only <table> re-opened, would lose its cells' text), or, for a
// table whose rows leave out their end tags, once a fragment reaches
// TABLE_FRAGMENT_CHARS — then at a start tag of a row.

const MAX_DEPTH = 48;
const FRAGMENT_CHARS = 16_384;
const TABLE_FRAGMENT_CHARS = 8 * FRAGMENT_CHARS;

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
/** Elements whose end tag may be left out: the parser closes them itself, so they never nest deep. */
const OPTIONAL_END = new Set(["p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup", "caption"]);
const BLOCK = new Set(["p", "div", "li", "tr", "table", "ul", "ol", "dl", "section", "article", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr"]);
/** Elements whose content is not text to index, dropped up to their end tag. */
const DROPPED = ["script", "style", "title", "template", "noscript"];
const DROPPED_END = new Map(DROPPED.map((name) => [name, new RegExp(`</${name}\\s*>`, "gi")]));
/** How far up the open elements an end tag may close (a browser closes the ones in between). */
const CLOSE_REACH = 16;

/** Where `name` is open, looking at most CLOSE_REACH elements up; -1 if it is not. */
function openAt(open: string[], name: string): number {
  for (let at = open.length - 1; at >= Math.max(0, open.length - CLOSE_REACH); at--) if (open[at] === name) return at;
  return -1;
}

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>?/y;

export function htmlFragments(html: string): string[] {
  const fragments: string[] = [];
  const open: string[] = []; // every open element, innermost last
  let tables = 0; // how many of them are tables
  let out = "";
  const closeTo = (at: number) => {
    for (let k = at; k < open.length; k++) if (open[k] === "table") tables--;
    open.length = at;
  };

  const cut = () => {
    if (out.trim()) fragments.push(out);
    out = open
      .slice(0, MAX_DEPTH)
      .map((name) => `<${name}>`)
      .join("");
  };
  const text = (s: string) => {
    // A giant text node is cut too: at a space if there is one near, never inside an entity.
    // Within a table, only past TABLE_FRAGMENT_CHARS, and then the next fragment re-opens the row and cell.
    const size = tables ? TABLE_FRAGMENT_CHARS : FRAGMENT_CHARS;
    let from = 0;
    while (s.length - from > size) {
      const window = s.slice(from, from + size);
      let at = window.lastIndexOf(" ");
      if (at <= 0) at = size;
      const amp = window.lastIndexOf("&", at);
      if (amp > 0 && amp > at - 32) at = amp;
      out += window.slice(0, at);
      cut();
      if (tables) out += "<tr><td>";
      from += at;
    }
    out += s.slice(from);
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[lt + 1] === "!" || html[lt + 1] === "?") {
      const end = html.indexOf(">", lt);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) {
      text("&lt;");
      i = lt + 1;
      continue;
    }
    const [tag, slash, rawName] = m;
    const name = rawName!.toLowerCase();
    i = lt + tag.length;
    const dropUntil = DROPPED_END.get(name);
    if (dropUntil && !slash) {
      dropUntil.lastIndex = i;
      const end = dropUntil.exec(html);
      i = end ? end.index + end[0].length : html.length;
      continue;
    }
    const opening = !slash && !VOID.has(name);
    // A run of inline markup: cut before a start tag, never after one (in a table, before a row).
    if (opening && (tables ? name === "tr" && out.length >= TABLE_FRAGMENT_CHARS : out.length >= 2 * FRAGMENT_CHARS)) cut();
    if (VOID.has(name) || OPTIONAL_END.has(name)) {
      out += tag;
    } else if (!slash) {
      open.push(name);
      if (name === "table") tables++;
      if (open.length <= MAX_DEPTH) out += tag;
    } else {
      const at = openAt(open, name);
      if (at < 0) continue; // an end tag with nothing (near) to close
      if (at < MAX_DEPTH) out += tag;
      closeTo(at);
    }
    const cutHere = tables ? slash && name === "tr" && out.length >= FRAGMENT_CHARS : !opening && out.length >= (BLOCK.has(name) ? FRAGMENT_CHARS : 2 * FRAGMENT_CHARS);
    if (cutHere) cut();
  }
  if (out.trim()) fragments.push(out);
  return fragments;
}
