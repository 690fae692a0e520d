// Discovery: what every host runs now, over SSH (bounded parallelism) and the services' own HTTP answers.
import type { HostComponent, HostInput, Role } from "../planner";
import { IMAGE_REPOSITORIES, versionOfImage } from "../catalogue/images";
import { failureMessage, pickComponentContainer, readContainers, type RunningContainer } from "../observe/containers";
import { engineVersionOf, serverVersionUnlessInfoSection } from "../observe/docker";
import { multiInstanceAppsOn, tasksOn, type PlacedApp } from "../observe/placement";
import { electedMasters, marathonLeader } from "../observe/services";
import { targetOf } from "../providers/component";
import { sshConnection, sshShell, type SshTarget } from "../remote/ssh";
import { mesosFlagsOf } from "./flags";
import { connectionArgsOf, stackRoutesOf } from "./reach";
import type { HostSettings, StackSettings } from "./settings";

/** One host as found: versions by component, and what could not be read. */
export interface DiscoveredHost {
  readonly name: string;
  readonly address: string;
  readonly roles: readonly Role[];
  readonly versions: Readonly<Partial<Record<HostComponent, string>>>;
  readonly leader: readonly Role[];
  /** The running container of each role: its flags and mounts are the base of what the next hop renders. */
  readonly containers: Readonly<Partial<Record<Role, RunningContainer>>>;
  /** The Docker engine's default log driver as it runs now (`docker info`), when it says. */
  readonly dockerLogDriver?: string;
  /** Problems that stop the run before anything is touched (unreachable, wrong host key, component missing). */
  readonly problems: readonly string[];
  /** The host's /etc/default/docker (the daemon's options), or undefined when it could not be read. */
  readonly dockerDefaults?: string;
}

/** The image repository the stack runs each role from (containers are found by it, or by their command). */
function repositoryOf(settings: StackSettings, role: Role): string | undefined {
  return role === "mesos-master"
    ? settings.mesosMaster.image
    : role === "mesos-slave"
      ? settings.mesosSlave.image
      : settings.marathon.image;
}

/**
 * The SSH target of a host under the stack's settings, the stack's HTTP routes set; `privateKey` is the key or the
 * secrets bundle (encodeCredentials).
 */
export function targetFor(settings: StackSettings, host: HostSettings, privateKey: string): SshTarget {
  return targetOf({ connection: connectionArgsOf(settings, host.name), privateKey }, stackRoutesOf(settings));
}

/** Runs `work` over `items`, at most `limit` at a time, keeping order. */
export async function boundedMap<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** What discovery found instead of a running container, and the fix: one that keeps exiting is not to be started. */
export function notRunning(container: RunningContainer | undefined): string {
  if (!container) return "; start it";
  if (container.restarting) {
    return `; found ${container.name} (${container.image}) exiting and restarted by its restart policy over and over; make it run (see \`docker logs ${container.name}\`)`;
  }
  return `; found ${container.name} (${container.image}, stopped); start it`;
}

