// The agent's HTTP endpoints per release and the libprocess messages it answers (POST /slave(1)/mesos.internal.<M>).
import { checkStalls } from "../../host-work";
import type { Incoming, Reply } from "../../http";
import { buildInfo, routePath } from "../common";
import type { FrameworkInfo, TaskInfo } from "../messages";
import { kill, launch } from "./executors";
import { ping, shutdown } from "./registration";
import { flagsJson, metricsJson, stateJson } from "./shapes";
import type { AgentNode } from "./state";

function internalMessage(node: AgentNode, message: string, body: Record<string, unknown>): Reply {
  const { state } = node;
  switch (message) {
    case "PingSlaveMessage":
      // A stall this process just came out of is on record before the master times the answer (sim/host-work.ts).
      checkStalls();
      return ping(node, body);
    case "RunTaskMessage":
      if (!state.registered) return { status: 503, body: { message: "not registered" } };
      void launch(node, body.framework as FrameworkInfo & { id: string }, body.task as TaskInfo);
      return { body: { ok: true } };
    case "KillTaskMessage":
      void kill(node, String(body.task_id), String(body.framework_id));
      return { body: { ok: true } };
    case "ShutdownMessage":
      if (body.slave_id === state.id) void shutdown(node, String(body.message ?? "Master requested shutdown"));
      return { body: { ok: true } };
    default:
      return { status: 404, body: "" };
  }
}

export async function handle(node: AgentNode, req: Incoming): Promise<Reply> {
  const { traits, version, release } = node;
  const path = routePath(req.path, "slave(1)", [
    "slave(1)",
    "metrics",
    "version",
    "__processes__",
    "system",
    "files",
    "logging",
  ]);
  const internal = /^\/slave\(1\)\/mesos\.internal\.(\w+)$/.exec(path);
  if (internal && req.method === "POST") {
    return internalMessage(node, internal[1] as string, (req.json ?? {}) as Record<string, unknown>);
  }
  switch (path) {
    case "/slave(1)/health":
      return { status: 200 };
    case "/slave(1)/state.json":
      // Gone from 1.8 (MESOS-4509: src/slave/slave.cpp's routes at 1.7.3 vs 1.8.0).
      return traits.jsonAliases ? { body: stateJson(node) } : { status: 404, body: "" };
    case "/slave(1)/state":
      return traits.stateWithoutJson ? { body: stateJson(node) } : { status: 404, body: "" };
    case "/slave(1)/flags":
      return traits.versionEndpoint ? { body: { flags: flagsJson(node) } } : { status: 404, body: "" };
    case "/metrics/snapshot":
      return { body: metricsJson(node) };
    case "/version":
      return traits.versionEndpoint
        ? { body: buildInfo(version, release?.gitSha ?? "", release?.buildDate ?? "") }
        : { status: 404, body: "" };
    default:
      return { status: 404, body: "" };
  }
}
