// Finding a component's container by what it runs (image repository, command), never by a fixed name: operators
// chose their own names, and names starting with "mesos-" are stopped by a recovering agent (parse() in apache/mesos
// src/slave/containerizer/docker.cpp), so the name is a setting and a rename happens at a restart.
import { COMPONENT_COMMANDS, IMAGE_REPOSITORIES, type ContainerComponent } from "../catalogue/images";
import { runSections, SECTION_STATUS, type Section, type SectionResult } from "../remote/sections";
import type { RemoteShell } from "../remote/ssh";
import { IMAGE_ID, keepImageConfigs, keptImageConfigs } from "./image-configs";
import {
  optionsOf,
  ownEnvironment,
  type ContainerOptions,
  type ImageDefaults,
  type InspectedOptions,
} from "./container-options";

/** What `docker inspect` says of a container, as far as we manage it. */
export interface RunningContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** The image's id (digest of its config), which identifies what actually runs. */
  readonly imageId: string;
  /** Its process runs now: Docker's State.Running without State.Restarting. */
  readonly running: boolean;
  /**
   * It exited and its restart policy starts it again after a delay: Docker says Running and Restarting then
   * (State.SetRestarting), so a crash-looping container is never "not running" to `docker inspect` (absent: false).
   */
  readonly restarting?: boolean;
  /** The command the container runs (its entrypoint's program), e.g. "mesos-slave". */
  readonly path: string;
  /** The command's arguments (Config.Cmd: what follows the entrypoint). */
  readonly args: readonly string[];
  /**
   * The container's own environment: what it was started with, without what its image sets (the next image brings its
   * own).
   */
  readonly env: Readonly<Record<string, string>>;
  readonly volumes: readonly string[];
  readonly hostNetwork: boolean;
  readonly privileged: boolean;
  readonly restart: string;
  /** Times its restart policy restarted it since it was created (`RestartCount`; 0 when absent). */
  readonly restartCount?: number;
  readonly pidHost: boolean;
  /** Every other option it was started with (absent: none known). */
  readonly options?: ContainerOptions;
}

/** Whether Docker counts the container as running: its process runs, or its restart policy is about to start it. */
export const runningToDocker = (c: RunningContainer): boolean => c.running || c.restarting === true;

/** One object of `docker inspect`'s answer for a container. */
export interface InspectJson extends InspectedOptions {
  Id: string;
  Name: string;
  Image: string;
  Path?: string;
  Args?: string[] | null;
  Config: InspectedOptions["Config"] & { Image: string; Env?: string[] | null; Cmd?: string[] | null };
  State: { Running: boolean; Restarting?: boolean };
  RestartCount?: number;
  HostConfig?: {
    Binds?: string[] | null;
    NetworkMode?: string;
    PidMode?: string;
    Privileged?: boolean;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  };
}

/** What the host knows around its containers: each image's config by id, the engine's default log driver. */
export interface InspectContext {
  readonly images: ReadonlyMap<string, ImageDefaults>;
  readonly daemonLogDriver?: string;
}

/**
 * Parses one `docker inspect` object; `context` tells what the container inherited (without it, nothing is taken as
 * inherited).
 */
