// The downtime forecast of a run on a cluster with no other host (the seed's dev machine: master, agent and Marathon
// on one host): every step there stops something with nothing to take over, so the forecast names each app's and
// each API's outage. The API lines of an only master or an only Marathon hold on any cluster (downtime-forecast.ts
// takes them too). Pure: the program passes the plan, the hosts and Marathon's apps.
import type { HostComponent, PlanStep } from "../planner";
import { runsOn } from "../observe/placement";

/** A host as the forecast needs it: its name, address and roles. */
export interface ForecastHost {
  readonly name: string;
  readonly address: string;
  readonly roles: readonly string[];
  /** The roles it leads now, as discovery found them (absent: not known, as in the review, which asks no host). */
  readonly leader?: readonly string[];
}

/** One Marathon app with where its tasks run (`/v2/apps?embed=apps.tasks`). */
export interface ForecastApp {
  readonly id: string;
  readonly instances: number;
  readonly tasks?: ReadonlyArray<{ readonly host: string }>;
}

/**
 * What a forecast knows of Marathon's apps: their tasks' hosts, "unanswered" (no Marathon answered), "unasked" (the
 * review asks no host).
 */
export type AppsKnown = readonly ForecastApp[] | "unanswered" | "unasked";

/** Whether the cluster has a single agent host: a task stopped there has nowhere else to run. */
export function hasNoOtherHost(hosts: readonly ForecastHost[]): boolean {
  return hosts.filter((h) => h.roles.includes("mesos-slave")).length === 1;
}

const WHAT: Readonly<Record<HostComponent, string>> = {
  docker: "Docker",
  "mesos-master": "the Mesos master",
  "mesos-slave": "the Mesos agent",
  marathon: "Marathon",
};

/** How a step is named in the forecast: "while Docker 1.7.1 → 1.11.2 restarts on dev1". */
const duringStep = (step: PlanStep, host: ForecastHost): string =>
  `while ${WHAT[step.component]} ${step.from} → ${step.to} restarts on ${host.name}`;

/** Whether `step` stops the `role` container of `host`: the role's own step, or its host's Docker restart. */
const stops = (step: PlanStep, host: ForecastHost, role: "mesos-master" | "marathon"): boolean =>
  host.roles.includes(role) && (step.component === "docker" || step.component === role);

/** What a standby Marathon does while no instance leads (LeaderProxyFilter), for the forecast's election lines. */
const UNTIL_ELECTED = "until a standby is elected: the standbys answer 503 while they know no leader";

/**
 * The API outages a step causes on any cluster: the Mesos master's when it is the only master and its container
 * stops (its own step, or an engine restart before live-restore stops every container of the host); Marathon's
 * likewise. With another master the API answers from there. With another Marathon it does too, once one leads: a
 * standby forwards every request, `/ping` included, to the leader it knows and answers 503 while it knows none
 * (LeaderProxyFilter), so stopping the leading Marathon takes the API down until a standby is elected (the plan
 * restarts the leader last, so once per run). A whole-cluster restart has its own line (downtime-forecast.ts).
 */
export function onlyInstanceDowntime(step: PlanStep, hosts: readonly ForecastHost[]): string[] {
  const host = hosts.find((h) => h.name === step.host);
  if (!host) return [];
  const masters = hosts.filter((h) => h.roles.includes("mesos-master"));
  const marathons = hosts.filter((h) => h.roles.includes("marathon"));
  const stopsMaster = stops(step, host, "mesos-master");
  const stopsMarathon = stops(step, host, "marathon");
  return [
    ...(stopsMaster && masters.length === 1
      ? [
          `the Mesos API (${host.name}:5050) is down ${duringStep(step, host)}: it is the only master, no leader until it is back and re-elected`,
        ]
      : []),
    ...(stopsMarathon && marathons.length === 1
      ? [
          `Marathon's API (${host.name}:8080) is down ${duringStep(step, host)}: it is the only Marathon, no deployment or scaling until it is back`,
        ]
      : []),
    ...(stopsMarathon && marathons.length > 1 && host.leader?.includes("marathon") && step.restart !== "whole-cluster"
      ? [
          `Marathon's API (${host.name}:8080, the leader) is down ${duringStep(step, host)}, ${UNTIL_ELECTED}; running tasks keep running`,
        ]
      : []),
  ];
}

/**
 * For the review, which asks no host and so knows no leader: with several Marathons, one line for the run's steps
 * that stop a Marathon (its own step, or its host's Docker restart), since one of them stops the leading one and takes
 * the API down until a standby is elected (onlyInstanceDowntime names that step where discovery told the leader). A
 * whole-cluster restart has its own line.
 */
export function unknownLeaderDowntime(steps: readonly PlanStep[], hosts: readonly ForecastHost[]): string[] {
  const marathons = hosts.filter((h) => h.roles.includes("marathon"));
  if (marathons.length < 2) return [];
  const stopping = marathons.filter((host) =>
    steps.some((step) => step.host === host.name && step.restart !== "whole-cluster" && stops(step, host, "marathon")),
  );
  if (stopping.length === 0) return [];
  return [
    `Marathon's API (the leader, one of: ${stopping.map((h) => h.name).join(", ")}) is down from the step that stops the leading Marathon ${UNTIL_ELECTED}; which instance leads is known at the run, not here`,
  ];
}

/**
 * The forecast lines of a run on a cluster with one agent host: per step on a host, which APIs are down
 * (`onlyInstanceDowntime`) and which apps (every app with a task on the host, when the step stops the host's tasks).
 */
export function singleHostDowntime(
  steps: readonly PlanStep[],
  hosts: readonly ForecastHost[],
  apps: AppsKnown,
): string[] {
  const marathons = hosts.filter((h) => h.roles.includes("marathon"));
  const lines: string[] = [];
  for (const step of steps) {
    const host = hosts.find((h) => h.name === step.host);
    if (!host) continue;
    lines.push(...onlyInstanceDowntime(step, hosts));
    if (!step.killsTasks || !host.roles.includes("mesos-slave")) continue;
    const during = duringStep(step, host);
    const back = `${host.name} once the agent${marathons.length ? " and Marathon" : ""} are back`;
    if (apps === "unasked") {
      lines.push(
        `every app with a task on ${host.name} is down ${during} (${step.killsTasks}): there is no other host, they run again on ${back}`,
      );
      continue;
    }
    if (apps === "unanswered") {
      lines.push(
        `every task on ${host.name} stops ${during} (${step.killsTasks}); Marathon did not answer, so which apps go down is unknown; there is no other host`,
      );
      continue;
    }
    for (const app of apps.filter((a) => runsOn(a, host))) {
      lines.push(
        `${app.id} (${app.instances} instance${app.instances === 1 ? "" : "s"}) is down ${during} (${step.killsTasks}): there is no other host, it runs again on ${back}`,
      );
    }
  }
  return lines;
}
