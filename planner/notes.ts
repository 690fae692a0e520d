/** What a person applying a run should know: crossings, flag changes, downtime, forced moves, missing leaders. */
import { DOCKER_CROSSINGS, DOCKER_LINES, DOCKER_RESTART_WITHOUT_LIVE_RESTORE } from "../catalogue/docker";
import { MARATHON_CROSSINGS } from "../catalogue/marathon";
import { MESOS_CROSSINGS } from "../catalogue/mesos";
import type { CrossingNote } from "../catalogue/types";
import type { FlagComponent } from "../catalogue/flags/types";
import { flagChanges } from "./flags";
import { wholeClusterRestart } from "./whole-cluster";
import type { RunHop } from "./run";
import { compareVersions, lineIndex } from "./versions";
import type { Component, PlanInput, PlanNote, PlanStep, Role } from "./types";

const FLAG_SOURCE = "catalogue/flags (per-version flag schemas)";

function crossingsOf(component: Component): readonly CrossingNote[] {
  switch (component) {
    case "docker":
      return DOCKER_CROSSINGS;
    case "mesos":
      return MESOS_CROSSINGS;
    case "marathon":
      return MARATHON_CROSSINGS;
    default: {
      const unreachable: never = component;
      return unreachable;
    }
  }
}

/** The lowest version a run's steps move from: where the run's hop starts for the whole layer. */
export function lowestFrom(steps: readonly PlanStep[]): string {
  return steps.map((s) => s.from).sort(compareVersions)[0] as string;
}

/** The crossings of a hop `from → to` (those with `from < at <= to`), in catalogue order. */
export function crossingsOfHop(component: Component, from: string, to: string): CrossingNote[] {
  return crossingsOf(component).filter((c) => compareVersions(c.at, from) > 0 && compareVersions(c.at, to) <= 0);
}

/** The storage migrations a hop runs (each calls for a ZooKeeper backup before the hop). */
export function storageMigrations(component: Component, from: string, to: string): CrossingNote[] {
  return crossingsOfHop(component, from, to).filter((c) => c.migratesStorage === true);
}

function flagComponentsOf(component: Component): readonly FlagComponent[] {
  return component === "mesos" ? ["mesos-master", "mesos-slave"] : component === "marathon" ? ["marathon"] : [];
}

function leaderNote(input: PlanInput, steps: readonly PlanStep[], role: Role): PlanNote[] {
  const moving = steps.some(
    (s) =>
      s.component === role ||
      (s.component === "docker" && input.hosts.some((h) => h.name === s.host && h.roles.includes(role))),
  );
  if (!moving || input.hosts.some((h) => h.leader?.includes(role) === true)) return [];
  const component: Component = role === "marathon" ? "marathon" : "mesos";
  return [
    {
      component,
      message: `no host is marked as the ${role} leader, so the leader may not go last: set "leader" on the leading host`,
      source: "planner/waves.ts",
    },
  ];
}

/** Notes for a run's hop: why it is forced, what it crosses, which flags change, what stops. */
export function runNotes(input: PlanInput, hop: RunHop, steps: readonly PlanStep[]): PlanNote[] {
  const notes: PlanNote[] = [];
  const { component, to } = hop;
  if (hop.forced !== undefined) notes.push({ component, message: hop.forced.message, source: hop.forced.source });
  const low = lowestFrom(steps);
  for (const crossing of crossingsOfHop(component, low, to)) {
    notes.push({ component, message: crossing.message, source: crossing.source });
  }
  for (const flagComponent of flagComponentsOf(component)) {
    for (const message of flagChanges(flagComponent, low, to)) notes.push({ component, message, source: FLAG_SOURCE });
  }
  if (component === "marathon") {
    const restart = steps.map((s) => wholeClusterRestart(s.from, s.to)).find((r) => r !== undefined);
    if (restart !== undefined) {
      notes.push({
        component,
        message: `whole-cluster restart: all ${steps.length} Marathon instance(s) stop before any starts at ${to}, so Marathon is down (no API, no deployments; running tasks keep running) from the first stop until a ${to} instance leads: ${restart.reason}`,
        source: restart.source,
      });
    }
  }
  if (component === "docker") {
    // Containers survive only an upgrade from a live-restore line onto the next minor.
    const restarting = steps.filter(
      (s) =>
        DOCKER_LINES[lineIndex("docker", s.from)]?.liveRestore !== true ||
        lineIndex("docker", s.to) - lineIndex("docker", s.from) > 1,
    );
    if (restarting.length > 0) {
      const hosts = restarting.length === 1 ? `host ${restarting[0]?.host}` : `${restarting.length} hosts`;
      notes.push({
        component,
        message: `${DOCKER_RESTART_WITHOUT_LIVE_RESTORE.message} (${hosts} in this run)`,
        source: DOCKER_RESTART_WITHOUT_LIVE_RESTORE.source,
      });
    }
  }
  notes.push(...leaderNote(input, steps, "mesos-master"), ...leaderNote(input, steps, "marathon"));
  return notes;
}
