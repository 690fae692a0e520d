// The host daemon's control socket (<hostDir>/ctl/control.sock): how the fake host commands, the sshd wrapper,
// other hosts and the library reach the runtime. Not part of the simulated hosts' public contract.
import { rmSync } from "node:fs";
import type http from "node:http";
import type { Fault } from "../faults";
import { createServer, listen, request, type Reply } from "../http";
import { installedDocker } from "./packages";
import type { HostRuntime } from "./runtime";

/** Status of a host as `status` and the library report it. */
export interface HostStatusReport {
  readonly host: string;
  readonly pid: number;
  readonly docker: {
    readonly package: string | null;
    readonly packageStatus: string | null;
    readonly running: string | null;
    readonly liveRestore: boolean;
  };
  readonly containers: ReadonlyArray<{
    id: string;
    name: string;
    image: string;
    status: string;
    exitCode: number;
    restartCount: number;
  }>;
  readonly faults: readonly Fault[];
}

function statusOf(runtime: HostRuntime): HostStatusReport {
  const pkg = installedDocker(runtime.state);
  const engine = runtime.engine.status;
  return {
    host: runtime.host.name,
    pid: process.pid,
    docker: {
      package: pkg?.version ?? null,
      packageStatus: pkg?.status ?? null,
      running: engine?.version ?? null,
      liveRestore: engine?.options.liveRestore ?? false,
    },
    containers: runtime.engine.containers().map((c) => ({
      id: c.id,
      name: c.name,
      image: c.spec.image,
      status: c.state.status,
      exitCode: c.state.exitCode,
      restartCount: c.restartCount,
    })),
    faults: runtime.state.faults,
  };
}

/** Serves the control API. */
export async function serveControl(runtime: HostRuntime, socketPath: string): Promise<http.Server> {
  rmSync(socketPath, { force: true });
  const server = createServer(async (req): Promise<Reply> => {
    const body = (req.json ?? {}) as Record<string, unknown>;
    switch (`${req.method} ${req.path}`) {
      case "GET /health":
        return { body: { ok: true, ready: runtime.ready, host: runtime.host.name, pid: process.pid } };
      case "GET /status":
        return { body: statusOf(runtime) };
      case "POST /ssh-exec":
        return { body: runtime.sshCommand(body.command as string | undefined, body.env as Record<string, string>) };
      case "POST /run":
        return { body: await runtime.run(String(body.command), String(body.origin ?? "local")) };
      case "GET /faults":
        return { body: runtime.state.faults };
      case "POST /faults":
        await runtime.inject(body as unknown as Fault);
        return { body: runtime.state.faults };
      case "DELETE /faults":
        await runtime.clear(req.query.get("kind") ?? undefined);
        return { body: runtime.state.faults };
      case "POST /service": {
        // The host's own console (curl on the host): reaches its services even when the cluster is firewalled.
        const answer = await request({ host: runtime.host.address, port: Number(body.port) }, String(body.path), {
          method: String(body.method ?? "GET"),
          ...(body.body === undefined ? {} : { body: body.body }),
          timeoutMs: Number(body.timeoutMs ?? 10_000),
        }).catch((error: Error) => ({ status: 0, headers: {}, text: error.message }));
        return { body: { status: answer.status, headers: answer.headers, text: answer.text } };
      }
      case "POST /crash-master":
        return { body: { crashed: await runtime.crashMaster() } };
      case "POST /seed-images":
        for (const image of body.images as string[]) runtime.engine.seedImage(image);
        return { body: { ok: true } };
      default:
        return { status: 404, body: { message: `no control route ${req.method} ${req.path}` } };
    }
  });
  await listen(server, { socketPath });
  return server;
}
