// What discovery, the health gates and the providers ask the live services: every Mesos and Marathon endpoint the
// project reads, over their real HTTP APIs (routed by remote/routes.ts).
import { HttpRefusedError } from "../remote/errors";
import { getJson, httpRequest, type HttpAnswer } from "../remote/http";
import { serviceUrl } from "../remote/routes";
import type { PlacedApp } from "./placement";

export type { PlacedApp } from "./placement";

/**
 * Where a master's and an agent's state are served, newest first: `/master/state` and `/state` from 0.25, the
 * `*.json` aliases up to 1.7 (removed in 1.8, MESOS-4509; apache/mesos src/master/master.cpp and src/slave/slave.cpp
 * route lists at 1.7.3 vs 1.8.0). A 404 moves on to the next path, so one call reads every release 0.22–1.11.
 */
export const STATE_PATHS = {
  master: ["/master/state", "/master/state.json"],
  agent: ["/state", "/state.json"],
} as const;

/** The first answer of `paths` on a Mesos process that is not 404 (the last one's 404 otherwise). */
async function stateAnswer(address: string, port: number, paths: readonly string[]): Promise<HttpAnswer> {
  let answer: HttpAnswer | undefined;
  for (const path of paths) {
    answer = await httpRequest(serviceUrl(address, port, path));
    if (answer.status !== 404) return answer;
  }
  return answer as HttpAnswer;
}

/** The parts of a Mesos master's `/master/state` the gates use (same keys 0.22–1.11). */
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
    const answer = await stateAnswer(address, port, STATE_PATHS.master);
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

/** Each master's metrics (`/metrics/snapshot`) by address, asked at once; undefined where one does not answer. */
export function masterMetrics(
  addresses: readonly string[],
  port = 5050,
): Promise<Array<{ readonly address: string; readonly snapshot: Readonly<Record<string, number>> | undefined }>> {
  return Promise.all(addresses.map(async (address) => ({ address, snapshot: await metrics(address, port) })));
}

/** The masters among `answers` (masterMetrics) that say they lead (`master/elected` = 1). */
export function electedAmong(answers: Awaited<ReturnType<typeof masterMetrics>>): string[] {
  return answers.filter((a) => a.snapshot?.["master/elected"] === 1).map((a) => a.address);
}

/** The masters (by address) that say they lead (`master/elected` = 1). */
export async function electedMasters(addresses: readonly string[], port = 5050): Promise<string[]> {
  return electedAmong(await masterMetrics(addresses, port));
}

/** The master that last answered as the leader, by the masters asked (their addresses and port). */
const lastLeaders = new Map<string, string>();

/**
 * The leading master's state. The master that led at the last call is asked first, and its state taken when it says
 * it leads (its pid is the leader's: a master that loses its leadership exits, "Lost leadership... committing
 * suicide!" in apache/mesos src/master/master.cpp); otherwise every master is asked who leads (`master/elected`). A
 * gate's look then makes one request to the masters, not one to each and then one to the leader.
 */
export async function leaderState(addresses: readonly string[], port = 5050): Promise<MasterState | undefined> {
  const key = `${[...addresses].sort().join(",")}:${port}`;
  const remembered = lastLeaders.get(key);
  if (remembered !== undefined) {
    const state = await masterState(remembered, port);
    if (!("unavailable" in state) && state.pid === state.leader) return state;
    lastLeaders.delete(key);
  }
  for (const address of await electedMasters(addresses, port)) {
    const state = await masterState(address, port);
    if ("unavailable" in state) continue;
    lastLeaders.set(key, address);
    return state;
  }
  return undefined;
}

/** The parts of an agent's `/state` the gates use. */
export interface AgentState {
  readonly version: string;
  readonly id: string;
  readonly master_hostname?: string;
}

/** An agent's state, or undefined when it does not answer 200 with JSON (a refused credential throws, as getJson). */
export async function agentState(address: string, port = 5051): Promise<AgentState | undefined> {
  try {
    const answer = await stateAnswer(address, port, STATE_PATHS.agent);
    return answer.status === 200 ? (JSON.parse(answer.body) as AgentState) : undefined;
  } catch (error) {
    if (error instanceof HttpRefusedError) throw error;
    return undefined;
  }
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

/** An app of `/v2/apps?embed=apps.tasks`: its counts, and where its tasks run. */
export type PlacedMarathonApp = MarathonApp & PlacedApp;

/** Marathon's apps with their tasks' hosts, as `address` answers, or undefined. */
export async function placedApps(address: string, port = 8080): Promise<readonly PlacedMarathonApp[] | undefined> {
  return (await getJson<{ apps: PlacedMarathonApp[] }>(serviceUrl(address, port, "/v2/apps?embed=apps.tasks")))?.apps;
}

/** The first answer of `ask` among `addresses` (any Marathon answers for the cluster; standbys proxy). */
export async function firstAnswer<T>(
  addresses: readonly string[],
  ask: (address: string) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (const address of addresses) {
    const answer = await ask(address);
    if (answer !== undefined) return answer;
  }
  return undefined;
}
