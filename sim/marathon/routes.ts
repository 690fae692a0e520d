// Marathon's REST API: the leader's resources (/ping, /v2/info, /v2/leader, /v2/apps, /v2/tasks, /v2/deployments)
// and the standbys' LeaderProxyFilter (mesosphere/marathon api/LeaderProxyFilter.scala, api/v2/*Resource.scala).
import { randomUUID } from "node:crypto";
import { request, type Incoming, type Reply } from "../http";
import { abdicate } from "./election";
import { save, storedApp } from "./registry";
import { killTask } from "./scheduler";
import { appJson, deploymentsJson, infoJson, taskJson } from "./shapes";
import { self, type AppDefinition, type MarathonNode } from "./state";

function deploy(
  node: MarathonNode,
  appId: string,
  version = new Date().toISOString(),
): { version: string; deploymentId: string } {
  const deployment = { id: randomUUID(), version, app: appId };
  node.state.deployments.set(deployment.id, deployment);
  return { version: deployment.version, deploymentId: deployment.id };
}

/**
 * GET /v2/leader: {"leader": "host:port"}, or 404 {"message":"There is no leader"} while none is known;
 * DELETE abdicates, answering "Leadership abdicted" (sic) before 0.15 (LeaderResource.scala).
 */
function leaderResource(node: MarathonNode, req: Incoming): Reply {
  if (req.method === "DELETE") {
    if (!node.state.isLeader) return { status: 404, body: { message: "There is no leader" } };
    setTimeout(() => void abdicate(node), 10);
    return { body: { message: node.traits.abdicatedSpelledRight ? "Leadership abdicated" : "Leadership abdicted" } };
  }
  return node.state.leader
    ? { body: { leader: node.state.leader } }
    : { status: 404, body: { message: "There is no leader" } };
}

async function createApp(node: MarathonNode, input: AppDefinition | undefined): Promise<Reply> {
  const { state } = node;
  if (!input?.id) {
    return {
      status: 422,
      body: { message: "Object is not valid", details: [{ path: "/id", errors: ["error.path.missing"] }] },
    };
  }
  const id = `/${input.id.replace(/^\/+/, "")}`;
  if (state.apps.has(id)) return { status: 409, body: { message: `An app with id [${id}] already exists.` } };
  const stored = storedApp(node, id, input, undefined, new Date().toISOString());
  if ("message" in stored) return { status: stored.status, body: { message: stored.message } };
  state.apps.set(id, stored.app);
  deploy(node, id, stored.app.version);
  await save(node);
  return { status: 201, body: appJson(node, stored.app, false) };
}

async function appResource(node: MarathonNode, req: Incoming, id: string, tasksOnly: boolean): Promise<Reply> {
  const { state } = node;
  const app = state.apps.get(id);
  if (!app && req.method !== "PUT") return { status: 404, body: { message: `App '${id}' does not exist` } };
  if (tasksOnly) {
    return { body: { tasks: [...state.tasks.values()].filter((t) => t.appId === id).map((t) => taskJson(node, t)) } };
  }
  if (req.method === "GET") return { body: { app: appJson(node, app as AppDefinition, true) } };
  if (req.method === "DELETE") {
    state.apps.delete(id);
    for (const task of [...state.tasks.values()].filter((t) => t.appId === id)) {
      task.state = "killing";
      await killTask(node, task.id);
    }
    await save(node);
    return { body: deploy(node, id) };
  }
  if (req.method === "PUT") {
    const stored = storedApp(node, id, (req.json ?? {}) as Partial<AppDefinition>, app, new Date().toISOString());
    if ("message" in stored) return { status: stored.status, body: { message: stored.message } };
    state.apps.set(id, stored.app);
    await save(node);
    return { status: app ? 200 : 201, body: deploy(node, id, stored.app.version) };
  }
  return { status: 405, body: { message: "HTTP 405 Method Not Allowed" } };
}

/**
 * /v2/eventSubscriptions before 1.5 (api/v2/EventSubscriptionsResource.scala): GET lists the callback URLs, POST and
 * DELETE `?callbackUrl=` add and remove one; without `--event_subscriber http_callback` every call is a 400. 1.5
 * removed the resource (changelog 1.5.0), so from then on it is an unknown URI (404).
 */
