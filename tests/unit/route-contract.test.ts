import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The route contract (issue 14) as written in the route files, read with the
// TypeScript parser: every route() call names its permission or says
// `auth: "public"` (route()'s options type makes omitting it a type error too),
// a route with an id or slug in its path declares a `params` schema, and no
// handler asserts a param into existence with `params.id!`.

const apiDir = path.join(process.cwd(), "app", "api");
const files = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [])) : [];

type RouteCall = { line: number; options: ts.ObjectLiteralExpression | undefined };

function inspect(file: string) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const calls: RouteCall[] = [];
  const assertedParams: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "route") {
      const [first] = node.arguments;
      calls.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, options: first && ts.isObjectLiteralExpression(first) ? first : undefined });
    }
    if (ts.isNonNullExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText() === "params") assertedParams.push(node.getText());
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { calls, assertedParams };
}

const property = (options: ts.ObjectLiteralExpression, name: string) =>
  options.properties.find((p): p is ts.PropertyAssignment | ts.ShorthandPropertyAssignment => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name.getText() === name);

const routes = files(apiDir).map((file) => ({ file, where: path.relative(process.cwd(), file), ...inspect(file) }));

describe("route contract in the route files", () => {
  it("finds the route() calls", () => {
    expect(routes.flatMap((r) => r.calls).length).toBeGreaterThanOrEqual(60);
  });

  it('every route() names its permission, or is explicitly auth: "public"', () => {
    const missing = routes.flatMap(({ where, calls }) =>
      calls.filter(({ options }) => {
        if (!options) return true;
        const auth = property(options, "auth");
        const isPublic = auth && ts.isPropertyAssignment(auth) && ts.isStringLiteral(auth.initializer) && auth.initializer.text === "public";
        return !isPublic && !property(options, "permission");
      }).map(({ line }) => `${where}:${line}`),
    );
    expect(missing).toEqual([]);
  });

  it("every route() of a path with an id or slug declares its params schema", () => {
    const missing = routes
      .filter(({ where }) => /\[(?!\.\.\.)\w+\]/.test(where))
      .flatMap(({ where, calls }) => calls.filter(({ options }) => !options || !property(options, "params")).map(({ line }) => `${where}:${line}`));
    expect(missing).toEqual([]);
  });

  it("no handler asserts a param with `!`", () => {
    expect(routes.flatMap(({ where, assertedParams }) => assertedParams.map((p) => `${where}: ${p}`))).toEqual([]);
  });
});
