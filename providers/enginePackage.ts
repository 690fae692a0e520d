// The docker-engine package of one host: what dpkg has, the pinned Debian version, downloading, installing, finishing.
import { dockerPackage } from "../catalogue/docker-packages";
import { RemoteCommandError } from "../remote/errors";
import type { RemoteShell } from "../remote/ssh";

export const PACKAGE = "docker-engine";
const INSTALLED = "install ok installed";

/** What one change does to the engine: a package install, a restart for new options, or finishing an interrupted install. */
export type EngineAction = "install" | "restart" | "finish";

/** The docker-engine package as dpkg records it. */
export interface InstalledPackage {
  readonly version: string;
  /** e.g. "install ok installed", "install ok half-configured" (`dpkg-query -W -f='${Status}'`). */
  readonly status: string;
}

/** The DOCKER_OPTS line of /etc/default/docker (read by the upstart job of docker-engine on trusty). */
export function dockerOpts(inputs: { readonly logDriver?: string; readonly registryMirrors?: readonly string[]; readonly insecureRegistries?: readonly string[] }): string {
  const options = [`--log-driver=${inputs.logDriver ?? "json-file"}`];
  for (const mirror of inputs.registryMirrors ?? []) options.push(`--registry-mirror=${mirror}`);
  for (const registry of inputs.insecureRegistries ?? []) options.push(`--insecure-registry=${registry}`);
  return `DOCKER_OPTS="${options.join(" ")}"`;
}

/** The Debian package version of an engine release (the rule lives in catalogue/docker-packages.ts). */
export function packageVersion(version: string, suite = "trusty"): string {
  return dockerPackage(version, suite).version;
}

/** The docker-engine package as dpkg records it, or undefined when it is not installed. */
export async function installedPackage(shell: RemoteShell): Promise<InstalledPackage | undefined> {
  const result = await shell.run(["dpkg-query", "-W", "--showformat=${Version}\\t${Status}", PACKAGE], { allowFailure: true });
  if (result.code !== 0) return undefined;
  const [version, status] = result.stdout.trim().split("\t");
  return version ? { version, status: status ?? "" } : undefined;
}

/** Whether dpkg has the package fully installed and configured. */
export function isInstalled(pkg: InstalledPackage | undefined): boolean {
  return pkg?.status === INSTALLED;
}

/**
 * Downloads the pinned package into apt's cache without installing it (`apt-get install -d`), so a missing
 * package or an unreachable mirror fails the step before anything is drained or stopped.
 */
export async function downloadPackage(shell: RemoteShell, pinned: string): Promise<void> {
  await shell.run(["apt-get", "update"]);
  await shell.run(["apt-get", "install", "-d", "-y", `${PACKAGE}=${pinned}`]);
}

/** Installs the pinned package (its postinst restarts the daemon). */
export async function installPackage(shell: RemoteShell, pinned: string): Promise<void> {
  await shell.run(["apt-get", "update"]);
  await shell.run(["apt-get", "install", "-y", `${PACKAGE}=${pinned}`]);
}

/** Finishes an install apt left half done: configure what dpkg unpacked, reinstall the pinned version if needed, start the engine. */
export async function finishInstall(shell: RemoteShell, pinned: string, engineAnswers: () => Promise<boolean>): Promise<void> {
  const before = await installedPackage(shell);
  if (!isInstalled(before)) await shell.run(["apt-get", "install", "-f", "-y"]);
  const after = await installedPackage(shell);
  if (after?.version !== pinned || !isInstalled(after)) await shell.run(["apt-get", "install", "-y", `${PACKAGE}=${pinned}`]);
  if (!(await engineAnswers())) await shell.run(["service", "docker", "start"], { allowFailure: true });
}

/** The step's error for a failed apt/dpkg/service command: host, package, apt's last stderr lines, and the fix. */
export function commandFailure(error: unknown, pinned: string, action: EngineAction | "download"): string {
  if (!(error instanceof RemoteCommandError)) return (error as Error).message;
  const what = action === "restart" ? "restarting docker for its new options" : action === "download" ? `downloading ${PACKAGE}=${pinned}` : `installing ${PACKAGE}=${pinned}`;
  return `${what} failed: \`${error.command}\` exited with code ${error.exitCode ?? "(signal)"}${error.stderrTail ? `; apt/dpkg said: ${error.stderrTail}` : ""}`;
}
