/**
 * Orders one hop into steps and waves. Mesos masters and Marathon instances go one at a time, standbys
 * first and the leader last (each restart of a leader costs an election, so it happens once, onto an
 * upgraded standby); Mesos masters all go before any agent; agents go in waves of at most
 * `maxUnavailableSlaves`, where steps killing their host's tasks (planner/task-killing.ts) share a wave only with
 * steps on hosts that run none of their multi-instance apps, go alone where Marathon's placement is unknown, and go
 * in the order that lets the tasks they stop start again on hosts already done: hosts without tasks first. Docker
 * engines: hosts running a master or Marathon one at a time (leading hosts last), then the other hosts in waves,
 * because an engine restart stops every container on it. A Marathon hop that cannot roll (1.1 → 1.3,
 * `whole-cluster.ts`) is one wave of every instance, each step marked `whole-cluster`.
 */
import { leads } from "./cluster";
import type { RunHop } from "./run";
import { taskKillingReason } from "./task-killing";
import { compareVersions } from "./versions";
import { wholeClusterRestart } from "./whole-cluster";
import type { Component, HostComponent, HostInput, PlanInput, PlanStep, Role } from "./types";

type Move = Omit<PlanStep, "seq" | "wave">;

function hopMoves(hosts: readonly HostInput[], part: HostComponent, to: string): Move[] {
  const moves: Move[] = [];
  for (const host of hosts) {
    const from = host.versions[part];
    if (from !== undefined && (part === "docker" || host.roles.includes(part)) && compareVersions(from, to) < 0) {
      const killsTasks = taskKillingReason(host, part, from, to);
      moves.push({ host: host.name, component: part, from, to, ...(killsTasks ? { killsTasks } : {}) });
    }
  }
  return moves;
}

/** Stable partition: hosts that lead none of `roles` first, leaders last. */
function leadersLast(hosts: readonly HostInput[], roles: readonly Role[]): HostInput[] {
  const isLeader = (h: HostInput) => roles.some((r) => leads(h, r));
  return [...hosts.filter((h) => !isLeader(h)), ...hosts.filter(isLeader)];
}

function oneAtATime(moves: readonly Move[]): Move[][] {
  return moves.map((m) => [m]);
}

/** A task-killing move with the multi-instance apps its host runs (undefined: unknown). */
export interface KillingMove {
  readonly move: Move;
  readonly apps: readonly string[] | undefined;
}

/**
 * Task-killing moves in waves of at most `size`, first fit in their order: a move joins the first wave whose hosts run
 * none of its host's multi-instance apps, so no wave stops two instances of one app. A move whose host's apps are
 * unknown (Marathon did not answer) goes alone, as every task-killing step did before Marathon's placement was read.
 * Pure.
 */
export function killingWaves(moves: readonly KillingMove[], size: number): Move[][] {
  const waves: Move[][] = [];
  // Waves a move may still join (room left, placement known), with the apps their hosts run.
  let open: { moves: Move[]; apps: Set<string> }[] = [];
  for (const { move, apps } of moves) {
    if (apps === undefined) {
      waves.push([move]);
      continue;
    }
    const wave = open.find((w) => apps.every((app) => !w.apps.has(app)));
    if (wave) {
      wave.moves.push(move);
      for (const app of apps) wave.apps.add(app);
      if (wave.moves.length >= size) open = open.filter((w) => w !== wave);
    } else {
      const opened = { moves: [move], apps: new Set(apps) };
      waves.push(opened.moves);
      if (size > 1) open.push(opened);
    }
  }
  return waves;
}

/**
 * How late a task-killing step should go: hosts that run no Marathon task earliest, then hosts whose tasks are all of
 * single-instance apps (or whose count is unknown), hosts running a multi-instance app latest. Marathon starts the
 * tasks a restart stops on other hosts; by the time a host with tasks restarts, most hosts are done, so its tasks
 * mostly start again on a restarted host instead of on one a later wave stops (a second outage of a single instance,
 * a degraded app's wait at a later gate).
 */
function lateness(host: HostInput | undefined): number {
  if (host?.multiInstanceApps === undefined) return 1;
  if (host.multiInstanceApps.length > 0) return 2;
  return host.marathonTasks === 0 ? 0 : 1;
}

/**
 * Waves of at most `size`: the task-killing steps first (killingWaves, never two instances of one multi-instance app
 * in a wave as far as Marathon's placement is known; packed latest-first, so the hosts that constrain most are placed
 * while every wave has room, then the waves reversed: hosts without tasks first, hosts of multi-instance apps last),
 * then the others.
 */
