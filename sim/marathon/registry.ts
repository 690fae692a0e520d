// The leader's registry of apps and tasks: kept in ZooKeeper under <zk>/state, and apps as Marathon stores them on
// create (defaults filled in, service ports assigned, invalid health check port indices refused).
import { compareVersions } from "../catalogue/versions";
import { log, type MarathonNode, type AppDefinition, type MarathonTask } from "./state";
import { withDefaults } from "./health";

const statePath = (node: MarathonNode, name: string) => `${node.state.zkUrl?.path ?? "/marathon"}/state/${name}`;

/** What this leader last wrote of each entry since it loaded the registry (save writes only what changed). */
const written = new WeakMap<MarathonNode, Map<string, string>>();

/**
 * Writes the apps and tasks to ZooKeeper, each only when it differs from what this leader last wrote: Marathon stores
 * an app or a task when it changes, not at every pass of its scheduler (which the simulator runs 50 times a second at
 * the fast profile). A registry changed under a running leader (a ZooKeeper restored from a backup) is thus not
 * overwritten until the leader changes something, as with Marathon.
 */
export async function save(node: MarathonNode): Promise<void> {
  const zk = node.zk;
  if (!zk) return;
  const last = written.get(node) ?? new Map<string, string>();
  written.set(node, last);
  for (const [name, data] of [
    ["apps", JSON.stringify([...node.state.apps.values()])],
    ["tasks", JSON.stringify([...node.state.tasks.values()])],
  ] as const) {
    if (last.get(name) === data) continue;
    await zk.put(statePath(node, name), data);
    last.set(name, data);
  }
}

/**
 * Why a release refuses the storage another wrote (Migration.scala: "Migration from versions < 1.4.0 are not
 * supported. Your version: …" below `minimumStorage`, and "Migration from … is not supported as it is newer than …"
 * from 1.4); undefined when it migrates. The simulator records the release that wrote the storage, which orders the
 * same as Marathon's storage versions at these bounds.
 */
export function storageRefusal(
  version: string,
  minimumStorage: string | undefined,
  stored: string | undefined,
): string | undefined {
  if (minimumStorage === undefined || stored === undefined) return undefined;
  if (compareVersions(stored, minimumStorage) < 0) {
    return `Migration from versions < ${minimumStorage} are not supported. Your version: ${stored}`;
  }
  if (compareVersions(stored, version) > 0) {
    return `Migration from ${stored} is not supported as it is newer than ${version}.`;
  }
  return undefined;
}

/** Reads the apps, tasks and framework id, and records the storage version this release writes. */
export async function load(node: MarathonNode): Promise<void> {
  const zk = node.zk;
  if (!zk) return;
  const stored = JSON.parse((await zk.get(statePath(node, "internal:storage:version"))) || "null") as {
    version?: string;
  } | null;
  const refusal = storageRefusal(node.version, node.traits.minimumStorage, stored?.version);
  if (refusal) {
    // The migration runs when the instance is elected, and its failure ends the process (exit code 1).
    log(node, "ERROR", `Failed to migrate: ${refusal}`);
    return node.life.exit(refusal);
  }
  written.delete(node);
  node.state.apps = new Map(
    (JSON.parse((await zk.get(statePath(node, "apps"))) ?? "[]") as AppDefinition[]).map((a) => [a.id, a]),
  );
  node.state.tasks = new Map(
    (JSON.parse((await zk.get(statePath(node, "tasks"))) ?? "[]") as MarathonTask[]).map((t) => [t.id, t]),
  );
  node.state.frameworkId = (await zk.get(statePath(node, "framework:id"))) || undefined;
  await zk.put(
    statePath(node, "internal:storage:version"),
    JSON.stringify({ version: node.version, format: node.traits.storageFormat }),
  );
}

/** Records the framework id Mesos gave us. */
export async function saveFrameworkId(node: MarathonNode, id: string): Promise<void> {
  await node.zk?.put(statePath(node, "framework:id"), id);
}

