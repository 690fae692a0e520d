// The health gate after a Docker engine change: what must be back on the host, judged from one look (pure), and the
// look itself. On a host that is its own Mesos master and agent (the seed's dev machine) the engine restart stops the
// whole control plane with it, so the gate covers ZooKeeper (its own `srvr` answer), the leader, the agent's
// registration, Marathon and every app.
import { componentGatePace, waitForGate } from "../remote/gate";
import type { RemoteShell } from "../remote/ssh";
import {
  degradedApps,
  electedAmong,
  firstAnswer,
  leaderState,
  marathonApps,
  marathonInfo,
  marathonLeader,
  marathonPing,
  masterMetrics,
  metrics,
  type MarathonApp,
  type MasterState,
} from "../observe/services";
import { zookeeperState, type ZooKeeperState } from "../observe/zookeeper";

/** What the gate must see, from the engine's inputs. */
export interface EngineGateScope {
  readonly host: { readonly name: string; readonly address: string };
  readonly version: string;
  readonly runsAgent: boolean;
  readonly masters: readonly string[];
  readonly marathons: readonly string[];
  /** Addresses of the ZooKeeper servers Mesos and Marathon use (the stack's zookeeper.hosts; default the masters). */
  readonly zookeepers: readonly string[];
  /** Containers with a restart policy that ran before and must be back. */
  readonly keep: readonly string[];
}

/** One look at the host and the cluster. */
export interface EngineLook {
  readonly version: string | undefined;
  readonly containers: readonly string[];
  /** The leading master's state; undefined when none leads (or none answers). Read only on a single host. */
  readonly leader?: MasterState;
  /** Each ZooKeeper server's answer to `srvr`, by address. Read only on a single host. */
  readonly zookeeper?: ReadonlyArray<{ readonly address: string; readonly state: ZooKeeperState }>;
  /** Whether any Marathon answered `/v2/info`. Read only on a single host. */
  readonly marathonAnswers?: boolean;
  /** Marathon's apps; undefined when no Marathon answered. */
  readonly apps?: readonly MarathonApp[];
  /**
   * What the host's own Mesos and Marathon processes say, on a host of a cluster with other hosts (read only for the
   * roles the host has): the engine restarted them, and a container that runs is not yet one that serves.
   */
  readonly own?: OwnProcesses;
}

/** The answers of a host's own processes after its engine restarted them (multi-host clusters). */
export interface OwnProcesses {
  /** The agent's own `slave/registered` metric is 1: it registered again with the leading master. */
  readonly agentRegistered?: boolean;
  /** The host's master answers `/metrics/snapshot`. */
  readonly masterAnswers?: boolean;
  /** The masters (of the stack's) that say they lead. */
  readonly electedMasters?: readonly string[];
  /** The host's Marathon's answer to `/ping`. */
  readonly marathonPing?: string;
  /** The leader the host's Marathon knows of (`/v2/leader`), if any. */
  readonly marathonLeader?: string;
}

/** Which of the cluster's processes the host runs besides its engine, by the stack's roles. */
function hostRoles(scope: Pick<EngineGateScope, "host" | "runsAgent" | "masters" | "marathons">): {
  readonly agent: boolean;
  readonly master: boolean;
  readonly marathon: boolean;
} {
  return {
    agent: scope.runsAgent,
    master: scope.masters.includes(scope.host.address),
    marathon: scope.marathons.includes(scope.host.address),
  };
}

/**
 * The host's own processes back and serving, on a host of a multi-host cluster: its agent registered again (by its
 * own metrics: the master keeps listing an agent it has not yet missed), its master answering with one elected
 * leader among the masters, its Marathon answering /ping through a leader. `parts` say what was seen.
 */
function judgeOwnProcesses(
  scope: EngineGateScope,
  own: OwnProcesses | undefined,
): { readonly passed: boolean; readonly parts: string[] } {
  const roles = hostRoles(scope);
  const parts: string[] = [];
  let passed = true;
  if (roles.agent) {
    parts.push(`agent ${own?.agentRegistered ? "registered" : "not registered"}`);
    passed &&= own?.agentRegistered === true;
  }
  if (roles.master) {
    const elected = own?.electedMasters ?? [];
    parts.push(
      `master ${own?.masterAnswers ? "answering" : "not answering"}, leader ${elected.length ? elected.join(", ") : "none"}`,
    );
    passed &&= own?.masterAnswers === true && elected.length === 1;
  }
  if (roles.marathon) {
    parts.push(`marathon /ping ${own?.marathonPing ?? "not asked"}, leader ${own?.marathonLeader ?? "none"}`);
    passed &&= own?.marathonPing === "pong" && Boolean(own.marathonLeader);
  }
  return { passed, parts };
}

