// What the hosts run, as the stack's own resources recorded it after their last step: the source of the stack's
// `hostVersions` and `completed`, never the plan (a run that fails half way has not done the rest of its plan).
import type { HostComponent } from "../planner";
import { layerOf } from "../catalogue/components";
import { unpackedProperties } from "../providers/packed";
import { completedOf, type Completed } from "./promotion";

/** The host component each of the project's resource types manages. */
const COMPONENT_OF_TYPE: Readonly<Record<string, HostComponent>> = {
  "pulumi-nodejs:dynamic/docker:DockerEngine": "docker",
  "pulumi-nodejs:dynamic/mesos:MesosMaster": "mesos-master",
  "pulumi-nodejs:dynamic/mesos:MesosSlave": "mesos-slave",
  "pulumi-nodejs:dynamic/marathon:MarathonInstance": "marathon",
};

export type HostVersions = Readonly<Record<string, Readonly<Partial<Record<HostComponent, string>>>>>;

const isVersion = (text: unknown): text is string => typeof text === "string" && /^\d+\.\d+\.\d+/.test(text);

/**
 * What a stack has completed: the lowest version of each layer any host runs. A layer where some host runs no
 * readable version (a component left stopped, "none", "unknown") is not completed at all.
 */
export function completedOfRunning(hosts: HostVersions): Completed {
  const broken = new Set(
    Object.values(hosts).flatMap((v) =>
      Object.entries(v)
        .filter(([, version]) => !isVersion(version))
        .map(([c]) => layerOf(c as HostComponent)),
    ),
  );
  const readable = Object.values(hosts).map((v) => ({
    versions: Object.fromEntries(Object.entries(v).filter(([, version]) => isVersion(version))),
  }));
  const completed: Record<string, string> = { ...completedOf(readable) };
  for (const layer of broken) delete completed[layer];
  return completed;
}

/** Each host's running versions from a stack's resources as the engine holds them (urn → outputs). */
export function hostVersionsOfResources(
  resources: Readonly<Record<string, { readonly outputs?: Record<string, unknown> }>>,
): HostVersions {
  const hosts: Record<string, Partial<Record<HostComponent, string>>> = {};
  for (const [urn, { outputs }] of Object.entries(resources)) {
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    const component = COMPONENT_OF_TYPE[type];
    const host = (unpackedProperties(outputs).connection as { name?: unknown } | undefined)?.name;
    if (!component || typeof host !== "string") continue;
    (hosts[host] ??= {})[component] = String(outputs?.runningVersion ?? "unknown");
  }
  return hosts;
}