export function parseInspect(json: InspectJson, context: InspectContext = { images: new Map() }): RunningContainer {
  const image = context.images.get(json.Image);
  const env: Record<string, string> = {};
  for (const entry of ownEnvironment(json.Config.Env, image)) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return {
    id: json.Id,
    name: json.Name.replace(/^\//, ""),
    image: json.Config.Image,
    imageId: json.Image,
    running: json.State.Running && !json.State.Restarting,
    restarting: json.State.Restarting === true,
    path: json.Path ?? "",
    args:
      json.Config.Cmd ??
      (json.Config.Entrypoint === null || json.Config.Entrypoint === undefined ? json.Args : undefined) ??
      [],
    env,
    volumes: json.HostConfig?.Binds ?? [],
    hostNetwork: json.HostConfig?.NetworkMode === "host",
    pidHost: json.HostConfig?.PidMode === "host",
    privileged: json.HostConfig?.Privileged ?? false,
    restart: json.HostConfig?.RestartPolicy?.Name || "no",
    restartCount: json.RestartCount ?? 0,
    options: optionsOf(json, image, context.daemonLogDriver, json.Id),
  };
}

/** The shell variable in which the read keeps `docker info`'s answer for the sections after it. */
export const INFO_VARIABLE = "info";

/**
 * The image ids in `docker inspect`'s answer for containers ("Image": 64 hex digits, "sha256:" from Docker 1.10; the
 * Config's "Image" is the name it was run by), each once and none of `known` (image ids, a space before and after
 * each): one awk (POSIX; mawk has no `{64}`), one process on the host where a grep, sed, grep and sort pipeline took
 * four.
 */
const imageIdsAwk = (known: readonly string[]): string =>
  `awk -v known=' ${known.join(" ")} ' '{ while (match($0, /"Image": *"(sha256:)?[0-9a-f]+"/)) { s = substr($0, RSTART, RLENGTH); $0 = substr($0, RSTART + RLENGTH); sub(/^"Image": *"/, "", s); sub(/"$/, "", s); id = s; sub(/^sha256:/, "", id); if (length(id) == 64 && !seen[s]++ && !index(known, " " s " ")) print s } }'`;

/**
 * The sections that read containers in one round trip (remote/sections.ts): the ids (`docker ps -a -q`, Docker 1.7 has
 * no --format) unless `names` are given, one `docker inspect` of them, one of the images they run (ids picked out of
 * that answer) but those of `knownImages` (ids whose config a read already brought: observe/image-configs.ts), and the
 * engine's default log driver ("Logging Driver:" of `docker info`, Docker 1.6+, whose whole answer comes back: a line
 * more of output is cheaper than a process; it is also kept in the shell's `$info` for a later section,
 * observe/docker.ts). Container names are Docker names (letters, digits, "_.-"), never quoted words.
 */
export function containerSections(names?: readonly string[], knownImages: Iterable<string> = []): Section[] {
  for (const name of names ?? []) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      throw new Error(`${JSON.stringify(name)} is not a Docker container name or id`);
    }
  }
  const known = [...knownImages];
  for (const id of known) {
    if (!IMAGE_ID.test(id)) throw new Error(`${JSON.stringify(id)} is not a Docker image id`);
  }
  return [
    names
      ? { name: "ps", script: `ids='${names.join(" ")}'` }
      : { name: "ps", script: "ids=$(docker ps -a -q --no-trunc)" },
    {
      name: "inspect",
      script: `c=""; if [ -n "$ids" ]; then c=$(docker inspect $ids); r=$?; printf '%s' "$c"; ${SECTION_STATUS} $r; fi`,
    },
    {
      name: "images",
      script: `imgs=$(printf '%s\\n' "$c" | ${imageIdsAwk(known)}); if [ -n "$imgs" ]; then docker inspect $imgs; fi`,
    },
    {
      name: "info",
      script: `${INFO_VARIABLE}=$(docker info); r=$?; printf '%s\\n' "$${INFO_VARIABLE}"; ${SECTION_STATUS} $r`,
    },
  ];
}

/**
 * The containers of a read, with the configs of the images it asked for, or the failure that stopped it (`ps`:
 * listing failed; `inspect`: every inspect failed).
 */
export type ContainersRead =
  | {
      readonly kind: "read";
      readonly containers: RunningContainer[];
      readonly daemonLogDriver?: string;
      /** The configs of the images this read asked for, by id (not those it was told were known). */
      readonly imagesRead: ReadonlyMap<string, ImageDefaults>;
    }
  | { readonly kind: "failed"; readonly command: string; readonly result: SectionResult };

const missing: SectionResult = { code: -1, stdout: "", stderr: "the remote script stopped before this command" };

/**
 * Interprets the sections of `containerSections` (pure); `knownImages` are the configs of the images it was told not
 * to ask for.
 */
export function containersOf(
  sections: ReadonlyMap<string, SectionResult>,
  knownImages: ReadonlyMap<string, ImageDefaults> = new Map(),
): ContainersRead {
  const ps = sections.get("ps") ?? missing;
  if (ps.code !== 0) return { kind: "failed", command: "docker ps -a -q --no-trunc", result: ps };
  const inspect = sections.get("inspect") ?? missing;
  // A container removed meanwhile makes inspect fail for it alone; the others are still printed.
  const parsed = inspect.stdout.trim() ? (JSON.parse(inspect.stdout) as InspectJson[]) : [];
  if (inspect.code !== 0 && parsed.length === 0) return { kind: "failed", command: "docker inspect", result: inspect };
  const imagesOut = sections.get("images")?.stdout.trim() ?? "";
  // An image removed since leaves its containers' whole environment as their own (nothing is lost, some is pinned).
  const imagesRead = new Map<string, ImageDefaults>();
  for (const image of imagesOut
    ? (JSON.parse(imagesOut) as Array<{ Id: string; Config?: ImageDefaults | null }>)
    : []) {
    imagesRead.set(image.Id, image.Config ?? {});
  }
  const images = new Map([...knownImages, ...imagesRead]);
  const driver = /^Logging Driver: (\S+)/m.exec(sections.get("info")?.stdout ?? "")?.[1];
  const context: InspectContext = { images, ...(driver ? { daemonLogDriver: driver } : {}) };
  return {
    kind: "read",
    containers: parsed.map((json) => parseInspect(json, context)),
    ...(driver ? { daemonLogDriver: driver } : {}),
    imagesRead,
  };
}

