// The persistent state of a simulated host outside Docker's own store: installed packages, services, faults.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Fault } from "../faults";

/** dpkg's view of a package: fully installed, or unpacked with a failed post-installation script. */
export type PackageStatus = "installed" | "half-configured";

/** One installed package. */
export interface InstalledPackage {
  readonly version: string;
  readonly status: PackageStatus;
}

/** What survives a daemon restart. */
export interface HostState {
  /** Installed packages by name (e.g. "docker-engine"). */
  packages: Record<string, InstalledPackage>;
  /**
   * The .deb files in /var/cache/apt/archives, as `name_version` (absent on hosts saved before the cache was modelled:
   * none). apt-get keeps what it retrieved there until `apt-get clean`, and an install finds them
   * (sim/host/packages.ts).
   */
  aptArchives?: string[];
  /** Whether the docker service should run (upstart's goal). */
  dockerGoal: "start" | "stop";
  /** Injected faults. */
  faults: Fault[];
}

/** Reads a host's state, or the given initial state when none was saved yet. */
export function loadHostState(path: string, initial: HostState): HostState {
  if (!existsSync(path)) return initial;
  return { ...initial, ...(JSON.parse(readFileSync(path, "utf8")) as Partial<HostState>) };
}

/** Saves a host's state. */
export function saveHostState(path: string, state: HostState): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}
