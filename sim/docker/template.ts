// A subset of Go's text/template, enough for `docker … --format`: fields, json/index/printf/join/len/lower/upper/
// split/title/eq/ne, pipes, if/else, range and with, and "{{-"/"-}}" trimming.

/** A template error; `message` reads like Go's ("template: :1:2: executing …"). */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
}

type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pipe: string; pos: number }
  | { kind: "if" | "with"; pipe: string; pos: number; then: Node[]; else: Node[] }
  | { kind: "range"; pipe: string; pos: number; body: Node[]; else: Node[] };

function tokenizeTemplate(source: string): Array<{ text?: string; action?: string; pos: number }> {
  const parts: Array<{ text?: string; action?: string; pos: number }> = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf("{{", i);
    if (open < 0) {
      parts.push({ text: source.slice(i), pos: i });
      break;
    }
    let text = source.slice(i, open);
    const close = source.indexOf("}}", open);
    if (close < 0) throw new TemplateError(`template: :1: unclosed action`);
    let inner = source.slice(open + 2, close);
    if (inner.startsWith("-")) {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    let next = close + 2;
    if (inner.endsWith("-")) {
      inner = inner.slice(0, -1);
      const rest = source.slice(next);
      next += rest.length - rest.replace(/^\s+/, "").length;
    }
    if (text) parts.push({ text, pos: i });
    parts.push({ action: inner.trim(), pos: open + 2 });
    i = next;
  }
  return parts;
}

function parse(source: string): Node[] {
  const parts = tokenizeTemplate(source);
  let index = 0;
  const block = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (index < parts.length) {
      const part = parts[index++]!;
      if (part.text !== undefined) {
        nodes.push({ kind: "text", text: part.text });
        continue;
      }
      const action = part.action ?? "";
      const word = action.split(/\s+/)[0] ?? "";
      if (terminators.includes(word)) return { nodes, end: action };
      if (word === "if" || word === "with" || word === "range") {
        const pipe = action.slice(word.length).trim();
        const first = block(["else", "end"]);
        const second = first.end.startsWith("else") ? block(["end"]).nodes : [];
        if (word === "range") nodes.push({ kind: "range", pipe, pos: part.pos, body: first.nodes, else: second });
        else nodes.push({ kind: word, pipe, pos: part.pos, then: first.nodes, else: second });
        continue;
      }
      if (word === "end" || word === "else") throw new TemplateError(`template: :1: unexpected {{${word}}}`);
      if (action.startsWith("/*")) continue;
      nodes.push({ kind: "action", pipe: action, pos: part.pos });
    }
    if (terminators.length) throw new TemplateError(`template: :1: unexpected EOF`);
    return { nodes, end: "" };
  };
  return block([]).nodes;
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|[^\s()]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) args.push(m[0]);
  return args;
}

