// Discovery: what every host runs now, over SSH (bounded parallelism) and the services' own HTTP answers.
import type { HostComponent, HostInput, Role } from "../planner";
import { sshShell, type SshTarget } from "../remote/ssh";
import { daemonLogDriver, listContainers, type RunningContainer } from "../providers/container";
import { pickComponentContainer } from "../providers/locate";
import { targetOf } from "../providers/component";
import { connectionArgsOf } from "./reach";
import { serverVersion } from "../providers/dockerEngine";
import { versionOfImage } from "../providers/images";
import { electedMasters } from "../providers/probes";
import { getJson } from "../remote/http";
import { mesosFlagsOf } from "./flags";
import { serviceUrl } from "../remote/routes";
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
}

/** The image repository the stack runs each role from (containers are found by it, or by their command). */
function repositoryOf(settings: StackSettings, role: Role): string | undefined {
  return role === "mesos-master" ? settings.mesosMaster.image : role === "mesos-slave" ? settings.mesosSlave.image : settings.marathon.image;
}

/** The SSH target of a host under the stack's settings; `privateKey` is the key or the secrets bundle (encodeCredentials). */
export function targetFor(settings: StackSettings, host: HostSettings, privateKey: string): SshTarget {
  return targetOf({ connection: connectionArgsOf(settings, host.name), privateKey });
}

/** Runs `work` over `items`, at most `limit` at a time, keeping order. */
export async function boundedMap<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
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

async function discoverHost(settings: StackSettings, host: HostSettings, privateKey: string): Promise<Omit<DiscoveredHost, "leader">> {
  const shell = sshShell(targetFor(settings, host, privateKey));
  const versions: Partial<Record<HostComponent, string>> = {};
  const containers: Partial<Record<Role, RunningContainer>> = {};
  const problems: string[] = [];
  let dockerLogDriver: string | undefined;
  try {
    const docker = await serverVersion(shell);
    if (docker) versions.docker = docker;
    else problems.push(`${host.name}: the Docker daemon does not answer \`docker version\``);
    dockerLogDriver = docker ? await daemonLogDriver(shell) : undefined;
    const all = host.roles.length ? await listContainers(shell) : [];
    for (const role of host.roles) {
      const repository = repositoryOf(settings, role);
      const picked = pickComponentContainer(all, { component: role, ...(repository ? { repository } : {}) });
      const container = picked.container;
      const version = container && versionOfImage(container.image);
      if (picked.problem) problems.push(`${host.name}: ${picked.problem}`);
      else if (container && container.running && version) {
        versions[role] = version;
        containers[role] = container;
      }
      else problems.push(`${host.name}: no running container runs ${role} (image ${repository ?? "mesosphere/" + (role === "marathon" ? "marathon" : role)} or command ${role === "mesos-slave" ? "mesos-slave" : role})${container ? `; found ${container.name} (${container.image}, stopped)` : ""}; start it (or fix the host's roles, or the stack's image setting) before upgrading`);
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return { name: host.name, address: host.address, roles: host.roles, versions, containers, ...(dockerLogDriver ? { dockerLogDriver } : {}), problems };
}

/** Discovers every host (at most `parallel` SSH sessions at once) and who leads. */
export async function discoverCluster(settings: StackSettings, privateKey: string, parallel = 8): Promise<DiscoveredHost[]> {
  const found = await boundedMap(settings.hosts, parallel, (host) => discoverHost(settings, host, privateKey));
  const masters = settings.hosts.filter((h) => h.roles.includes("mesos-master")).map((h) => h.address);
  const elected = new Set(await electedMasters(masters));
  const marathonHosts = settings.hosts.filter((h) => h.roles.includes("marathon"));
  let marathonLeader: string | undefined;
  for (const host of marathonHosts) {
    const answer = await getJson<{ leader: string }>(serviceUrl(host.address, 8080, "/v2/leader"));
    if (answer?.leader) {
      marathonLeader = answer.leader.split(":")[0];
      break;
    }
  }
  return found.map((host) => ({
    ...host,
    leader: [
      ...(elected.has(host.address) ? (["mesos-master"] as const) : []),
      ...(host.roles.includes("marathon") && (marathonLeader === host.address || marathonLeader === host.name) ? (["marathon"] as const) : []),
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

/** The planner's view of the discovered hosts. */
export function planHosts(found: readonly DiscoveredHost[]): HostInput[] {
  return found.map((host) => ({
    name: host.name,
    roles: host.roles,
    versions: host.versions,
    leader: host.leader,
    ...(host.roles.includes("mesos-slave") ? { executorContainers: runsExecutorContainers(host.containers["mesos-slave"]) } : {}),
  }));
}