/**
 * A host's containers read in one round trip (`names`, or all of them), asking only for the images whose config no
 * read of this process brought yet, and keeping the ones it brings (observe/image-configs.ts).
 */
export async function readContainers(
  shell: RemoteShell,
  names?: readonly string[],
  extra: readonly Section[] = [],
): Promise<{ read: ContainersRead; sections: Map<string, SectionResult> }> {
  const known = keptImageConfigs();
  const sections = await runSections(shell, [...containerSections(names, known.keys()), ...extra]);
  const read = containersOf(sections, known);
  if (read.kind === "read") keepImageConfigs(read.imagesRead);
  return { read, sections };
}

/** The error of a failed read, naming the host, the command, its exit code and the last lines it wrote to stderr. */
export const failureMessage = (label: string, read: Extract<ContainersRead, { kind: "failed" }>): string =>
  `${label}: \`${read.command}\` failed with exit code ${read.result.code}: ${read.result.stderr.trim().split("\n").slice(-3).join(" | ")}`;

/** Every container on the host, running or not, with the engine's default log driver: one round trip. */
export async function readHostContainers(
  shell: RemoteShell,
): Promise<{ containers: RunningContainer[]; daemonLogDriver?: string }> {
  const { read } = await readContainers(shell);
  if (read.kind === "failed") throw new Error(failureMessage(shell.label, read));
  return read;
}

/** Every container on the host, running or not (one round trip). */
export async function listContainers(shell: RemoteShell): Promise<RunningContainer[]> {
  return (await readHostContainers(shell)).containers;
}

/** Whether a failed inspect says the container does not exist (every Docker release's wording). */
export const noSuchContainer = (stderr: string): boolean => /no such (object|image|container)/i.test(stderr);

/** The container named `name`, or undefined when there is none (one round trip). */
export async function inspectContainer(shell: RemoteShell, name: string): Promise<RunningContainer | undefined> {
  const { read } = await readContainers(shell, [name]);
  if (read.kind === "failed") {
    if (read.command === "docker inspect" && noSuchContainer(read.result.stderr)) return undefined;
    throw new Error(failureMessage(shell.label, { ...read, command: `docker inspect ${name}` }));
  }
  return read.containers[0];
}

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
  // Executor containers (--docker_mesos_image) run from the agent's image as mesos-<SlaveID>.<ContainerID>.executor
  // (0.23–1.3) or mesos-<ContainerID>.executor (1.4+; src/slave/containerizer/docker.hpp).
  if (/^mesos-.+\.executor$/.test(container.name)) return false;
  const repository = match.repository ?? IMAGE_REPOSITORIES[match.component].repository;
  if (repositoryOf(container.image) === repository) return true;
  const commands = COMPONENT_COMMANDS[match.component];
  return (
    commands.includes(programOf(container.path)) ||
    (container.path === "" && commands.includes(programOf(container.args[0] ?? "")))
  );
}

/** The container of the component among `containers`: the running one (refusing two), else a stopped one. */
export function pickComponentContainer(
  containers: readonly RunningContainer[],
  match: ComponentMatch,
): { container?: RunningContainer; problem?: string } {
  const candidates = containers.filter((c) => runsComponent(c, match));
  const running = candidates.filter((c) => c.running);
  if (running.length > 1) {
    return {
      problem: `${running.length} running containers run ${match.component} (${running.map((c) => `${c.name}: ${c.image}`).join(", ")}); stop all but one on the host`,
    };
  }
  return { container: running[0] ?? candidates[0] };
}

/**
 * Containers an agent starting on the host would stop: names parse() accepts ("mesos-…") that are not Mesos' own
 * task or executor containers (mesos-<ContainerID>[.executor] before 0.23 and from 1.4,
 * mesos-<SlaveID>.<ContainerID>[.executor] from 0.23 to 1.3; ids UUIDs).
 * `leaving` is the container the step replaces (it is stopped before the agent starts).
 */
export function containersAnAgentWouldStop(
  containers: readonly RunningContainer[],
  leaving?: string,
): RunningContainer[] {
  const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  const mesosOwn = new RegExp(`^mesos-(${uuid}|[^.]+\\.${uuid})(\\.executor)?$`);
  return containers.filter(
    (c) => runningToDocker(c) && c.name !== leaving && c.name.startsWith("mesos-") && !mesosOwn.test(c.name),
  );
}
