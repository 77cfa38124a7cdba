// The small expression language of `filter` and `derive` steps. Customer text is
// tokenised and parsed into a tree, then interpreted; it is never evaluated as
// code. Grammar (lowest precedence first):
//   or → and ("or" and)*          and → not ("and" not)*        not → "not" not | cmp
//   cmp → sum (("=" | "==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
//   sum → prod (("+" | "-") prod)*   prod → unary (("*" | "/" | "%") unary)*
//   unary → "-" unary | atom
//   atom → number | 'string' | "string" | true | false | null | column | [Column Name] | fn "(" args ")" | "(" or ")"

export type Value = string | number | boolean | null;
export type Row = Record<string, string>;

type Node =
  | { kind: "lit"; value: Value }
  | { kind: "col"; name: string }
  | { kind: "call"; fn: string; args: Node[] }
  | { kind: "un"; op: "-" | "not"; arg: Node }
  | { kind: "bin"; op: string; left: Node; right: Node };

export class ExpressionError extends Error {}

type Token = { t: "num" | "str" | "id" | "col" | "op" | "eof"; v: string; at: number };

const MAX_LENGTH = 2_000;
const MAX_DEPTH = 64;

function tokenize(src: string): Token[] {
  if (src.length > MAX_LENGTH) throw new ExpressionError(`Expression is longer than ${MAX_LENGTH} characters.`);
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const at = i;
    if (/[0-9.]/.test(c)) {
      const m = /^\d*\.?\d+(?:[eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw new ExpressionError(`Unexpected '${c}' at position ${at + 1}.`);
      out.push({ t: "num", v: m[0], at });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      let j = i + 1, s = "";
      while (j < src.length && src[j] !== c) s += src[j++];
      if (j >= src.length) throw new ExpressionError(`Unterminated string starting at position ${at + 1}.`);
      out.push({ t: "str", v: s, at });
      i = j + 1;
    } else if (c === "[") {
      const j = src.indexOf("]", i);
      if (j < 0) throw new ExpressionError(`Unclosed '[' at position ${at + 1}.`);
      out.push({ t: "col", v: src.slice(i + 1, j), at });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: "id", v: m[0], at });
      i += m[0].length;
    } else {
      const op = ["==", "!=", "<=", ">="].find((o) => src.startsWith(o, i)) ?? (/[-+*/%=<>(),]/.test(c) ? c : null);
      if (!op) throw new ExpressionError(`Unexpected '${c}' at position ${at + 1}.`);
      out.push({ t: "op", v: op, at });
      i += op.length;
    }
  }
  out.push({ t: "eof", v: "", at: src.length });
  return out;
}

type Fn = { arity: [number, number]; run: (args: Value[]) => Value };

const str = (v: Value) => (v === null ? "" : String(v));
export const toNumber = (v: Value): number | null => {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === null || String(v).trim() === "") return null;
  const n = Number(String(v).replace(/,/g, ""));
  return Number.isFinite(n) ? n : null;
};
const num = (v: Value) => toNumber(v);

export const functions: Record<string, Fn> = {
  lower: { arity: [1, 1], run: ([a]) => str(a!).toLowerCase() },
  upper: { arity: [1, 1], run: ([a]) => str(a!).toUpperCase() },
  trim: { arity: [1, 1], run: ([a]) => str(a!).trim() },
  length: { arity: [1, 1], run: ([a]) => str(a!).length },
  concat: { arity: [1, 20], run: (args) => args.map(str).join("") },
  contains: { arity: [2, 2], run: ([a, b]) => str(a!).toLowerCase().includes(str(b!).toLowerCase()) },
  starts_with: { arity: [2, 2], run: ([a, b]) => str(a!).startsWith(str(b!)) },
  ends_with: { arity: [2, 2], run: ([a, b]) => str(a!).endsWith(str(b!)) },
  number: { arity: [1, 1], run: ([a]) => num(a!) },
  abs: { arity: [1, 1], run: ([a]) => { const n = num(a!); return n === null ? null : Math.abs(n); } },
  round: {
    arity: [1, 2],
    run: ([a, d]) => {
      const n = num(a!);
      const places = Math.max(0, Math.min(10, Math.trunc(num(d ?? 0) ?? 0)));
      return n === null ? null : Math.round(n * 10 ** places) / 10 ** places;
    },
  },
  coalesce: { arity: [1, 20], run: (args) => args.find((v) => v !== null && v !== "") ?? null },
  if: { arity: [3, 3], run: ([c, a, b]) => (truthy(c!) ? a! : b!) },
  is_empty: { arity: [1, 1], run: ([a]) => a === null || str(a!).trim() === "" },
};

function truthy(v: Value): boolean {
  return !(v === null || v === false || v === 0 || v === "" || v === "false");
}