function inWaves(moves: readonly Move[], size: number, hosts: readonly HostInput[]): Move[][] {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const order = new Map(moves.map((m, i) => [m, i]));
  // Latest first, and in reverse order within one lateness, so that the reversed waves keep the moves' order.
  const latestFirst = moves
    .filter((m) => m.killsTasks)
    .map((move) => ({ move, apps: byName.get(move.host)?.multiInstanceApps, late: lateness(byName.get(move.host)) }))
    .sort((a, b) => b.late - a.late || (order.get(b.move) ?? 0) - (order.get(a.move) ?? 0));
  const waves: Move[][] = killingWaves(latestFirst, size)
    .reverse()
    .map((wave) => wave.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
  const others = moves.filter((m) => !m.killsTasks);
  for (let i = 0; i < others.length; i += size) waves.push(others.slice(i, i + size));
  return waves;
}

/** The moves of one part on `hosts`, in their order. */
type MovesOf = (hosts: readonly HostInput[], part: HostComponent) => Move[];

function wavesOf(input: PlanInput, hop: Pick<RunHop, "component">, movesOf: MovesOf): Move[][] {
  const size = input.rollout.maxUnavailableSlaves;
  const withRole = (role: Role) => input.hosts.filter((h) => h.roles.includes(role));
  switch (hop.component) {
    case "docker": {
      const isControl = (h: HostInput) => h.roles.includes("mesos-master") || h.roles.includes("marathon");
      const control = leadersLast(input.hosts.filter(isControl), ["mesos-master", "marathon"]);
      const others = input.hosts.filter((h) => !isControl(h));
      return [...oneAtATime(movesOf(control, "docker")), ...inWaves(movesOf(others, "docker"), size, input.hosts)];
    }
    case "mesos":
      return [
        ...oneAtATime(movesOf(leadersLast(withRole("mesos-master"), ["mesos-master"]), "mesos-master")),
        ...inWaves(movesOf(withRole("mesos-slave"), "mesos-slave"), size, input.hosts),
      ];
    case "marathon": {
      const moves = movesOf(leadersLast(withRole("marathon"), ["marathon"]), "marathon");
      const together = moves.some((m) => wholeClusterRestart(m.from, m.to) !== undefined);
      return together ? [moves.map((m) => ({ ...m, restart: "whole-cluster" as const }))] : oneAtATime(moves);
    }
    default: {
      const unreachable: never = hop.component;
      throw new TypeError(`unknown component ${JSON.stringify(unreachable)}`);
    }
  }
}

function numbered(waves: readonly Move[][]): PlanStep[] {
  let seq = 0;
  return waves.flatMap((wave, w) => wave.map((move) => ({ seq: ++seq, wave: w + 1, ...move })));
}

/** The steps of a hop, numbered in order, with their waves. */
export function stepsOf(input: PlanInput, hop: RunHop): PlanStep[] {
  return numbered(wavesOf(input, hop, (hosts, part) => hopMoves(hosts, part, hop.to)));
}

/** The layer a settings change belongs to. */
const layerOf = (component: HostComponent): Component =>
  component === "docker" ? "docker" : component === "marathon" ? "marathon" : "mesos";

/**
 * The restarts for settings alone, one layer per run as a hop (Docker, then Mesos, then Marathon), in the hop's order
 * and waves: same versions (from = to), each step saying what changes; a restart that kills its host's tasks (a Docker
 * engine on an agent host, a 0.22 agent) is marked and waved as in a hop.
 */
export function settingsStepsOf(input: PlanInput): PlanStep[] {
  const changes = input.settingsChanges ?? [];
  const layer = (["docker", "mesos", "marathon"] as const).find((l) => changes.some((c) => layerOf(c.component) === l));
  if (!layer) return [];
  const movesOf: MovesOf = (hosts, part) =>
    hosts.flatMap((host) => {
      const change = changes.filter((c) => c.host === host.name && c.component === part).map((c) => c.change);
      const version = host.versions[part];
      if (change.length === 0 || version === undefined) return [];
      const killsTasks = taskKillingReason(host, part, version, version);
      return [
        {
          host: host.name,
          component: part,
          from: version,
          to: version,
          settings: change.join("; "),
          ...(killsTasks ? { killsTasks } : {}),
        },
      ];
    });
  return numbered(wavesOf(input, { component: layer }, movesOf));
}
