// The master's HTTP endpoints per release: which exist, the standby's redirects to the leader, and the maintenance
// endpoints (0.25+), whose changes are written to the registry before the answer, as the registrar does.
import type { Incoming, Reply } from "../../http";
import { compareVersions } from "../../catalogue/versions";
import { buildInfo, routePath } from "../common";
import { maintenanceRequest, matchesAgent } from "../maintenance";
import { removeAgent } from "./agents";
import { internalMessage } from "./libprocess";
import { updateRegistry } from "./registry";
import { agentJson, flagsJson, frameworkJson, metricsJson, stateJson, stateSummaryJson, taskJson } from "./shapes";
import { agentWord, type MasterNode } from "./state";

/** Answers a maintenance endpoint; a change is written to the registry before the answer, as the registrar does. */
async function maintenance(node: MasterNode, req: Incoming, path: string): Promise<Reply> {
  const { state } = node;
  const outcome = maintenanceRequest(state.maintenance, { method: req.method, path, body: req.body }, node.version);
  if (!outcome) return { status: 404, body: "" };
  if (outcome.next) {
    const next = outcome.next;
    await updateRegistry(node, (registry) => {
      registry.maintenance = next;
    });
    state.maintenance = next;
  }
  for (const machine of outcome.downed ?? []) {
    for (const agent of [...state.agents.values()].filter((a) => matchesAgent(machine, a.info))) {
      await removeAgent(
        node,
        agent,
        "Operator initiated 'Machine DOWN'",
        `${agentWord(node)} ${agent.info.hostname} removed: machine is down for maintenance`,
      );
    }
  }
  return { status: outcome.status, body: outcome.body, ...(outcome.headers ? { headers: outcome.headers } : {}) };
}

const STANDBY_REDIRECTED = [
  "/master/state",
  "/master/state.json",
  "/master/state-summary",
  "/master/tasks",
  "/master/tasks.json",
  "/master/frameworks",
  "/master/slaves",
  "/master/roles",
  "/master/roles.json",
  "/master/teardown",
  "/master/maintenance/schedule",
  "/master/maintenance/status",
  "/master/machine/down",
  "/master/machine/up",
];

/** The master's `*.json` aliases, routed up to 1.7 (src/master/master.cpp at 1.7.3 vs 1.8.0). */
const JSON_ALIASES = ["/master/state.json", "/master/tasks.json", "/master/roles.json"];

export async function handle(node: MasterNode, req: Incoming): Promise<Reply> {
  const { state, traits, version, release, ctx } = node;
  const path = routePath(req.path, "master", [
    "master",
    "metrics",
    "version",
    "__processes__",
    "system",
    "files",
    "logging",
  ]);
  const internalMatch = /^\/master\/mesos\.internal\.(\w+)$/.exec(path);
  if (internalMatch && req.method === "POST") {
    return internalMessage(node, internalMatch[1] as string, (req.json ?? {}) as Record<string, unknown>);
  }
  // 1.8 dropped the *.json aliases (MESOS-4509); a route that does not exist is 404 on a standby too.
  if (!traits.jsonAliases && JSON_ALIASES.includes(path)) return { status: 404 };
  if (traits.standbyRedirects && !state.elected && STANDBY_REDIRECTED.includes(path)) {
    if (!state.leader) return { status: 503, body: "No leader elected" };
    return { status: 307, headers: { location: `//${state.leader.hostname}:${state.leader.port}${req.path}` } };
  }
  const agents = () => [...state.agents.values()].map((a) => agentJson(node, a));
  switch (path) {
    case "/master/health":
      // OK() without a body: no Content-Type, Content-Length: 0 (Master::Http::health; libprocess encoder.hpp).
      return { status: 200 };
    case "/master/redirect": {
      if (traits.redirect503WithoutLeader && !state.leader) return { status: 503, body: "No leader elected" };
      const target = state.leader ?? state.info;
      const base =
        compareVersions(version, "0.23.0") >= 0
          ? `//${target?.hostname}:${target?.port}`
          : `http://${target?.hostname}:${target?.port}`;
      return { status: 307, headers: { location: base } };
    }
    case "/master/state.json":
      return { body: stateJson(node) };
    case "/master/state":
      return traits.stateWithoutJson ? { body: stateJson(node) } : { status: 404 };
    case "/master/state-summary":
      return traits.stateSummary ? { body: stateSummaryJson(node) } : { status: 404 };
    case "/master/stats.json":
    case "/stats.json":
      return traits.statsJson
        ? {
            body: {
              elected: state.elected ? 1 : 0,
              activated_slaves: state.agents.size,
              uptime: ctx.clock.since(state.startTime * 1000),
            },
          }
        : { status: 404 };
    case "/master/tasks.json":
    case "/master/tasks":
      if (path === "/master/tasks" && !traits.stateWithoutJson) return { status: 404 };
      return { body: { tasks: [...state.tasks.values()].map((t) => taskJson(node, t)) } };
    case "/master/slaves":
      return { body: { slaves: agents() } };
    case "/master/frameworks":
      return traits.versionEndpoint
        ? {
            body: {
              frameworks: [...state.frameworks.values()].map((f) => frameworkJson(node, f)),
              completed_frameworks: [],
              unregistered_frameworks: [],
            },
          }
        : { status: 404 };
    case "/master/flags":
      return traits.versionEndpoint ? { body: { flags: flagsJson(node) } } : { status: 404 };
    case "/master/roles.json":
    case "/master/roles":
      return {
        body: {
          roles: [{ name: "*", weight: 1, frameworks: [...state.frameworks.keys()], resources: { cpus: 0, mem: 0 } }],
        },
      };
    case "/metrics/snapshot":
      return { body: metricsJson(node) };
    case "/version":
      return traits.versionEndpoint
        ? { body: buildInfo(version, release?.gitSha ?? "", release?.buildDate ?? "") }
        : { status: 404 };
    case "/master/maintenance/schedule":
    case "/master/maintenance/status":
    case "/master/machine/down":
    case "/master/machine/up":
      if (!traits.maintenance) return { status: 404, body: "" };
      if (!state.recovered || !state.elected) return { status: 503, body: "Not the leading master" };
      return maintenance(node, req, path);
    default:
      return { status: 404 };
  }
}
