// What discovery, the health gates and the providers ask the live services: every Mesos and Marathon endpoint the
// project reads, over their real HTTP APIs (routed by remote/routes.ts).
import { getJson, httpRequest } from "../remote/http";
import { serviceUrl } from "../remote/routes";

/** The parts of a Mesos master's `/master/state.json` the gates use (same keys 0.22–1.x). */
export interface MasterState {
  readonly version: string;
  /** "master@ip:port" of this master. */
  readonly pid: string;
  /** "master@ip:port" of the leader, or "" when none is known. */
  readonly leader: string;
  readonly slaves: ReadonlyArray<{
    readonly id: string;
    readonly hostname: string;
    readonly pid: string;
    readonly version?: string;
  }>;
  readonly frameworks: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly tasks: ReadonlyArray<{ readonly id: string; readonly slave_id: string; readonly state: string }>;
  }>;
}

/**
 * A master's own view of the cluster, or why there is none. A 1.0 standby answers 307 to the leader; we do not
 * follow it, since the question is what this master says.
 */
export async function masterState(
  address: string,
  port = 5050,
): Promise<MasterState | { readonly unavailable: string }> {
  try {
    const answer = await httpRequest(serviceUrl(address, port, "/master/state.json"));
    if (answer.status === 307) {
      return { unavailable: `standby (redirects to ${answer.headers.location ?? "the leader"})` };
    }
    if (answer.status !== 200) return { unavailable: `HTTP ${answer.status}` };
    return JSON.parse(answer.body) as MasterState;
  } catch (error) {
    return { unavailable: (error as Error).message };
  }
}

/** The flat metrics object of a master or agent (`/metrics/snapshot`), or undefined. */
export function metrics(address: string, port: number): Promise<Readonly<Record<string, number>> | undefined> {
  return getJson<Record<string, number>>(serviceUrl(address, port, "/metrics/snapshot"));
}

/** The masters (by address) that say they lead (`master/elected` = 1). */
export async function electedMasters(addresses: readonly string[], port = 5050): Promise<string[]> {
  const answers = await Promise.all(
    addresses.map(async (address) => ({ address, snapshot: await metrics(address, port) })),
  );
  return answers.filter((a) => a.snapshot?.["master/elected"] === 1).map((a) => a.address);
}

/** The leading master's state, found by asking each master who leads. */
export async function leaderState(addresses: readonly string[], port = 5050): Promise<MasterState | undefined> {
  for (const address of await electedMasters(addresses, port)) {
    const state = await masterState(address, port);
    if (!("unavailable" in state)) return state;
  }
  return undefined;
}

/** The parts of an agent's `/state.json` the gates use. */
export interface AgentState {
  readonly version: string;
  readonly id: string;
  readonly master_hostname?: string;
}

export function agentState(address: string, port = 5051): Promise<AgentState | undefined> {
  return getJson<AgentState>(serviceUrl(address, port, "/state.json"));
}

/** Task ids running on the agent `agentId`, as the leading master sees them. */
export function runningTasksOn(leader: MasterState, agentId: string): string[] {
  return leader.frameworks
    .flatMap((f) => f.tasks.filter((t) => t.slave_id === agentId && t.state === "TASK_RUNNING").map((t) => t.id))
    .sort();
}

/** Marathon's `/ping` (proxied to the leader by standbys; 503 when none leads). */
export async function marathonPing(address: string, port = 8080): Promise<string> {
  try {
    const answer = await httpRequest(serviceUrl(address, port, "/ping"));
    return answer.status === 200 ? answer.body.trim() : `HTTP ${answer.status} ${answer.body.trim().slice(0, 80)}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Marathon's `/v2/info` as `address` answers, or undefined: whether its API answers at all. */
export function marathonInfo(
  address: string,
  port = 8080,
): Promise<{ readonly version: string; readonly leader: string | null; readonly elected: boolean } | undefined> {
  return getJson(serviceUrl(address, port, "/v2/info"));
}

/** One app of Marathon's `/v2/apps`. */
export interface MarathonApp {
  readonly id: string;
  readonly instances: number;
  readonly tasksRunning: number;
  readonly tasksHealthy: number;
  readonly healthChecks?: readonly unknown[];
}

export async function marathonApps(address: string, port = 8080): Promise<readonly MarathonApp[] | undefined> {
  return (await getJson<{ apps: MarathonApp[] }>(serviceUrl(address, port, "/v2/apps")))?.apps;
}

/**
 * Apps with several instances that are not all healthy: `tasksHealthy` for an app with health checks (Marathon
 * counts a task healthy only once every check has passed, so a task still unchecked or in its grace period is not
 * healthy yet), `tasksRunning` for an app without. Each as "/redis 2/3".
 */
export function degradedApps(apps: readonly MarathonApp[]): string[] {
  return apps
    .filter((app) => app.instances > 1)
    .map((app) => ({
      app,
      ready: (app.healthChecks?.length ?? 0) > 0 ? Math.min(app.tasksHealthy, app.tasksRunning) : app.tasksRunning,
    }))
    .filter(({ app, ready }) => ready < app.instances)
    .map(({ app, ready }) => `${app.id} ${ready}/${app.instances}`);
}

/** A master's `/version` answer (a 1.0 standby answers it while it redirects its state), or undefined. */
export async function mesosVersion(address: string, port = 5050): Promise<string | undefined> {
  return (await getJson<{ version: string }>(serviceUrl(address, port, "/version")))?.version;
}

/** The leader Marathon `address` knows of ("host:port"), or undefined when it does not answer. */
export async function marathonLeader(address: string, port = 8080): Promise<string | undefined> {
  return (await getJson<{ leader: string }>(serviceUrl(address, port, "/v2/leader")))?.leader;
}

/** One Marathon app with where its tasks run (`/v2/apps?embed=apps.tasks`). */
export interface PlacedApp {
  readonly id: string;
  readonly instances: number;
  readonly tasks?: ReadonlyArray<{ readonly host: string }>;
}

/** Marathon's apps with their tasks' hosts, as `address` answers, or undefined. */
export async function placedApps(address: string, port = 8080): Promise<readonly PlacedApp[] | undefined> {
  return (await getJson<{ apps: PlacedApp[] }>(serviceUrl(address, port, "/v2/apps?embed=apps.tasks")))?.apps;
}
