// The Docker package of one host: what dpkg has, the pinned Debian version, downloading, installing, finishing.
// docker-engine carries the engine up to 17.05 and docker-ce from 17.06 (catalogue/docker-packages.ts). docker-ce
// `Conflicts:` and `Replaces: docker-engine` (docker/docker-ce@v18.06.3-ce:components/packaging/deb/common/control),
// so `apt-get install docker-ce=…` removes docker-engine in the same transaction: the switch is one install.
import { dockerPackage, type DockerPackageName } from "../catalogue/docker-packages";
import { RemoteCommandError } from "../remote/errors";
import type { RemoteShell } from "../remote/ssh";

/** The Debian packages that carry the engine, in the order they were used. */
export const PACKAGES: readonly DockerPackageName[] = ["docker-engine", "docker-ce"];
const INSTALLED = "install ok installed";

/**
 * What one change does to the engine: a package install, a restart for new options, or finishing an interrupted
 * install.
 */
export type EngineAction = "install" | "restart" | "finish";

/** The engine's package as dpkg records it. */
export interface InstalledPackage {
  /** "docker-engine" or "docker-ce". */
  readonly name: string;
  readonly version: string;
  /** e.g. "install ok installed", "install ok half-configured" (`dpkg-query -W -f='${Status}'`). */
  readonly status: string;
}

/** The package asked for one engine release: its name and pinned Debian version (`name=version` for apt). */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  /** The apt repository line that serves it, for messages. */
  readonly repository: string;
}

/** The DOCKER_OPTS line of /etc/default/docker (read by the upstart job of docker-engine and docker-ce on trusty). */
export function dockerOpts(inputs: {
  readonly logDriver?: string;
  readonly registryMirrors?: readonly string[];
  readonly insecureRegistries?: readonly string[];
}): string {
  const options = [`--log-driver=${inputs.logDriver ?? "json-file"}`];
  for (const mirror of inputs.registryMirrors ?? []) options.push(`--registry-mirror=${mirror}`);
  for (const registry of inputs.insecureRegistries ?? []) options.push(`--insecure-registry=${registry}`);
  return `DOCKER_OPTS="${options.join(" ")}"`;
}

/** The Debian package version of an engine release (the rule lives in catalogue/docker-packages.ts). */
export function packageVersion(version: string, suite = "trusty"): string {
  return dockerPackage(version, suite).version;
}

/** The package (name, pinned version, repository) of an engine release on `suite`. */
export function pinnedPackage(version: string, suite = "trusty"): PinnedPackage {
  return dockerPackage(version, suite);
}

/**
 * Picks the engine's package from `dpkg-query -W` lines (`name\tversion\tstatus`); removed packages have no version.
 */
export function parseInstalled(stdout: string): InstalledPackage | undefined {
  const rows = stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(
      ([name, version, status]) =>
        name && version && status && !status.startsWith("deinstall") && !status.startsWith("purge"),
    )
    .map(([name, version, status]) => ({ name: name as string, version: version as string, status: status as string }));
  // docker-ce replaces docker-engine: were both ever listed, the newer package is the one that runs.
  return rows.find((r) => r.name === "docker-ce") ?? rows[0];
}

/** The engine's package (docker-engine or docker-ce) as dpkg records it, or undefined when neither is installed. */
export async function installedPackage(shell: RemoteShell): Promise<InstalledPackage | undefined> {
  // dpkg-query exits 1 when one of the names is unknown, but still prints the others.
  const result = await shell.run(
    ["dpkg-query", "-W", "--showformat=${Package}\\t${Version}\\t${Status}\\n", ...PACKAGES],
    { allowFailure: true },
  );
  return parseInstalled(result.stdout);
}

/** Whether dpkg has the package fully installed and configured. */
export function isInstalled(pkg: InstalledPackage | undefined): boolean {
  return pkg?.status === INSTALLED;
}

/**
 * Downloads the pinned package into apt's cache without installing it (`apt-get install -d`), so a missing
 * package or an unreachable mirror fails the step before anything is drained or stopped.
 */
export async function downloadPackage(shell: RemoteShell, pinned: PinnedPackage): Promise<void> {
  await shell.run(["apt-get", "update"]);
  await shell.run(["apt-get", "install", "-d", "-y", `${pinned.name}=${pinned.version}`]);
}

/** Installs the pinned package (its postinst restarts the daemon; docker-ce removes docker-engine first). */
export async function installPackage(shell: RemoteShell, pinned: PinnedPackage): Promise<void> {
  await shell.run(["apt-get", "update"]);
  await shell.run(["apt-get", "install", "-y", `${pinned.name}=${pinned.version}`]);
}

/**
 * Finishes an install apt left half done: configure what dpkg unpacked, reinstall the pinned version if needed, start
 * the engine.
 */
export async function finishInstall(
  shell: RemoteShell,
  pinned: PinnedPackage,
  engineAnswers: () => Promise<boolean>,
): Promise<void> {
  const before = await installedPackage(shell);
  if (!isInstalled(before)) await shell.run(["apt-get", "install", "-f", "-y"]);
  const after = await installedPackage(shell);
  if (after?.name !== pinned.name || after.version !== pinned.version || !isInstalled(after)) {
    await shell.run(["apt-get", "install", "-y", `${pinned.name}=${pinned.version}`]);
  }
  if (!(await engineAnswers())) await shell.run(["service", "docker", "start"], { allowFailure: true });
}

/** The step's error for a failed apt/dpkg/service command: host, package, apt's last stderr lines, and the fix. */
export function commandFailure(error: unknown, pinned: PinnedPackage, action: EngineAction | "download"): string {
  if (!(error instanceof RemoteCommandError)) return (error as Error).message;
  const what =
    action === "restart"
      ? "restarting docker for its new options"
      : action === "download"
        ? `downloading ${pinned.name}=${pinned.version}`
        : `installing ${pinned.name}=${pinned.version}`;
  return `${what} failed: \`${error.command}\` exited with code ${error.exitCode ?? "(signal)"}${error.stderrTail ? `; apt/dpkg said: ${error.stderrTail}` : ""}`;
}