/**
 * Whether the engine's host is the whole cluster's control plane too: it runs an agent and is one of the masters.
 * Its engine restart stops the leader, the agent, Marathon and every task at once: there is no other host.
 */
export function isSingleHost(scope: Pick<EngineGateScope, "host" | "runsAgent" | "masters">): boolean {
  return scope.runsAgent && scope.masters.includes(scope.host.address);
}

/** Apps not all running (and healthy, where they have health checks), single-instance ones included. */
export function appsDown(apps: readonly MarathonApp[]): string[] {
  return apps
    .filter(
      (app) =>
        app.tasksRunning < app.instances || ((app.healthChecks?.length ?? 0) > 0 && app.tasksHealthy < app.instances),
    )
    .map((app) => `${app.id} ${app.healthChecks?.length ? app.tasksHealthy : app.tasksRunning}/${app.instances}`);
}

/** The containers the scope keeps that a look did not find running. */
function missingContainers(scope: Pick<EngineGateScope, "keep">, containers: readonly string[]): string[] {
  return scope.keep.filter((container) => !containers.includes(container));
}

/** Judges one look: passed when everything the scope names is back; `observed` says what was seen either way. */
export function judgeEngineLook(
  scope: EngineGateScope,
  look: EngineLook,
): { readonly passed: boolean; readonly observed: string } {
  if (look.version !== scope.version) return { passed: false, observed: `engine ${look.version ?? "not answering"}` };
  const missing = missingContainers(scope, look.containers);
  const parts = [`engine ${look.version}`, `containers missing: ${missing.join(", ") || "none"}`];
  let passed = missing.length === 0;
  const single = isSingleHost(scope);
  if (single) {
    const registered = look.leader?.slaves.some((slave) => slave.pid.includes(`@${scope.host.address}:`)) ?? false;
    const zk = look.zookeeper ?? [];
    const zkServing =
      scope.zookeepers.length === 0 || (zk.length === scope.zookeepers.length && zk.every((z) => z.state.serving));
    const zkPart =
      zk.length === 0
        ? scope.zookeepers.length
          ? "zookeeper not asked"
          : "zookeeper not configured"
        : `zookeeper ${zk.map((z) => `${scope.zookeepers.length > 1 ? `${z.address} ` : ""}${z.state.serving ? z.state.mode : z.state.why}`).join(", ")}`;
    parts.push(
      zkPart,
      look.leader ? `leader ${look.leader.pid.replace(/^master@/, "")}` : "no leading master",
      `agent ${registered ? "registered" : "not registered"}`,
      `marathon ${look.marathonAnswers ? "answering" : "not answering"}`,
    );
    passed &&= zkServing && look.leader !== undefined && registered && look.marathonAnswers === true;
  }
  if (scope.runsAgent && scope.marathons.length > 0) {
    const down = look.apps ? (single ? appsDown(look.apps) : degradedApps(look.apps)) : ["marathon not answering"];
    parts.push(`${single ? "apps down" : "apps degraded"}: ${down.join(", ") || "none"}`);
    passed &&= down.length === 0;
  }
  if (!single) {
    const own = judgeOwnProcesses(scope, look.own);
    parts.push(...own.parts);
    passed &&= own.passed;
  }
  return { passed, observed: parts.join(", ") };
}

/** Asks the host's own processes, at once, what judgeOwnProcesses needs for the roles the host has. */
async function ownProcesses(scope: EngineGateScope): Promise<OwnProcesses> {
  const roles = hostRoles(scope);
  const address = scope.host.address;
  const [agent, masters, ping, leader] = await Promise.all([
    roles.agent ? metrics(address, 5051) : undefined,
    roles.master ? masterMetrics(scope.masters) : undefined,
    roles.marathon ? marathonPing(address) : undefined,
    roles.marathon ? marathonLeader(address) : undefined,
  ]);
  return {
    ...(roles.agent ? { agentRegistered: agent?.["slave/registered"] === 1 } : {}),
    ...(masters
      ? {
          masterAnswers: masters.some((m) => m.address === address && m.snapshot !== undefined),
          electedMasters: electedAmong(masters),
        }
      : {}),
    ...(ping !== undefined ? { marathonPing: ping } : {}),
    ...(leader !== undefined ? { marathonLeader: leader } : {}),
  };
}

