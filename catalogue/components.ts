// The things the project upgrades: the layers (Docker, Mesos, Marathon), the roles a host runs besides Docker, and
// which layer each host component belongs to (Mesos masters and agents share the Mesos versions).

/** A software layer the planner upgrades. */
export type Component = "docker" | "mesos" | "marathon";

/** Roles a host may have besides Docker, in the stack files' words. */
export const ROLES = ["mesos-master", "mesos-slave", "marathon"] as const;

/** What a host runs besides Docker. */
export type Role = (typeof ROLES)[number];

/** One upgradable thing on one host: its Docker engine or one of its roles. */
export type HostComponent = "docker" | Role;

/** The layer a host component belongs to: its versions, its target, its promotion record. */
export function layerOf(component: HostComponent): Component {
  switch (component) {
    case "docker":
      return "docker";
    case "mesos-master":
    case "mesos-slave":
      return "mesos";
    case "marathon":
      return "marathon";
    default: {
      const unreachable: never = component;
      throw new TypeError(`unknown host component ${JSON.stringify(unreachable)}`);
    }
  }
}
