/** Reading a plan input as a cluster: who runs what, and the lowest and highest running versions per layer. */
import type { FrameworkName } from "../catalogue/frameworks";
import { compareVersions } from "./versions";
import type { Component, HostComponent, HostInput, PlanInput, Role } from "./types";

/** One running component on one host. */
export interface Instance {
  /** The host. */
  readonly host: HostInput;
  /** What runs. */
  readonly part: HostComponent;
  /** Its version. */
  readonly version: string;
}

/** The host components that run a layer's versions. */
export function partsOf(component: Component): readonly HostComponent[] {
  return component === "mesos" ? ["mesos-master", "mesos-slave"] : [component];
}

/** Every running instance of a layer, in host order (masters and agents together for Mesos). */
export function instancesOf(input: PlanInput, component: Component): Instance[] {
  const parts = partsOf(component);
  const out: Instance[] = [];
  for (const host of input.hosts) {
    for (const part of parts) {
      const version = host.versions[part];
      if (version !== undefined && (part === "docker" || host.roles.includes(part as Role))) {
        out.push({ host, part, version });
      }
    }
  }
  return out;
}

function extreme(versions: readonly string[], sign: 1 | -1): string | undefined {
  let best: string | undefined;
  for (const v of versions) if (best === undefined || sign * compareVersions(v, best) > 0) best = v;
  return best;
}

/** The lowest running version of a layer, or undefined when nothing runs it. */
export function lowestOf(input: PlanInput, component: Component): string | undefined {
  return extreme(
    instancesOf(input, component).map((i) => i.version),
    -1,
  );
}

/** The highest running version of a host component, or undefined when nothing runs it. */
export function highestOf(input: PlanInput, part: HostComponent): string | undefined {
  return extreme(
    input.hosts.flatMap((h) =>
      h.versions[part] === undefined || (part !== "docker" && !h.roles.includes(part))
        ? []
        : [h.versions[part] as string],
    ),
    1,
  );
}

/** Whether a host leads a role. */
export function leads(host: HostInput, role: Role): boolean {
  return host.leader?.includes(role) === true;
}

/** The frameworks of an input as pairs. */
export function frameworksOf(input: PlanInput): [FrameworkName, string][] {
  return Object.entries(input.frameworks ?? {}) as [FrameworkName, string][];
}
