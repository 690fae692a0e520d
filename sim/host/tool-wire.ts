// The wire format between a host's fake commands (thin clients, sim/host/tool-client.ts) and its daemon, which runs
// the tools (sim/host/tool-server.ts). Over the unix socket `<hostDir>/ctl/tool.sock` (`/run/sim/tool.sock` inside a
// namespaced host) the client sends one request, `<byte length>\n<payload>`, the payload's fields joined by NUL: the
// tool, the client's pid, the argument count, the arguments, then the client's environment as `NAME=value` entries
// (none of them can hold a NUL). The daemon answers with frames `<type><byte length>\n<bytes>` as the tool runs:
// `o` stdout, `e` stderr, `x` the exit status (decimal; the client exits with it), `r` the index of the argument at
// which the client replaces itself with that program and its arguments (`sudo`'s pass-through).

/** What a client asks the daemon to run. */
export interface ToolRequest {
  readonly tool: string;
  /** The client's pid: its working directory and root are /proc/<pid>/cwd and /proc/<pid>/root. */
  readonly pid: number;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export type FrameType = "o" | "e" | "x" | "r";

/** One frame of the daemon's answer. */
export function frame(type: FrameType, data: string | Buffer): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from(`${type}${body.length}\n`), body]);
}

/** A request as the client encodes it (the tests' client; the real ones are sim/host/tool-client.ts). */
export function encodeRequest(request: ToolRequest): Buffer {
  const fields = [
    request.tool,
    String(request.pid),
    String(request.argv.length),
    ...request.argv,
    ...Object.entries(request.env).map(([k, v]) => `${k}=${v}`),
  ];
  const payload = Buffer.from(fields.join("\0"));
  return Buffer.concat([Buffer.from(`${payload.length}\n`), payload]);
}

/** The request at the start of `buffer`; undefined while it is incomplete. Throws on bytes that are no request. */
export function readRequest(buffer: Buffer): ToolRequest | undefined {
  const newline = buffer.indexOf(10);
  if (newline < 0) {
    if (buffer.length > 20) throw new Error("tool request: no length line in the first 20 bytes");
    return undefined;
  }
  const header = buffer.subarray(0, newline).toString();
  if (!/^\d+$/.test(header)) throw new Error(`tool request: bad length line "${header}"`);
  const length = Number(header);
  if (buffer.length < newline + 1 + length) return undefined;
  const fields = buffer
    .subarray(newline + 1, newline + 1 + length)
    .toString()
    .split("\0");
  const [tool, pid, argc] = fields;
  const count = Number(argc);
  if (!tool || !/^\d+$/.test(pid ?? "") || !/^\d+$/.test(argc ?? "") || fields.length < 3 + count) {
    throw new Error(`tool request: bad header fields (tool "${tool ?? ""}", pid "${pid ?? ""}", argc "${argc ?? ""}")`);
  }
  const env: Record<string, string> = {};
  for (const entry of fields.slice(3 + count)) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return { tool, pid: Number(pid), argv: fields.slice(3, 3 + count), env };
}

/**
 * Where the daemon finds a path the client names: from the client's working directory if relative, from its root
 * if absolute (a namespaced host's own filesystem), through /proc. With `sameRoot` (no isolation) an absolute path is
 * the machine's own (and stays short enough for a unix socket's 108 bytes).
 */
export function clientPath(pid: number, path: string, sameRoot: boolean): string {
  if (path.startsWith("/")) return sameRoot ? path : `/proc/${pid}/root${path}`;
  return `/proc/${pid}/cwd/${path}`;
}

/**
 * The argument at which `sudo argv…` runs its program (after sudo's options; `-u`/`-g` take a value, `--` ends
 * them); undefined when no program is named.
 */
export function sudoProgram(argv: readonly string[]): number | undefined {
  let i = 0;
  while (i < argv.length && (argv[i] as string).startsWith("-")) {
    const option = argv[i] as string;
    i++;
    if (option === "--") break;
    if (option === "-u" || option === "-g") i++;
  }
  return i < argv.length ? i : undefined;
}