function parse(src: string): Node {
  const tokens = tokenize(src);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isOp = (...ops: string[]) => peek().t === "op" && ops.includes(peek().v);
  const isWord = (w: string) => peek().t === "id" && peek().v.toLowerCase() === w;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExpressionError(`Expected '${v}' at position ${peek().at + 1}.`);
    next();
  };
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ExpressionError("Expression is nested too deeply.");
    try { return f(); } finally { depth--; }
  };

  const or = (): Node => nested(() => {
    let left = and();
    while (isWord("or")) { next(); left = { kind: "bin", op: "or", left, right: and() }; }
    return left;
  });
  const and = (): Node => {
    let left = not();
    while (isWord("and")) { next(); left = { kind: "bin", op: "and", left, right: not() }; }
    return left;
  };
  const not = (): Node => (isWord("not") ? (next(), { kind: "un", op: "not", arg: nested(not) }) : cmp());
  const cmp = (): Node => {
    const left = sum();
    if (isOp("=", "==", "!=", "<", "<=", ">", ">=")) {
      const op = next().v;
      return { kind: "bin", op: op === "==" ? "=" : op, left, right: sum() };
    }
    return left;
  };
  const sum = (): Node => {
    let left = prod();
    while (isOp("+", "-")) { const op = next().v; left = { kind: "bin", op, left, right: prod() }; }
    return left;
  };
  const prod = (): Node => {
    let left = unary();
    while (isOp("*", "/", "%")) { const op = next().v; left = { kind: "bin", op, left, right: unary() }; }
    return left;
  };
  const unary = (): Node => (isOp("-") ? (next(), { kind: "un", op: "-", arg: nested(unary) }) : atom());
  const atom = (): Node => {
    const tok = next();
    if (tok.t === "num") return { kind: "lit", value: Number(tok.v) };
    if (tok.t === "str") return { kind: "lit", value: tok.v };
    if (tok.t === "col") return { kind: "col", name: tok.v };
    if (tok.t === "op" && tok.v === "(") { const inner = or(); expect(")"); return inner; }
    if (tok.t === "id") {
      const word = tok.v.toLowerCase();
      if (word === "true" || word === "false") return { kind: "lit", value: word === "true" };
      if (word === "null") return { kind: "lit", value: null };
      if (isOp("(")) {
        next();
        const fn = functions[word];
        if (!fn) throw new ExpressionError(`Unknown function '${tok.v}'. Available: ${Object.keys(functions).join(", ")}.`);
        const args: Node[] = [];
        if (!isOp(")")) do { args.push(or()); } while (isOp(",") && next());
        expect(")");
        if (args.length < fn.arity[0] || args.length > fn.arity[1]) {
          throw new ExpressionError(`${word}() takes ${fn.arity[0] === fn.arity[1] ? fn.arity[0] : `${fn.arity[0]}–${fn.arity[1]}`} arguments, got ${args.length}.`);
        }
        return { kind: "call", fn: word, args };
      }
      return { kind: "col", name: tok.v };
    }
    throw new ExpressionError(tok.t === "eof" ? "The expression ends too early." : `Unexpected '${tok.v}' at position ${tok.at + 1}.`);
  };

  const tree = or();
  if (peek().t !== "eof") throw new ExpressionError(`Unexpected '${peek().v}' at position ${peek().at + 1}.`);
  return tree;
}

function columnsOf(node: Node, into = new Set<string>()): Set<string> {
  if (node.kind === "col") into.add(node.name);
  if (node.kind === "call") node.args.forEach((a) => columnsOf(a, into));
  if (node.kind === "un") columnsOf(node.arg, into);
  if (node.kind === "bin") { columnsOf(node.left, into); columnsOf(node.right, into); }
  return into;
}

function compare(a: Value, b: Value): number {
  const x = toNumber(a), y = toNumber(b);
  if (x !== null && y !== null) return x - y;
  return str(a).localeCompare(str(b));
}

function evaluate(node: Node, row: Row): Value {
  switch (node.kind) {
    case "lit": return node.value;
    case "col": return row[node.name] ?? null;
    case "call": return functions[node.fn]!.run(node.args.map((a) => evaluate(a, row)));
    case "un": return node.op === "not" ? !truthy(evaluate(node.arg, row)) : (() => { const n = toNumber(evaluate(node.arg, row)); return n === null ? null : -n; })();
    case "bin": {
      if (node.op === "and") return truthy(evaluate(node.left, row)) && truthy(evaluate(node.right, row));
      if (node.op === "or") return truthy(evaluate(node.left, row)) || truthy(evaluate(node.right, row));
      const a = evaluate(node.left, row), b = evaluate(node.right, row);
      switch (node.op) {
        case "=": return compare(a, b) === 0;
        case "!=": return compare(a, b) !== 0;
        case "<": return compare(a, b) < 0;
        case "<=": return compare(a, b) <= 0;
        case ">": return compare(a, b) > 0;
        case ">=": return compare(a, b) >= 0;
      }
      const x = toNumber(a), y = toNumber(b);
      if (node.op === "+" && (x === null || y === null)) return str(a) + str(b);
      if (x === null || y === null) return null;
      if (node.op === "+") return x + y;
      if (node.op === "-") return x - y;
      if (node.op === "*") return x * y;
      if ((node.op === "/" || node.op === "%") && y === 0) return null;
      return node.op === "/" ? x / y : x % y;
    }
  }
}

export type CompiledExpression = { columns: string[]; evaluate: (row: Row) => Value; truthy: (row: Row) => boolean };

/** Parses once; checks every referenced column exists; returns an evaluator. */
export function compileExpression(src: string, knownColumns: string[]): CompiledExpression {
  const tree = parse(src);
  const columns = [...columnsOf(tree)];
  const unknown = columns.filter((c) => !knownColumns.includes(c));
  if (unknown.length) throw new ExpressionError(`Unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `'${c}'`).join(", ")}. Columns: ${knownColumns.join(", ")}.`);
  return { columns, evaluate: (row) => evaluate(tree, row), truthy: (row) => truthy(evaluate(tree, row)) };
}
