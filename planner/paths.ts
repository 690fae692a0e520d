/**
 * One-hop paths per component. Mesos moves one minor per hop through each line's latest patch
 * (the docs only describe adjacent upgrades before 1.0). Docker engines without live-restore go
 * straight to the target, because every restart stops the host's containers anyway and each
 * intermediate version would only add an outage; from 1.12 on, a hop moves one minor so that
 * live-restore keeps containers running (from 17.03 restore is only promised across patch releases,
 * so those lines go straight to the target again). Marathon follows the seed's hop graph up to the
 * 1.1 line, then one line per hop (`marathon-lines.ts`).
 */
import { DOCKER_LINES } from "../catalogue/docker";
import { MESOS_LINES } from "../catalogue/mesos";
import { inputProblem, PlanInputError } from "./errors";
import { marathonHops } from "./marathon-graph";
import { marathonLineHops } from "./marathon-lines";
import { compareVersions, isKnownBad, isKnownRelease, lineIndex, nearestRelease } from "./versions";
import type { Component } from "./types";

/** Human name of a component for messages. */
export function componentLabel(component: Component): string {
  switch (component) {
    case "docker":
      return "Docker";
    case "mesos":
      return "Mesos";
    case "marathon":
      return "Marathon";
    default: {
      const unreachable: never = component;
      return unreachable;
    }
  }
}

function mesosHops(from: string, to: string): readonly string[] {
  const first = lineIndex("mesos", from);
  const last = lineIndex("mesos", to);
  const through = MESOS_LINES.slice(first + 1, last).map((line) => line.latest);
  return first === last ? [to] : [...through, to];
}

function dockerHops(from: string, to: string): readonly string[] {
  const hops: string[] = [];
  let current = from;
  while (compareVersions(current, to) < 0) {
    const index = lineIndex("docker", current);
    const line = DOCKER_LINES[index];
    const next = DOCKER_LINES[index + 1];
    const direct = line === undefined || next === undefined || !line.liveRestore || index === lineIndex("docker", to);
    current = direct || index + 1 === lineIndex("docker", to) ? to : next.latest;
    hops.push(current);
  }
  return hops;
}

/**
 * The hops from `from` to `to`: excludes `from`, ends with `to`, empty when they are equal. Throws a
 * PlanInputError naming `from` or `to` for an unknown release, a known-bad target or a downgrade.
 */
export function findPath(component: Component, from: string, to: string): string[] {
  const label = componentLabel(component);
  const problems = [];
  for (const [field, version] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (!isKnownRelease(component, version)) {
      const near = nearestRelease(component, version);
      problems.push(
        inputProblem(field, version, `a known ${label} release`, `did you mean ${JSON.stringify(near)}?`, [near]),
      );
    }
  }
  if (problems.length > 0) throw new PlanInputError(problems);
  const bad = isKnownBad(component, to);
  if (bad !== undefined) {
    throw new PlanInputError([
      inputProblem(
        "to",
        to,
        `a ${label} release that is not known-bad (${bad.reason})`,
        `use ${JSON.stringify(bad.fixedIn)}`,
        [bad.fixedIn],
      ),
    ]);
  }
  if (compareVersions(to, from) < 0) {
    throw new PlanInputError([
      inputProblem("to", to, `${JSON.stringify(from)} or newer`, `the planner never downgrades ${label}`, [from]),
    ]);
  }
  if (to === from) return [];
  const hops =
    component === "mesos"
      ? mesosHops(from, to)
      : component === "docker"
        ? dockerHops(from, to)
        : (marathonLineHops(from, to) ?? marathonHops(from, to));
  if (hops === undefined) {
    throw new PlanInputError([
      inputProblem(
        "to",
        to,
        `reachable from ${label} ${from} over the hop graph`,
        "add the missing hop to the catalogue",
      ),
    ]);
  }
  return [...hops];
}