/** Go's %v formatting of a JSON value. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<no value>";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === null ? "<nil>" : goFormat(v))).join(" ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(" ")}]`;
}

function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value as object).length > 0;
  return true;
}

function sprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(/%([svdq%])/g, (_m, verb: string) => {
    if (verb === "%") return "%";
    const value = args[i++];
    return verb === "q" ? JSON.stringify(goFormat(value)) : goFormat(value);
  });
}

interface Scope {
  readonly dot: unknown;
  readonly root: unknown;
  readonly typeName: string;
}

function field(value: unknown, path: string, pos: number, typeName: string): unknown {
  let current = value;
  for (const name of path.split(".").filter((p) => p !== "")) {
    if (current === null || current === undefined) return undefined;
    if (typeof current !== "object" || Array.isArray(current)) {
      throw new TemplateError(
        `template: :1:${pos}: executing "" at <.${name}>: can't evaluate field ${name} in type ${typeName}`,
      );
    }
    const record = current as Record<string, unknown>;
    if (!(name in record)) {
      // Maps (Labels, Config…) answer missing keys with <no value>; structs refuse unknown fields.
      if (Object.keys(record).some((k) => /^[A-Z]/.test(k))) {
        throw new TemplateError(
          `template: :1:${pos}: executing "" at <.${name}>: can't evaluate field ${name} in type ${typeName}`,
        );
      }
      return undefined;
    }
    current = record[name];
  }
  return current;
}

function evalArgs(tokens: string[], scope: Scope, pos: number, piped: unknown[]): unknown {
  const values: unknown[] = [];
  let i = 0;
  const next = (): unknown => {
    const token = tokens[i++] as string;
    if (token === "(") {
      const inner: string[] = [];
      let depth = 1;
      while (i < tokens.length) {
        const t = tokens[i++] as string;
        if (t === "(") depth++;
        if (t === ")" && --depth === 0) break;
        inner.push(t);
      }
      return evalArgs(inner, scope, pos, []);
    }
    if (token.startsWith('"')) return JSON.parse(token);
    if (token.startsWith("`")) return token.slice(1, -1);
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    if (token === "true" || token === "false") return token === "true";
    if (token === "nil") return null;
    if (token === ".") return scope.dot;
    if (token.startsWith("$")) return field(scope.root, token.slice(1), pos, scope.typeName);
    if (token.startsWith(".")) return field(scope.dot, token, pos, scope.typeName);
    return { fn: token };
  };
  while (i < tokens.length) values.push(next());
  const [head, ...rest] = values;
  const args = [...rest, ...piped];
  if (head && typeof head === "object" && "fn" in (head as object)) {
    const fn = (head as { fn: string }).fn;
    switch (fn) {
      case "json":
        return JSON.stringify(args[0] ?? null);
      case "index":
        return args
          .slice(1)
          .reduce(
            (v: unknown, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[String(k)]),
            args[0],
          );
      case "printf":
        return sprintf(String(args[0]), args.slice(1));
      case "join":
        return (Array.isArray(args[0]) ? args[0] : []).map(goFormat).join(String(args[1] ?? ""));
      case "len":
        return Array.isArray(args[0])
          ? args[0].length
          : typeof args[0] === "string"
            ? args[0].length
            : Object.keys(args[0] ?? {}).length;
      case "lower":
        return goFormat(args[0]).toLowerCase();
      case "upper":
        return goFormat(args[0]).toUpperCase();
      case "title":
        return goFormat(args[0]).replace(/\b\w/g, (c) => c.toUpperCase());
      case "split":
        return goFormat(args[0]).split(String(args[1]));
      case "eq":
        return args.slice(1).some((a) => a === args[0]);
      case "ne":
        return args[0] !== args[1];
      case "not":
        return !truthy(args[0]);
      case "and":
        return args.every(truthy) ? args.at(-1) : args.find((a) => !truthy(a));
      case "or":
        return args.find(truthy) ?? args.at(-1);
      default:
        throw new TemplateError(`template: :1: function "${fn}" not defined`);
    }
  }
  return head;
}

function evalPipe(pipe: string, scope: Scope, pos: number): unknown {
  let result: unknown[] = [];
  let first = true;
  for (const stage of pipe.split("|").map((s) => s.trim())) {
    const value = evalArgs(splitArgs(stage), scope, pos, first ? [] : result);
    result = [value];
    first = false;
  }
  return result[0];
}

function run(nodes: Node[], scope: Scope): string {
  let out = "";
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out += node.text;
        break;
      case "action":
        out += goFormat(evalPipe(node.pipe, scope, node.pos));
        break;
      case "if":
      case "with": {
        const value = evalPipe(node.pipe, scope, node.pos);
        if (truthy(value)) out += run(node.then, node.kind === "with" ? { ...scope, dot: value } : scope);
        else out += run(node.else, scope);
        break;
      }
      case "range": {
        const value = evalPipe(node.pipe, scope, node.pos);
        const items = Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value) : [];
        if (items.length === 0) out += run(node.else, scope);
        for (const item of items) out += run(node.body, { ...scope, dot: item });
        break;
      }
    }
  }
  return out;
}

/** Executes a template against a value; `typeName` names the Go type in error messages. */
export function executeTemplate(source: string, data: unknown, typeName = "*types.ContainerJSON"): string {
  return run(parse(source), { dot: data, root: data, typeName });
}

/** Parses only, to report syntax errors before any output (docker version's "Template parsing error"). */
export function checkTemplate(source: string): void {
  parse(source);
}
