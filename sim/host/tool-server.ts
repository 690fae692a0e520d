// The host daemon's side of the fake host commands: each shim (sim/host/tool-client.ts) connects to
// `<hostDir>/ctl/tool.sock` and the tool runs here, in the daemon, its output streamed back as it is written
// (wire format: sim/host/tool-wire.ts). Files and sockets the tool names are the client's own, found through
// /proc/<pid> (its working directory and root), so relative paths and a namespaced host's filesystem resolve as
// they would for the real program. A client that goes away (killed, as a real client can be) aborts the tool's
// requests to the Docker daemon, whose work then goes on or stops as it would for a real client's disconnect.
import { readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { dockerRelease } from "../catalogue/docker";
import { runDockerCli } from "../docker/cli";
import { installedDocker } from "./packages";
import type { HostRuntime } from "./runtime";
import { clientPath, frame, readRequest, sudoProgram, type ToolRequest } from "./tool-wire";

type Send = (type: "o" | "e", text: string) => void;

async function docker(runtime: HostRuntime, request: ToolRequest, send: Send, signal: AbortSignal): Promise<number> {
  const pkg = installedDocker(runtime.state);
  const clientVersion = pkg ? dockerRelease(pkg.version)?.version : undefined;
  if (!clientVersion) {
    send("e", "sh: 1: docker: not found\n");
    return 127;
  }
  const sameRoot = runtime.cluster.isolation !== "namespace";
  const host = request.env.DOCKER_HOST;
  const socket = host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock";
  return runDockerCli({
    argv: request.argv,
    argv0: "docker",
    clientVersion,
    socketPath: clientPath(request.pid, socket, sameRoot),
    out: (text) => send("o", text),
    err: (text) => send("e", text),
    readFile: (path) => readFileSync(clientPath(request.pid, path, sameRoot), "utf8"),
    clientSocket: (path) => clientPath(request.pid, path, sameRoot),
    env: (name) => request.env[name],
    signal,
  });
}

async function run(runtime: HostRuntime, request: ToolRequest, send: Send, signal: AbortSignal): Promise<number> {
  const { tool, argv } = request;
  switch (tool) {
    case "docker":
      return docker(runtime, request, send, signal);
    case "apt-get":
    case "apt-cache":
    case "dpkg-query":
    case "dpkg":
    case "service": {
      // Modelled work on the host, not the operator's process (sim/host-work.ts).
      const answered = runtime.work.request();
      try {
        const result = await runtime.tool(tool, argv);
        send("o", result.stdout);
        send("e", result.stderr);
        return result.code;
      } finally {
        answered();
      }
    }
    default:
      send("e", `unknown simulated tool ${tool}\n`);
      return 127;
  }
}

function serve(runtime: HostRuntime, socket: net.Socket): void {
  const aborted = new AbortController();
  socket.on("close", () => aborted.abort());
  socket.on("error", () => undefined);
  const write = (data: Buffer) => {
    if (!socket.destroyed && socket.writable) socket.write(data);
  };
  let buffer = Buffer.alloc(0);
  let started = false;
  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    let request: ToolRequest | undefined;
    try {
      request = readRequest(buffer);
    } catch (error) {
      write(frame("e", `${(error as Error).message}\n`));
      write(frame("x", "1"));
      socket.end();
      return;
    }
    if (!request || started) return;
    started = true;
    socket.off("data", onData);
    const { tool, argv, env } = request;
    runtime.ledger.record({ kind: "exec", program: tool, argv: [...argv], origin: env.SIM_ORIGIN ?? "shell" });
    if (tool === "sudo") {
      const program = sudoProgram(argv);
      socket.end(program === undefined ? frame("x", "0") : frame("r", String(program)));
      return;
    }
    const send: Send = (type, text) => {
      if (text !== "") write(frame(type, text));
    };
    run(runtime, request, send, aborted.signal)
      .catch((error: Error) => {
        if (aborted.signal.aborted) return 1;
        send("e", `${error.message}\n`);
        return 1;
      })
      .then((code) => {
        if (!socket.destroyed) socket.end(frame("x", String(code)));
      });
  };
  socket.on("data", onData);
}

/** Serves the fake commands of one host at `socketPath`. */
export async function serveTools(runtime: HostRuntime, socketPath: string): Promise<net.Server> {
  rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => serve(runtime, socket));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
