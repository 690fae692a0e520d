// Mesos and Marathon run as Docker containers: inspect, pre-pull, replace and put back, through the Docker CLI.
import type { RemoteShell } from "../remote/ssh";
import { withEnvFile } from "./env-file";
import { splitSecretEnv } from "../catalogue/secret-env";
import { optionFlags, optionsOf, ownEnvironment, type ContainerOptions, type ImageDefaults, type InspectedOptions } from "./container-options";

/** A container as we start it: `docker run -d` with these settings. */
export interface ContainerSpec {
  readonly name: string;
  /** "repository:tag". */
  readonly image: string;
  /** Arguments after the image (the component's flags). */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Bind mounts "hostPath:containerPath". */
  readonly volumes: readonly string[];
  /** @default true: Mesos and Marathon bind the host's address and ports. */
  readonly hostNetwork: boolean;
  readonly privileged: boolean;
  /** Docker restart policy ("on-failure" takes options.restartRetries); "always" brings the component back after an engine restart. */
  readonly restart: "always" | "unless-stopped" | "on-failure" | "no";
  /** --pid=host: the host's PID namespace (an agent recovering executor containers needs it). @default false */
  readonly pidHost?: boolean;
  /** Names in `env` the stack lists as secrets, besides those whose name says so (providers/secret-env.ts). */
  readonly secretEnv?: readonly string[];
  /** Every other option, kept from the container this one replaces (limits, DNS, labels, log driver, …). */
  readonly options?: ContainerOptions;
}

/** What `docker inspect` says of a container, as far as we manage it. */
export interface RunningContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** The image's id (digest of its config), which identifies what actually runs. */
  readonly imageId: string;
  readonly running: boolean;
  /** The command the container runs (its entrypoint's program), e.g. "mesos-slave". */
  readonly path: string;
  /** The command's arguments (Config.Cmd: what follows the entrypoint). */
  readonly args: readonly string[];
  /** The container's own environment: what it was started with, without what its image sets (the next image brings its own). */
  readonly env: Readonly<Record<string, string>>;
  readonly volumes: readonly string[];
  readonly hostNetwork: boolean;
  readonly privileged: boolean;
  readonly restart: string;
  readonly pidHost: boolean;
  /** Every other option it was started with (absent: none known). */
  readonly options?: ContainerOptions;
}

interface InspectJson extends InspectedOptions {
  Id: string;
  Name: string;
  Image: string;
  Path?: string;
  Args?: string[] | null;
  Config: InspectedOptions["Config"] & { Image: string; Env?: string[] | null; Cmd?: string[] | null };
  State: { Running: boolean };
  HostConfig?: { Binds?: string[] | null; NetworkMode?: string; PidMode?: string; Privileged?: boolean; RestartPolicy?: { Name?: string; MaximumRetryCount?: number } };
}

/** What the host knows around its containers: each image's config by id, the engine's default log driver. */
export interface InspectContext {
  readonly images: ReadonlyMap<string, ImageDefaults>;
  readonly daemonLogDriver?: string;
}

/**
 * The `docker run` argv for a spec; one flag per setting, in a stable order (readable, and testable as a snapshot).
 * With `envFile`, `--env-file` comes before the `-e` values (Docker reads files first; `-e` wins).
 */
export function runArgv(spec: ContainerSpec, envFile?: string): string[] {
  const argv = ["docker", "run", "-d", "--name", spec.name];
  if (spec.hostNetwork) argv.push("--net", "host");
  if (spec.pidHost) argv.push("--pid", "host");
  if (spec.privileged) argv.push("--privileged");
  if (spec.restart === "on-failure") argv.push("--restart", spec.options?.restartRetries ? `on-failure:${spec.options.restartRetries}` : "on-failure");
  else if (spec.restart !== "no") argv.push("--restart", spec.restart);
  for (const volume of spec.volumes) argv.push("-v", volume);
  if (envFile) argv.push("--env-file", envFile);
  for (const [key, value] of Object.entries(spec.env).sort(([a], [b]) => a.localeCompare(b))) argv.push("-e", `${key}=${value}`);
  argv.push(...optionFlags(spec.options));
  // docker run takes one word for --entrypoint; the entrypoint's other words go first among the arguments.
  argv.push(spec.image, ...(spec.options?.entrypoint?.slice(1) ?? []), ...spec.args);
  return argv;
}

/** Parses one `docker inspect` object; `context` tells what the container inherited (without it, nothing is taken as inherited). */
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
    running: json.State.Running,
    path: json.Path ?? "",
    args: json.Config.Cmd ?? (json.Config.Entrypoint === null || json.Config.Entrypoint === undefined ? json.Args : undefined) ?? [],
    env,
    volumes: json.HostConfig?.Binds ?? [],
    hostNetwork: json.HostConfig?.NetworkMode === "host",
    pidHost: json.HostConfig?.PidMode === "host",
    privileged: json.HostConfig?.Privileged ?? false,
    restart: json.HostConfig?.RestartPolicy?.Name || "no",
    options: optionsOf(json, image, context.daemonLogDriver, json.Id),
  };
}