/** The local port range service ports are taken from (--local_port_min/--local_port_max, default 10000–20000). */
export function servicePortRange(node: MarathonNode): { min: number; max: number } {
  return {
    min: Number(node.state.values.get("local_port_min") ?? 10000),
    max: Number(node.state.values.get("local_port_max") ?? 20000),
  };
}

/**
 * The app as Marathon stores it on create or update, or the 422 Marathon answers:
 * - AppDefinition.scala's defaults (cmd/args/user null, env {}, instances 1, cpus 1, mem 128, disk 0, executor "",
 *   constraints/uris/storeUrls [], ports [0], requirePorts false, backoffSeconds 1, backoffFactor 1.15,
 *   maxLaunchDelaySeconds 3600, container null, healthChecks [] with HealthCheck.scala's defaults,
 *   dependencies [], upgradeStrategy {minimumHealthCapacity 1, maximumOverCapacity 1}, labels {});
 * - service ports: each 0 in `ports` (or in the port mappings' service ports) becomes the next free port of the
 *   local port range, the app's own earlier ones first (GroupManager.assignDynamicServicePorts); port mappings get
 *   hostPort 0, servicePort and protocol "tcp" filled in (Container.scala PortMapping defaults);
 * - "Health check port indices must address an element of the ports array or container port mappings."
 *   (AppDefinition.portIndicesAreValid, an assert: IllegalArgumentException, 422 with its message).
 * Sources: mesosphere/marathon@v0.9.1 and @v1.1.7, src/main/scala/mesosphere/marathon/state/.
 */
export function storedApp(
  node: MarathonNode,
  id: string,
  input: Partial<AppDefinition>,
  previous: AppDefinition | undefined,
  version: string,
): { app: AppDefinition } | { status: number; message: string } {
  const merged: Record<string, unknown> = {
    cmd: null,
    args: null,
    user: null,
    env: {},
    instances: 1,
    cpus: 1,
    mem: 128,
    disk: 0,
    executor: "",
    constraints: [],
    uris: [],
    storeUrls: [],
    ports: [0],
    requirePorts: false,
    backoffSeconds: 1,
    backoffFactor: 1.15,
    maxLaunchDelaySeconds: 3600,
    container: null,
    healthChecks: [],
    dependencies: [],
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
    labels: {},
    acceptedResourceRoles: null,
    ...(previous ?? {}),
    ...input,
    id,
    version,
  };
  const app = merged as AppDefinition;
  const mappings = app.container?.docker?.portMappings;
  const requested = mappings ? mappings.map((m) => m.servicePort ?? 0) : (app.ports ?? [0]);
  const checks = (app.healthChecks ?? []).map((raw) => withDefaults(raw));
  if (checks.some((c) => c.protocol !== "COMMAND" && (c.portIndex < 0 || c.portIndex >= requested.length))) {
    return {
      status: 422,
      message:
        "assertion failed: Health check port indices must address an element of the ports array or container port mappings.",
    };
  }
  const { min, max } = servicePortRange(node);
  const taken = new Set([...node.state.apps.values()].filter((a) => a.id !== id).flatMap((a) => a.ports ?? []));
  const own = (previous?.ports ?? []).filter((p) => p >= min && p < max);
  const next = () => {
    const reused = own.shift();
    if (reused !== undefined) return reused;
    for (let port = min; port < max; port++) if (!taken.has(port)) return port;
    return 0;
  };
  const servicePorts = requested.map((port) => {
    const assigned = port === 0 ? next() : port;
    taken.add(assigned);
    return assigned;
  });
  app.ports = servicePorts;
  if (mappings && app.container?.docker) {
    app.container = {
      ...app.container,
      docker: {
        ...app.container.docker,
        portMappings: mappings.map((m, i) => ({
          containerPort: m.containerPort,
          hostPort: m.hostPort ?? 0,
          servicePort: servicePorts[i] as number,
          protocol: m.protocol ?? "tcp",
        })),
      },
    };
  }
  app.healthChecks = checks as unknown as Array<Record<string, unknown>>;
  return { app };
}
