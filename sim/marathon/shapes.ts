// What the Marathon API answers, shaped per release: apps with their counts, tasks with their health results,
// deployments and /v2/info (mesosphere/marathon api/v2/*Resource.scala, json/Formats.scala, at each release).
import { healthJson } from "./health";
import { healthOf, resultsOf } from "./health-checker";
import type { AppDefinition, MarathonNode, MarathonTask } from "./state";

/** A task of /v2/tasks and /v2/apps?embed=apps.tasks. */
export function taskJson(node: MarathonNode, t: MarathonTask): Record<string, unknown> {
  const app = node.state.apps.get(t.appId);
  const results = resultsOf(node.state.health, t.id);
  return {
    id: t.id,
    host: t.host,
    ports: t.ports,
    startedAt: t.startedAt,
    stagedAt: t.stagedAt,
    version: t.version,
    slaveId: t.slaveId,
    appId: t.appId,
    servicePorts: app?.ports ?? [],
    // Only the checks with a result, and the field only when there is one (Formats.scala
    // `healthCheckResults.nonEmpty`).
    ...(results.length ? { healthCheckResults: results.map(healthJson) } : {}),
  };
}

/** An app of /v2/apps with its task and health counts (a task without any health result counts as neither). */
export function appJson(node: MarathonNode, app: AppDefinition, embedTasks: boolean): Record<string, unknown> {
  const { state, traits } = node;
  const tasks = [...state.tasks.values()].filter((t) => t.appId === app.id);
  return {
    ...app,
    ...(traits.portDefinitions
      ? { portDefinitions: (app.ports ?? [0]).map((port) => ({ port, protocol: "tcp", labels: {} })) }
      : {}),
    versionInfo: { lastScalingAt: app.version, lastConfigChangeAt: app.version },
    tasksStaged: tasks.filter((t) => t.state === "TASK_STAGING").length,
    tasksRunning: tasks.filter((t) => t.state === "TASK_RUNNING").length,
    // MarathonHealthCheckManager.healthCounts.
    tasksHealthy: tasks.filter((t) => healthOf(state.health, t.id) === "healthy").length,
    tasksUnhealthy: tasks.filter((t) => healthOf(state.health, t.id) === "unhealthy").length,
    deployments: [...state.deployments.values()].filter((d) => d.app === app.id).map((d) => ({ id: d.id })),
    ...(embedTasks ? { tasks: tasks.map((t) => taskJson(node, t)) } : {}),
  };
}

/** /v2/deployments (examples/deployments.json). */
export function deploymentsJson(node: MarathonNode): unknown[] {
  return [...node.state.deployments.values()].map((d) => ({
    id: d.id,
    version: d.version,
    affectedApps: [d.app],
    steps: [[{ action: "ScaleApplication", app: d.app }]],
    currentActions: [{ action: "ScaleApplication", app: d.app }],
    currentStep: 1,
    totalSteps: 1,
  }));
}

/**
 * /v2/info (api/v2/InfoResource.scala): the same top-level keys from 0.9 to 1.1; marathon_config has
 * marathon_store_timeout until 0.11, mesos_leader_ui_url from 0.11, task_reservation_timeout and features from 1.0.
 * Flags not given are their MarathonConf defaults (options without a default are null).
 */
export function infoJson(node: MarathonNode): Record<string, unknown> {
  const { state, traits, version } = node;
  const flag = (name: string) => state.values.get(name);
  const numberFlag = (name: string, fallback: number) => Number(flag(name) ?? fallback);
  return {
    name: "marathon",
    version,
    elected: state.isLeader,
    leader: state.leader ?? null,
    frameworkId: state.frameworkId ?? null,
    marathon_config: {
      master: flag("master"),
      failover_timeout: numberFlag("failover_timeout", 604800),
      framework_name: flag("framework_name") ?? "marathon",
      ha: flag("ha") !== false,
      checkpoint: flag("checkpoint") !== false,
      local_port_min: numberFlag("local_port_min", 10000),
      local_port_max: numberFlag("local_port_max", 20000),
      executor: flag("executor") ?? "//cmd",
      hostname: state.hostname,
      webui_url: flag("webui_url") ?? null,
      mesos_role: flag("mesos_role") ?? null,
      task_launch_timeout: numberFlag("task_launch_timeout", 300000),
      ...(traits.reservationsInInfo ? { task_reservation_timeout: numberFlag("task_reservation_timeout", 20000) } : {}),
      reconciliation_initial_delay: numberFlag("reconciliation_initial_delay", 15000),
      reconciliation_interval: numberFlag("reconciliation_interval", 300000),
      ...(traits.storeTimeoutInInfo ? { marathon_store_timeout: numberFlag("marathon_store_timeout", 2000) } : {}),
      mesos_user: flag("mesos_user") ?? "root",
      leader_proxy_connection_timeout_ms: numberFlag("leader_proxy_connection_timeout_ms", 5000),
      leader_proxy_read_timeout_ms: numberFlag("leader_proxy_read_timeout_ms", 10000),
      ...(traits.reservationsInInfo
        ? {
            features: String(flag("enable_features") ?? "")
              .split(",")
              .filter((f) => f !== ""),
          }
        : {}),
      ...(traits.leaderUiUrl
        ? { mesos_leader_ui_url: state.master ? `http://${state.master.hostname}:${state.master.port}/` : null }
        : {}),
    },
    zookeeper_config: {
      zk: flag("zk") ?? "zk://localhost:2181/marathon",
      zk_timeout: numberFlag("zk_timeout", 10000),
      zk_session_timeout: numberFlag("zk_session_timeout", 1800000),
      zk_max_versions: numberFlag("zk_max_versions", 25),
    },
    // 1.5 dropped the event subscriber (InfoResource.scala); before, the configured one or null.
    ...(traits.eventSubscriptions
      ? {
          event_subscriber: flag("event_subscriber")
            ? {
                type: flag("event_subscriber"),
                http_endpoints: flag("http_endpoints") ? String(flag("http_endpoints")).split(",") : null,
              }
            : null,
        }
      : {}),
    http_config: { assets_path: null, http_port: state.port, https_port: 8443 },
  };
}
