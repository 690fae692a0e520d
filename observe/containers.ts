// Finding a component's container by what it runs (image repository, command), never by a fixed name: operators
// chose their own names, and names starting with "mesos-" are stopped by a recovering agent (parse() in apache/mesos
// src/slave/containerizer/docker.cpp), so the name is a setting and a rename happens at a restart.
import { COMPONENT_COMMANDS, IMAGE_REPOSITORIES, type ContainerComponent } from "../catalogue/images";
import { listContainers, type RunningContainer } from "../providers/container";
import type { RemoteShell } from "../remote/ssh";

// Reading containers is still implemented in providers/container.ts (its owner reworks the inspect round trip);
// everything outside the providers reads them through this module.
export { daemonLogDriver, inspectContainer, listContainers, type RunningContainer } from "../providers/container";

/** How to recognise a component's container. */
export interface ComponentMatch {
  readonly component: ContainerComponent;
  /** Image repository the stack runs the component from. @default the catalogue's repository */
  readonly repository?: string;
}

const repositoryOf = (image: string): string => {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(0, colon) : image;
};
const programOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Whether `container` runs `match`'s component: its image's repository, or its command. Executor containers do not. */
export function runsComponent(container: RunningContainer, match: ComponentMatch): boolean {
  // Executor containers (--docker_mesos_image) run from the agent's image as mesos-<SlaveID>.<ContainerID>.executor.
  if (/^mesos-.+\.executor$/.test(container.name)) return false;
  const repository = match.repository ?? IMAGE_REPOSITORIES[match.component].repository;
  if (repositoryOf(container.image) === repository) return true;
  const commands = COMPONENT_COMMANDS[match.component];
  return commands.includes(programOf(container.path)) || (container.path === "" && commands.includes(programOf(container.args[0] ?? "")));
}

/** The container of the component among `containers`: the running one (refusing two), else a stopped one. */
export function pickComponentContainer(containers: readonly RunningContainer[], match: ComponentMatch): { container?: RunningContainer; problem?: string } {
  const candidates = containers.filter((c) => runsComponent(c, match));
  const running = candidates.filter((c) => c.running);
  if (running.length > 1) {
    return { problem: `${running.length} running containers run ${match.component} (${running.map((c) => `${c.name}: ${c.image}`).join(", ")}); stop all but one on the host` };
  }
  return { container: running[0] ?? candidates[0] };
}

/** The host's container of the component, or undefined when none runs it. Throws when two running ones do. */
export async function findComponentContainer(shell: RemoteShell, match: ComponentMatch): Promise<RunningContainer | undefined> {
  const picked = pickComponentContainer(await listContainers(shell), match);
  if (picked.problem) throw new Error(`${shell.label}: ${picked.problem}`);
  return picked.container;
}

/**
 * Containers an agent starting on the host would stop: names parse() accepts ("mesos-…") that are not Mesos' own
 * task or executor containers (mesos-<ContainerID>, mesos-<SlaveID>.<ContainerID>[.executor], ids UUIDs).
 * `leaving` is the container the step replaces (it is stopped before the agent starts).
 */
export function containersAnAgentWouldStop(containers: readonly RunningContainer[], leaving?: string): RunningContainer[] {
  const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  const mesosOwn = new RegExp(`^mesos-(${uuid}|[^.]+\\.${uuid}(\\.executor)?)$`);
  return containers.filter((c) => c.running && c.name !== leaving && c.name.startsWith("mesos-") && !mesosOwn.test(c.name));
}