/** What the gate waits for beyond the engine and its containers, in words. */
function gateWaitsFor(scope: EngineGateScope): string {
  if (isSingleHost(scope)) {
    return " and ZooKeeper serving, the leader, its agent registered, Marathon and every app (single-instance ones too): there is no other host";
  }
  const roles = hostRoles(scope);
  const own = [
    roles.agent ? "its agent registered again" : "",
    roles.master ? "its master answering with one leader elected" : "",
    roles.marathon ? "its Marathon answering /ping through a leader" : "",
    roles.agent && scope.marathons.length > 0 ? "every multi-instance app healthy" : "",
  ].filter(Boolean);
  return own.length ? ` and ${own.join(", ")}` : "";
}

/** What one look reads: the engine's version and running containers over SSH, and everything else it asks. */
export interface EngineReads {
  readonly version: () => Promise<string | undefined>;
  readonly containers: () => Promise<readonly string[]>;
  /** The cluster's and the host's own processes' answers the scope needs (HTTP). */
  readonly rest: () => Promise<Omit<EngineLook, "version" | "containers">>;
}

/**
 * The gate's looks, one per call. The engine and its containers are read over SSH until a look finds them back; from
 * then on a look first asks the rest (the agent's registration, Marathon's apps…), which is what the gate then waits
 * for, and reads the engine and its containers again only when the rest would let the look pass: no look passes on
 * what an earlier one read, and none repeats two remote commands (ten steps of a wave, looking every interval) for a
 * fact it has just seen. A look that finds them gone starts over.
 */
export function engineLooks(
  scope: EngineGateScope,
  reads: EngineReads,
): () => Promise<{ readonly passed: boolean; readonly observed: string }> {
  let settled: Pick<EngineLook, "version" | "containers"> | undefined;
  const engineBack = (engine: Pick<EngineLook, "version" | "containers">): boolean =>
    engine.version === scope.version && missingContainers(scope, engine.containers).length === 0;
  return async () => {
    let rest: Omit<EngineLook, "version" | "containers"> | undefined;
    if (settled) {
      rest = await reads.rest();
      const seen = judgeEngineLook(scope, { ...settled, ...rest });
      if (!seen.passed) return seen;
    }
    const version = await reads.version();
    if (version !== scope.version) {
      settled = undefined;
      return judgeEngineLook(scope, { version, containers: [] });
    }
    const engine = { version, containers: await reads.containers() };
    settled = engineBack(engine) ? engine : undefined;
    return judgeEngineLook(scope, { ...engine, ...(rest ?? (await reads.rest())) });
  };
}

/** Waits until a look passes; the failure is the gate's own error (what it waited for, what it saw last). */
export async function waitForEngine(
  scope: EngineGateScope,
  look: {
    readonly version: (shell: RemoteShell) => Promise<string | undefined>;
    readonly containers: (shell: RemoteShell) => Promise<string[]>;
  },
  shell: RemoteShell,
  timeoutSeconds: number,
  intervalSeconds?: number,
): Promise<{ observed: string; failure?: undefined } | { observed?: undefined; failure: string }> {
  const single = isSingleHost(scope);
  const what = gateWaitsFor(scope);
  try {
    const passed = await waitForGate({
      description: `docker on ${scope.host.name} answers at ${scope.version} with ${scope.keep.length ? scope.keep.join(", ") : "no containers"} back${what}`,
      timeoutSeconds,
      ...componentGatePace(intervalSeconds),
      check: engineLooks(scope, {
        version: () => look.version(shell),
        containers: () => look.containers(shell),
        rest: async () => {
          const zookeeper = single
            ? await Promise.all(
                scope.zookeepers.map(async (address) => ({ address, state: await zookeeperState(address) })),
              )
            : undefined;
          const leader = single ? await leaderState(scope.masters) : undefined;
          const marathonAnswers = single ? (await firstAnswer(scope.marathons, marathonInfo)) !== undefined : undefined;
          const [apps, own] = await Promise.all([
            scope.runsAgent && scope.marathons.length > 0 ? firstAnswer(scope.marathons, marathonApps) : undefined,
            single ? undefined : ownProcesses(scope),
          ]);
          return {
            ...(zookeeper ? { zookeeper } : {}),
            ...(leader ? { leader } : {}),
            ...(marathonAnswers !== undefined ? { marathonAnswers } : {}),
            ...(apps ? { apps } : {}),
            ...(own ? { own } : {}),
          };
        },
      }),
    });
    return { observed: `${passed.observed} (after ${passed.seconds}s)` };
  } catch (error) {
    return { failure: (error as Error).message };
  }
}