function eventSubscriptions(node: MarathonNode, req: Incoming): Reply {
  const { state } = node;
  if (state.values.get("event_subscriber") !== "http_callback") {
    return {
      status: 400,
      body: {
        message:
          'http event callback system is not running on this Marathon instance. Please re-start this instance with "--event_subscriber http_callback".',
      },
    };
  }
  const url = req.query.get("callbackUrl") ?? "";
  if (req.method === "GET") return { body: { callbackUrls: state.callbackUrls } };
  const subscribe = req.method === "POST";
  if (!subscribe && req.method !== "DELETE") return { status: 405, body: { message: "HTTP 405 Method Not Allowed" } };
  state.callbackUrls = subscribe
    ? [...new Set([...state.callbackUrls, url])]
    : state.callbackUrls.filter((u) => u !== url);
  return {
    body: {
      clientIp: req.raw.socket.remoteAddress ?? "",
      callbackUrl: url,
      eventType: subscribe ? "subscribe_event" : "unsubscribe_event",
      timestamp: new Date().toISOString(),
    },
  };
}

/** The leader's answer to one request. */
async function leaderApi(node: MarathonNode, req: Incoming): Promise<Reply> {
  const { state } = node;
  const path = req.path.replace(/\/+$/, "") || "/";
  if (path === "/ping") return { body: "pong\n" };
  if (path === "/v2/info") return { body: infoJson(node) };
  if (path === "/v2/leader") return leaderResource(node, req);
  if (path === "/v2/tasks") {
    return {
      body: { tasks: [...state.tasks.values()].filter((t) => t.state !== "killing").map((t) => taskJson(node, t)) },
    };
  }
  if (path === "/v2/deployments") return { body: deploymentsJson(node) };
  if (path === "/v2/eventSubscriptions" && node.traits.eventSubscriptions) return eventSubscriptions(node, req);
  const embed = req.query.getAll("embed").some((e) => e.endsWith("tasks"));
  if (path === "/v2/apps" && req.method === "GET") {
    return { body: { apps: [...state.apps.values()].map((a) => appJson(node, a, embed)) } };
  }
  if (path === "/v2/apps" && req.method === "POST") return createApp(node, req.json as AppDefinition | undefined);
  const appMatch = /^\/v2\/apps(\/.+?)(\/tasks)?$/.exec(path);
  if (appMatch) return appResource(node, req, appMatch[1] as string, Boolean(appMatch[2]));
  // Jersey's NotFoundException through MarathonExceptionMapper.
  return { status: 404, body: { message: `URI not found: ${req.path}` } };
}

/** Serves a request: the leader answers, a standby proxies to the leader, 503 when it cannot tell the leader. */
export async function handle(node: MarathonNode, req: Incoming): Promise<Reply | undefined> {
  const { state } = node;
  if (state.isLeader) {
    const reply = await leaderApi(node, req);
    return { ...reply, headers: { ...(reply.headers ?? {}), "x-marathon-leader": `http://${self(node)}` } };
  }
  // LeaderProxyFilter: every request of a standby goes to the leader; no known leader (or ourselves) is a 503.
  if (!state.leader || state.leader === self(node)) {
    return { status: 503, body: "Could not determine the current leader" };
  }
  const [host, port] = state.leader.split(":");
  try {
    const proxied = await request(
      { host: host as string, port: Number(port) },
      `${req.path}${req.raw.url?.includes("?") ? req.raw.url.slice(req.raw.url.indexOf("?")) : ""}`,
      {
        method: req.method,
        ...(req.body ? { body: req.body } : {}),
        timeoutMs: 10_000,
      },
    );
    const type = String(proxied.headers["content-type"] ?? "application/json");
    req.res.writeHead(proxied.status, {
      "content-type": type,
      "x-marathon-via": `1.1 ${self(node)}`,
      ...(proxied.headers["x-marathon-leader"]
        ? { "x-marathon-leader": String(proxied.headers["x-marathon-leader"]) }
        : {}),
    });
    req.res.end(proxied.text);
    return undefined;
  } catch {
    // The filter wraps a failed forward in RuntimeException("while proxying"): the servlet answers 500.
    return { status: 500, body: "while proxying" };
  }
}
