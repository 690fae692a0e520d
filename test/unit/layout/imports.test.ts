// The architecture as a test: the import graph of the sources has no loops, production code reaches the simulator
// through one seam only, and the README's layout table says which directory imports which.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../../../toolchain/paths";

/** One import of one source file: the file it names (relative to the repository) and whether it is only a type. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
  readonly dynamic: boolean;
}

const SKIPPED = new Set(["node_modules", "dist", ".git", ".work"]);

/** Every TypeScript source of the repository, relative paths. */
function sources(dir = repoRoot): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path.relative(repoRoot, full)] : [];
  });
}

/** The source file a relative specifier names ("./x" → "dir/x.ts" or "dir/x/index.ts"); undefined for a JSON file. */
function resolve(from: string, specifier: string): string | undefined {
  const base = path.normalize(path.join(path.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(path.join(repoRoot, candidate))) return candidate;
  }
  return undefined;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+["'](\.[^"']*)["']/gm;
const BARE = /^\s*import\s+["'](\.[^"']*)["']/gm;
const DYNAMIC = /\b(?:import|require)\(\s*["'](\.[^"']*)["']\s*\)/g;

/** The relative imports of one file. `import { type A, type B }` is type-only too: the compiler drops it. */
function edgesOf(file: string): Edge[] {
  const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => {
    const to = resolve(file, specifier);
    if (to) edges.push({ from: file, to, typeOnly, dynamic });
  };
  for (const m of text.matchAll(STATIC)) {
    const names = m[3] ?? "";
    const allTypes =
      /^\{[^}]*\}$/s.test(names.trim()) &&
      names
        .replace(/[{}\s]/g, "")
        .split(",")
        .filter(Boolean)
        .every((n) => n.startsWith("type"));
    add(m[4] as string, Boolean(m[2]) || allTypes, false);
  }
  for (const m of text.matchAll(BARE)) add(m[1] as string, false, false);
  for (const m of text.matchAll(DYNAMIC)) add(m[1] as string, false, true);
  return edges;
}

const files = sources();
const edges = files.flatMap(edgesOf);
const runtime = edges.filter((e) => !e.typeOnly);
const topOf = (file: string): string => (file.includes("/") ? (file.split("/")[0] as string) : ".");

/**
 * Import loops among runtime imports (Tarjan's strongly connected components of more than one file, or a self-import).
 */
function loops(graph: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of graph) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const file of new Set(graph.map((e) => e.from))) if (!index.has(file)) visit(file);
  return found;
}

/** The one module outside sim/ and test/ that may load the simulator, and only by dynamic import. */
const SEAM = "stacks/localCluster.ts";
/** bench/ measures the simulator itself (`npm run bench`); it is no part of a stack's run. */
const MAY_IMPORT_SIM = new Set(["sim", "test", "bench"]);

/** Imports that cross the layers against the table, each with why it stands (none now). */
const KNOWN_EXCEPTIONS: ReadonlyArray<readonly [string, string]> = [];

/** The README's layout table: each directory and the directories it imports. */
function layoutTable(): Map<string, Set<string>> {
  const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Layout"), readme.indexOf("\n## ", readme.indexOf("## Layout") + 1));
  const table = new Map<string, Set<string>>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const dir = /^`([a-z]+)\/`$/.exec(cells[1] ?? "")?.[1];
    if (!dir) continue;
    const imports = [...(cells[3] ?? "").matchAll(/`([a-z]+)\/`/g)].map((m) => m[1] as string);
    table.set(dir, new Set(imports));
  }
  return table;
}

describe("the import graph", () => {
  it("reads every source file of the repository", () => {
    assert.ok(
      files.includes("stacks/program.ts") && files.includes("sim/index.ts") && files.length > 150,
      `${files.length} files`,
    );
    assert.ok(runtime.some((e) => e.from === "stacks/program.ts" && e.to === "stacks/decide.ts"));
  });

  it("has no import loops", () => {
    assert.deepEqual(loops(runtime), []);
  });

  it("lets nothing outside sim/ and test/ import the simulator, except the one seam", () => {
    const intoSim = runtime.filter((e) => topOf(e.to) === "sim" && !MAY_IMPORT_SIM.has(topOf(e.from)));
    assert.deepEqual([...new Set(intoSim.map((e) => e.from))], [SEAM]);
  });

  it("loads the seam only by dynamic import, so a real stack's run never loads it", () => {
    const statically = runtime.filter((e) => e.to === SEAM && !e.dynamic && topOf(e.from) !== "test");
    assert.deepEqual(
      statically.map((e) => e.from),
      [],
    );
  });

  it("never lets the simulator import the providers, the stacks or the observe layer", () => {
    const wrong = runtime.filter(
      (e) => topOf(e.from) === "sim" && ["providers", "stacks", "observe", "remote"].includes(topOf(e.to)),
    );
    assert.deepEqual(
      wrong.map((e) => `${e.from} → ${e.to}`),
      [],
    );
  });

  it("lets the stacks reach the providers only through their resources, their common arguments (component.ts) and the form of their properties (packed.ts)", () => {
    const isResourceFile = (file: string) =>
      file === "providers/component.ts" ||
      file === "providers/packed.ts" ||
      /export class \w+ extends (pulumi\.dynamic\.Resource|DelegatingResource|ContainerizedResource)\b/.test(
        fs.readFileSync(path.join(repoRoot, file), "utf8"),
      );
    const internals = edges.filter(
      (e) => topOf(e.from) === "stacks" && topOf(e.to) === "providers" && !isResourceFile(e.to),
    );
    assert.deepEqual(
      internals.map((e) => `${e.from} → ${e.to}`),
      [],
    );
  });

  it("matches the README's layout table: each directory imports exactly the directories its row names", () => {
    const table = layoutTable();
    const codeDirs = [...new Set(files.map(topOf))].filter((d) => d !== "." && d !== "test").sort();
    assert.deepEqual(
      codeDirs.filter((d) => !table.has(d)),
      [],
      "every code directory has a row",
    );
    const exception = (e: Edge) => KNOWN_EXCEPTIONS.some(([from, to]) => e.from === from && e.to === to);
    for (const dir of codeDirs) {
      const actual = new Set(
        runtime
          .filter(
            (e) =>
              topOf(e.from) === dir &&
              topOf(e.to) !== dir &&
              !exception(e) &&
              !(e.from === SEAM && topOf(e.to) === "sim"),
          )
          .map((e) => topOf(e.to)),
      );
      assert.deepEqual(
        [...actual].sort(),
        [...(table.get(dir) ?? [])].sort(),
        `${dir}/ imports (README layout table, third column)`,
      );
    }
  });
});

describe("a real stack's modules", () => {
  it("load without the simulator", () => {
    const dist = path.join(repoRoot, "dist");
    for (const module of [
      "stacks/program.js",
      "stacks/converge.js",
      "stacks/decide.js",
      "stacks/discover.js",
      "stacks/rollout.js",
      "stacks/recovery.js",
    ]) {
      // Loading the compiled modules is what is tested.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(dist, module));
    }
    const loaded = Object.keys(require.cache).filter((file) => file.startsWith(path.join(dist, "sim") + path.sep));
    assert.deepEqual(loaded, []);
  });
});