async function discoverHost(
  settings: StackSettings,
  host: HostSettings,
  privateKey: string,
): Promise<Omit<DiscoveredHost, "leader">> {
  const shell = sshShell(targetFor(settings, host, privateKey));
  const versions: Partial<Record<HostComponent, string>> = {};
  const containers: Partial<Record<Role, RunningContainer>> = {};
  const problems: string[] = [];
  let dockerDefaults: string | undefined;
  let dockerLogDriver: string | undefined;
  try {
    // One round trip per host: every container with what it inherited, the engine's options file and its version.
    const { read: found, sections } = await readContainers(shell, undefined, [
      { name: "defaults", script: "cat /etc/default/docker" },
      serverVersionUnlessInfoSection,
    ]);
    const docker = engineVersionOf(sections);
    const defaults = sections.get("defaults");
    if (defaults?.code === 0) dockerDefaults = defaults.stdout;
    if (docker) versions.docker = docker;
    else problems.push(`${host.name}: the Docker daemon does not answer \`docker version\``);
    dockerLogDriver = docker && found.kind === "read" ? found.daemonLogDriver : undefined;
    if (found.kind === "failed" && host.roles.length) throw new Error(failureMessage(shell.label, found));
    const all = found.kind === "read" ? found.containers : [];
    for (const role of host.roles) {
      const repository = repositoryOf(settings, role);
      const picked = pickComponentContainer(all, { component: role, ...(repository ? { repository } : {}) });
      const container = picked.container;
      const version = container && versionOfImage(container.image);
      if (picked.problem) problems.push(`${host.name}: ${picked.problem}`);
      else if (container && container.running && version) {
        versions[role] = version;
        containers[role] = container;
      } else {
        problems.push(
          `${host.name}: no running container runs ${role} (image ${repository ?? IMAGE_REPOSITORIES[role].repository} or command ${role === "mesos-slave" ? "mesos-slave" : role})${notRunning(container)} (or fix the host's roles, or the stack's image setting) before upgrading`,
        );
      }
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return {
    name: host.name,
    address: host.address,
    roles: host.roles,
    versions,
    containers,
    ...(dockerLogDriver ? { dockerLogDriver } : {}),
    problems,
    ...(dockerDefaults === undefined ? {} : { dockerDefaults }),
  };
}

/**
 * Logs in to every host first (its pinned key checked, through its jump host), running nothing: one host that
 * presents another key, or cannot be reached, stops discovery before any command runs on any host.
 */
async function loginProblems(
  settings: StackSettings,
  privateKey: string,
  parallel: number,
): Promise<Map<string, string>> {
  const problems = new Map<string, string>();
  await boundedMap(settings.hosts, parallel, (host) =>
    sshConnection(targetFor(settings, host, privateKey)).then(
      () => undefined,
      (error: Error) => void problems.set(host.name, error.message),
    ),
  );
  return problems;
}

/**
 * Hosts read at once: each is one SSH login and one round trip, mostly waiting on the network, so many at a time
 * (sshd's MaxStartups, 10 unauthenticated connections by default, applies per host, not across hosts).
 */
export const DISCOVERY_PARALLEL = 32;

/** Discovers every host (at most `parallel` SSH sessions at once) and who leads. */
export async function discoverCluster(
  settings: StackSettings,
  privateKey: string,
  parallel = DISCOVERY_PARALLEL,
): Promise<DiscoveredHost[]> {
  const refused = await loginProblems(settings, privateKey, parallel);
  if (refused.size) {
    return settings.hosts.map((host) => ({
      name: host.name,
      address: host.address,
      roles: host.roles,
      versions: {},
      containers: {},
      leader: [],
      problems: refused.has(host.name) ? [refused.get(host.name) as string] : [],
    }));
  }
  const found = await boundedMap(settings.hosts, parallel, (host) => discoverHost(settings, host, privateKey));
  const masters = settings.hosts.filter((h) => h.roles.includes("mesos-master")).map((h) => h.address);
  const elected = new Set(await electedMasters(masters));
  const marathonHosts = settings.hosts.filter((h) => h.roles.includes("marathon"));
  let marathonLeaderAddress: string | undefined;
  for (const host of marathonHosts) {
    const leader = await marathonLeader(host.address);
    if (leader) {
      marathonLeaderAddress = leader.split(":")[0];
      break;
    }
  }
  return found.map((host) => ({
    ...host,
    leader: [
      ...(elected.has(host.address) ? (["mesos-master"] as const) : []),
      ...(host.roles.includes("marathon") &&
      (marathonLeaderAddress === host.address || marathonLeaderAddress === host.name)
        ? (["marathon"] as const)
        : []),
    ],
  }));
}

/**
 * Whether an agent container runs its executors in containers of their own: --docker_mesos_image set and the
 * host's PID namespace (catalogue/executors.ts). Its restarts then keep its tasks.
 */
export function runsExecutorContainers(agent: RunningContainer | undefined): boolean {
  const image = agent ? mesosFlagsOf(agent).docker_mesos_image : undefined;
  return agent !== undefined && typeof image === "string" && image !== "" && agent.pidHost;
}

/**
 * The planner's view of the discovered hosts; with Marathon's `apps` (their tasks' hosts), each agent's multi-instance
 * apps too.
 */
export function planHosts(found: readonly DiscoveredHost[], apps?: readonly PlacedApp[]): HostInput[] {
  return found.map((host) => ({
    name: host.name,
    roles: host.roles,
    versions: host.versions,
    leader: host.leader,
    ...(host.roles.includes("mesos-slave")
      ? {
          executorContainers: runsExecutorContainers(host.containers["mesos-slave"]),
          ...(apps ? { multiInstanceApps: multiInstanceAppsOn(apps, host), marathonTasks: tasksOn(apps, host) } : {}),
        }
      : {}),
  }));
}
