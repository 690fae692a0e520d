// The daemon's Remote API on <root>/var/run/docker.sock: the subset of endpoints the simulated CLI uses.
import { existsSync, readFileSync, rmSync } from "node:fs";
import type http from "node:http";
import { dockerRelease } from "../catalogue/docker";
import { compareVersions } from "../catalogue/versions";
import { createServer, listen, closeServer, type Incoming, type Reply } from "../http";
import { EngineError, type CreateSpec, type DockerEngine } from "./engine";
import { imageConfig } from "../catalogue/images";
import { CONFIG_OPTION_KEYS, HOST_CONFIG_OPTION_KEYS, pick } from "./run-options";
import { containerJson, containerSummary, imageSummary, infoJson, versionJson } from "./shapes";

function error(e: unknown): Reply {
  if (e instanceof EngineError) return { status: e.status, body: { message: e.message } };
  return { status: 500, body: { message: (e as Error).message } };
}

async function route(engine: DockerEngine, hostName: string, req: Incoming): Promise<Reply | undefined> {
  const status = engine.status;
  if (!status) return { status: 503, body: { message: "daemon is not running" } };
  const version = status.version;
  if (req.path === "/_ping") return { body: "OK" };
  const match = /^\/v(\d+\.\d+)(\/.*)$/.exec(req.path);
  const path = match ? (match[2] as string) : req.path;
  const serverApi = dockerRelease(version)?.apiVersion ?? "1.19";
  if (match && compareVersions(match[1] as string, serverApi) > 0) {
    return {
      status: 400,
      body: {
        message: `client is newer than server (client API version: ${match[1]}, server API version: ${serverApi})`,
      },
    };
  }
  // Docker shows wall-clock durations (the CLI compares the daemon's timestamps with its own clock).
  const since = (iso: string) => (Date.now() - Date.parse(iso)) / 1000;
  const segments = path.split("/").filter((s) => s !== "");
  try {
    if (req.method === "GET" && path === "/version") return { body: versionJson(version) };
    if (req.method === "GET" && path === "/info") {
      const containers = engine.containers();
      const running = containers.filter((c) => engine.isRunning(c.id)).length;
      return {
        body: infoJson(
          version,
          status.options,
          {
            containers: containers.length,
            running,
            stopped: containers.length - running,
            images: engine.images().length,
          },
          hostName,
        ),
      };
    }
    if (req.method === "GET" && path === "/images/json") {
      return { body: engine.images().map((i) => imageSummary(i, version)) };
    }
    if (req.method === "GET" && segments[0] === "images" && segments.at(-1) === "json") {
      const name = segments.slice(1, -1).join("/");
      const image = engine.findImage(name);
      if (!image) return { status: 404, body: { message: `No such image: ${name}` } };
      const { Env, Entrypoint, Cmd, WorkingDir } = imageConfig(image.repoTags[0] ?? name);
      return {
        body: {
          ...imageSummary(image, version),
          RepoTags: image.repoTags,
          Size: image.size,
          Config: { Env, Entrypoint, Cmd, WorkingDir },
        },
      };
    }
    if (req.method === "POST" && path === "/images/create") {
      const reference = `${req.query.get("fromImage") ?? ""}${req.query.get("tag") ? `:${req.query.get("tag")}` : ""}`;
      req.res.writeHead(200, { "content-type": "application/json" });
      try {
        await engine.pull(reference, (line) => req.res.write(`${JSON.stringify({ status: line })}\n`));
      } catch (e) {
        const message = (e as Error).message;
        req.res.write(`${JSON.stringify({ errorDetail: { message }, error: message })}\n`);
      }
      req.res.end();
      return undefined;
    }
    if (req.method === "GET" && path === "/containers/json") {
      const all = req.query.get("all") === "1" || req.query.get("all") === "true";
      const list = engine
        .containers()
        .filter((c) => all || engine.isRunning(c.id) || c.state.status === "restarting")
        .sort((a, b) => b.created.localeCompare(a.created));
      return { body: list.map((c) => containerSummary(c, version, since)) };
    }
    if (req.method === "POST" && path === "/containers/create") {
      const body = req.json as {
        Image: string;
        Cmd?: string[];
        Entrypoint?: string[];
        Env?: string[];
        Labels?: Record<string, string>;
        Hostname?: string;
        HostConfig?: Record<string, unknown>;
      };
      const host = body.HostConfig ?? {};
      const log = host.LogConfig as { Type?: string; Config?: Record<string, string> } | undefined;
      const spec: CreateSpec = {
        ...(req.query.get("name") ? { name: req.query.get("name") as string } : {}),
        image: body.Image,
        ...(body.Entrypoint ? { entrypoint: body.Entrypoint } : {}),
        cmd: body.Cmd ?? [],
        env: body.Env ?? [],
        binds: (host.Binds as string[] | undefined) ?? [],
        networkMode: (host.NetworkMode as string | undefined) || "default",
        privileged: host.Privileged === true,
        restartPolicy: (host.RestartPolicy as CreateSpec["restartPolicy"] | undefined) ?? {
          Name: "",
          MaximumRetryCount: 0,
        },
        labels: body.Labels ?? {},
        ...(log?.Type ? { logDriver: log.Type, logOpts: log.Config ?? {} } : {}),
        ...(host.PidMode ? { pidMode: host.PidMode as string } : {}),
        ...(body.Hostname ? { hostname: body.Hostname } : {}),
        config: pick(body as Record<string, unknown>, CONFIG_OPTION_KEYS),
        hostConfig: pick(host, HOST_CONFIG_OPTION_KEYS),
      };
      const record = engine.create(spec);
      return { status: 201, body: { Id: record.id, Warnings: null } };
    }
    if (segments[0] === "containers" && segments.length >= 2) {
      const id = segments[1] as string;
      const action = segments[2];
      if (req.method === "GET" && action === "json") {
        const c = engine.get(id);
        return {
          body: containerJson(
            c,
            version,
            `/var/lib/docker/containers/${c.id}/${c.id}-json.log`,
            status.options.logDriver,
            hostName,
          ),
        };
      }
      if (req.method === "POST" && action === "start") {
        const c = engine.get(id);
        if (engine.isRunning(c.id)) return { status: 304 };
        engine.start(id);
        return { status: 204 };
      }
      if (req.method === "POST" && action === "stop") {
        const stopped = await engine.stop(id, Number(req.query.get("t") ?? 10));
        return { status: stopped ? 204 : 304 };
      }
      if (req.method === "POST" && action === "restart") {
        await engine.stop(id, Number(req.query.get("t") ?? 10));
        engine.start(id);
        return { status: 204 };
      }
      if (req.method === "POST" && action === "kill") {
        await engine.kill(id);
        return { status: 204 };
      }
      if (req.method === "POST" && action === "wait") return { body: { StatusCode: await engine.wait(id) } };
      if (req.method === "GET" && action === "logs") {
        const c = engine.get(id);
        const driver = c.spec.logDriver ?? status.options.logDriver;
        if (driver !== "json-file" && driver !== "journald") {
          return {
            status: 500,
            body: {
              message: `"logs" command is supported only for "json-file" and "journald" logging drivers (got: ${driver})`,
            },
          };
        }
        const file = engine.logPath(c.id);
        const lines = existsSync(file)
          ? readFileSync(file, "utf8")
              .split("\n")
              .filter((l) => l !== "")
              .map((l) => JSON.parse(l) as { log: string; stream: string })
          : [];
        const tail = req.query.get("tail");
        const selected = tail && tail !== "all" ? lines.slice(-Number(tail)) : lines;
        return {
          body: selected.filter((l) =>
            l.stream === "stdout" ? req.query.get("stdout") !== "0" : req.query.get("stderr") !== "0",
          ),
        };
      }
      if (req.method === "DELETE" && action === undefined) {
        await engine.remove(id, req.query.get("force") === "1" || req.query.get("force") === "true");
        return { status: 204 };
      }
    }
    return { status: 404, body: { message: `page not found` } };
  } catch (e) {
    return error(e);
  }
}

/** Serves the engine's API on a unix socket path; returns the server. */
export async function serveDockerApi(
  engine: DockerEngine,
  hostName: string,
  socketPath: string,
  onRequest: () => () => void = () => () => undefined,
): Promise<http.Server> {
  rmSync(socketPath, { force: true });
  // Each request marks modelled (scaled) work on the host until it is answered (sim/host-work.ts).
  const server = createServer(async (req) => {
    const answered = onRequest();
    try {
      return await route(engine, hostName, req);
    } finally {
      answered();
    }
  });
  await listen(server, { socketPath });
  return server;
}

/** Stops serving and removes the socket (the CLI then cannot connect). */
export async function stopDockerApi(server: http.Server, socketPath: string): Promise<void> {
  await closeServer(server);
  rmSync(socketPath, { force: true });
}