/** The config of each image the containers run, and the engine's default log driver (`docker info`). */
async function inspectContext(shell: RemoteShell, containers: readonly InspectJson[]): Promise<InspectContext> {
  const ids = [...new Set(containers.map((c) => c.Image))];
  const images = new Map<string, ImageDefaults>();
  if (ids.length) {
    const result = await shell.run(["docker", "inspect", ...ids], { allowFailure: true });
    // An image removed since leaves its containers' whole environment as their own (nothing is lost, some is pinned).
    const parsed = result.stdout.trim() ? (JSON.parse(result.stdout) as Array<{ Id: string; Config?: ImageDefaults | null }>) : [];
    for (const image of parsed) images.set(image.Id, image.Config ?? {});
  }
  const driver = await daemonLogDriver(shell);
  return { images, ...(driver ? { daemonLogDriver: driver } : {}) };
}

/** The engine's default log driver ("Logging Driver:" of `docker info`, Docker 1.6+), or undefined when it does not say. */
export async function daemonLogDriver(shell: RemoteShell): Promise<string | undefined> {
  const info = await shell.run(["docker", "info"], { allowFailure: true });
  return /^Logging Driver: (\S+)/m.exec(info.stdout)?.[1];
}

/** The container named `name`, or undefined when there is none. */
export async function inspectContainer(shell: RemoteShell, name: string): Promise<RunningContainer | undefined> {
  const result = await shell.run(["docker", "inspect", name], { allowFailure: true });
  if (result.code !== 0) {
    if (/no such (object|image|container)/i.test(result.stderr)) return undefined;
    throw new Error(`${shell.label}: \`docker inspect ${name}\` failed with exit code ${result.code}: ${result.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  }
  const parsed = JSON.parse(result.stdout) as InspectJson[];
  return parsed.length ? parseInspect(parsed[0] as InspectJson, await inspectContext(shell, parsed)) : undefined;
}

/** Every container on the host, running or not (`docker ps -a -q` then one `docker inspect`; Docker 1.7 has no --format). */
export async function listContainers(shell: RemoteShell): Promise<RunningContainer[]> {
  const ids = (await shell.run(["docker", "ps", "-a", "-q", "--no-trunc"])).stdout.split("\n").map((l) => l.trim()).filter(Boolean);
  if (ids.length === 0) return [];
  const result = await shell.run(["docker", "inspect", ...ids], { allowFailure: true });
  // A container removed between the two commands makes inspect fail for it alone; the others are still printed.
  const parsed = result.stdout.trim() ? (JSON.parse(result.stdout) as InspectJson[]) : [];
  if (result.code !== 0 && parsed.length === 0) throw new Error(`${shell.label}: \`docker inspect\` of the host's containers failed with exit code ${result.code}: ${result.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const context = await inspectContext(shell, parsed);
  return parsed.map((json) => parseInspect(json, context));
}

/** Pulls `image` before anything is stopped, so a registry problem never leaves a component down. */
export async function pullImage(shell: RemoteShell, image: string, timeoutSeconds?: number): Promise<void> {
  await shell.run(["docker", "pull", image], { timeoutSeconds });
}

/** Stops and removes the container `name` if it exists (its volumes and the host's bind mounts stay). */
export async function removeContainer(shell: RemoteShell, name: string, stopTimeoutSeconds = 30): Promise<void> {
  await shell.run(["docker", "stop", "-t", String(stopTimeoutSeconds), name], { allowFailure: true });
  await shell.run(["docker", "rm", "-f", name], { allowFailure: true });
}

/** Starts a container from `spec`; returns its id. Secret environment values go through an env file, never argv. */
export async function runContainer(shell: RemoteShell, spec: ContainerSpec): Promise<string> {
  const { plain, secret } = splitSecretEnv(spec.env, spec.secretEnv);
  const run = (envFile?: string) => shell.run(runArgv({ ...spec, env: plain }, envFile), { secrets: Object.values(secret) });
  const result = Object.keys(secret).length ? await withEnvFile(shell, spec.name, secret, run) : await run();
  return result.stdout.trim().split("\n").pop() ?? "";
}

/** The spec that recreates what runs (for putting the previous version back). */
export function specOf(running: RunningContainer): ContainerSpec {
  return {
    name: running.name,
    image: running.image,
    args: running.args,
    env: running.env,
    volumes: running.volumes,
    hostNetwork: running.hostNetwork,
    pidHost: running.pidHost,
    privileged: running.privileged,
    restart: running.restart === "always" || running.restart === "unless-stopped" || running.restart === "on-failure" ? running.restart : "no",
    options: running.options,
  };
}
