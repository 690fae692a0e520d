// The downtime forecast of a run, one function for the converge (program.ts, with Marathon's apps) and the review
// (rollout.ts, which asks no host): on a cluster with no other host every step names what it stops and says there is
// no other host (singleHost.ts); elsewhere single-instance apps on a task-killing restart are down until Marathon
// starts them on another agent. On any cluster an only master's or only Marathon's API is down at each step that stops
// it, Marathon's at the step that stops the leading one until a standby is elected, and every Marathon's at a
// whole-cluster restart. Pure.
import type { PlanStep } from "../planner";
import { hostRuns, hostsAlike, onHosts } from "../planner/host-runs";
import { runsOn } from "../observe/placement";
import {
  hasNoOtherHost,
  onlyInstanceDowntime,
  singleHostDowntime,
  unknownLeaderDowntime,
  type AppsKnown,
  type ForecastHost,
} from "./singleHost";

export type { AppsKnown } from "./singleHost";

const WHAT = (step: PlanStep) => (step.component === "docker" ? "Docker" : "the Mesos agent");

/**
 * The lines of a cluster with other agent hosts: only task-killing restarts take apps down, until Marathon moves them.
 */
function elsewhereDowntime(steps: readonly PlanStep[], hosts: readonly ForecastHost[], apps: AppsKnown): string[] {
  const killing = steps
    .filter((s) => s.killsTasks)
    .flatMap((step) => {
      const host = hosts.find((h) => h.name === step.host);
      return host ? [{ step, host }] : [];
    });
  if (killing.length === 0) return [];
  if (apps === "unasked") {
    // The same restart on several hosts is one line naming them (a review of 200 hosts reads in a few lines).
    return hostsAlike(
      killing,
      ({ host }) => host.name,
      ({ step: s }) => `${s.component} ${s.from} → ${s.to}\u0000${s.killsTasks}`,
    ).map(({ hosts, first: { step: s } }) =>
      onHosts(
        `${s.component} ${s.from} → ${s.to}`,
        hosts,
        ` stops ${hosts.length === 1 ? "the host's" : "each host's"} tasks (${s.killsTasks}): single-instance apps there are down until Marathon starts them elsewhere`,
      ),
    );
  }
  if (apps === "unanswered") {
    const restarts = hostsAlike(
      killing,
      ({ host }) => host.name,
      ({ step }) => WHAT(step),
    ).map(({ what, hosts }) => `${what} on ${hostRuns(hosts)}`);
    return [
      `restarts of ${restarts.join(", ")} stop their tasks; Marathon did not answer, so which single-instance apps go down is unknown`,
    ];
  }
  return killing.flatMap(({ step, host }) =>
    apps
      .filter((a) => a.instances === 1 && runsOn(a, host))
      .map(
        (app) =>
          `${app.id} (single instance) is down while ${WHAT(step)} restarts on ${host.name}, until Marathon starts it elsewhere`,
      ),
  );
}

/**
 * What a run's steps take down, for people. `hosts`: the stack's hosts with their roles; `apps`: Marathon's apps with
 * their tasks' hosts, "unanswered" when no Marathon answered, "unasked" when the caller asks no host (the review).
 */
export function downtimeForecast(
  steps: readonly PlanStep[],
  hosts: readonly ForecastHost[],
  apps: AppsKnown,
): string[] {
  return [
    ...wholeClusterDowntime(steps, hosts),
    ...(apps === "unasked" ? unknownLeaderDowntime(steps, hosts) : []),
    ...(hasNoOtherHost(hosts)
      ? singleHostDowntime(steps, hosts, apps)
      : [...steps.flatMap((step) => onlyInstanceDowntime(step, hosts)), ...elsewhereDowntime(steps, hosts, apps)]),
  ];
}

/** How a whole-cluster line names its steps: one per instance, as the plan lists them. */
const EVERY_INSTANCE = "every instance: ";

/**
 * A whole-cluster Marathon restart (planner/whole-cluster.ts): Marathon's API is down from the first instance's stop
 * until an instance at the new version leads; tasks keep running (Mesos runs them, not Marathon). With a single
 * Marathon the per-step line of the only Marathon (singleHost.ts) names that outage already, so this line is for two
 * or more.
 */
function wholeClusterDowntime(steps: readonly PlanStep[], hosts: readonly ForecastHost[]): string[] {
  const all = steps.filter((s) => s.component === "marathon" && s.restart === "whole-cluster");
  const first = all[0];
  if (!first || hosts.filter((h) => h.roles.includes("marathon")).length === 1) return [];
  return [
    `Marathon's API (${EVERY_INSTANCE}${all.map((s) => s.host).join(", ")}) is down from the first stop until a ${first.to} instance leads: no deployments, scaling or task restarts meanwhile; running tasks keep running`,
  ];
}

/** What one forecast line names down, and at how many of the run's steps. */
export interface DownAt {
  /** The app or API, without the line's parenthesis ("/redis", "Marathon's API"). */
  readonly name: string;
  readonly steps: number;
}

/**
 * Reads a line of the forecast above back (the converge summary counts them): a per-step line ("/redis (1 instance)
 * is down while …") names one step; a whole-cluster restart's one line names every instance's step ("Marathon's API
 * (every instance: m1, m2, m3) is down from …" is 3), as the plan table, the applied steps and the summary's step
 * count list them. Undefined for a line that names nothing down by name.
 */
export function downAt(line: string): DownAt | undefined {
  const match = /^(.+?)(?: \(([^)]*)\))? is down (?:while|from) /.exec(line.trim());
  if (!match) return undefined;
  const every = match[2]?.startsWith(EVERY_INSTANCE) ? match[2].slice(EVERY_INSTANCE.length).split(", ") : undefined;
  return { name: match[1] as string, steps: every?.length ?? 1 };
}
