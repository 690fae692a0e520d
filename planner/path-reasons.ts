/** Why each hop of a path lands where it does: the rule that chose it and the facts it crosses, with sources. */
import { dockerPackage } from "../catalogue/docker-packages";
import { DOCKER_LINES } from "../catalogue/docker";
import { MARATHON_HOPS, MARATHON_LINE_BY_LINE_FROM, MARATHON_LINES } from "../catalogue/marathon";
import { MESOS_AGENTS_BEFORE_MASTERS_LEAVE, MESOS_HOP_POLICY } from "../catalogue/mesos";
import { wholeClusterRestart } from "./whole-cluster";
import { findPath } from "./paths";
import { storageMigrations } from "./notes";
import { compareVersions, lineIndex, lineOf, minorOf } from "./versions";
import type { Component } from "./types";

/** One hop and why. */
export interface HopReason {
  /** The version the hop lands on. */
  readonly to: string;
  /** Why the path stops here, in operators' words. */
  readonly reason: string;
  /** Where the rule comes from. */
  readonly source: string;
}

function mesosReason(hop: string, target: string): Omit<HopReason, "to"> {
  const minor = minorOf(hop);
  const head = hop === target ? "the target" : `latest patch of ${minor}`;
  if (minor === MESOS_AGENTS_BEFORE_MASTERS_LEAVE.line && hop !== target) {
    return {
      reason: `${head}: ${MESOS_AGENTS_BEFORE_MASTERS_LEAVE.reason}`,
      source: MESOS_AGENTS_BEFORE_MASTERS_LEAVE.source,
    };
  }
  return { reason: `${head}: ${MESOS_HOP_POLICY.reason}`, source: MESOS_HOP_POLICY.source };
}

function dockerReason(previous: string, hop: string): Omit<HopReason, "to"> {
  const line = DOCKER_LINES[lineIndex("docker", previous)];
  const pkg = dockerPackage(hop);
  const rule =
    line?.liveRestore === true
      ? `one minor per hop: a ${line.minor} engine restores its containers only onto the next minor (live-restore)`
      : `straight on: an engine upgrade from ${line?.minor ?? minorOf(previous)} stops the host's containers whatever the step, so intermediate versions would only add outages (every step drains the host)`;
  return { reason: `${rule}; package ${pkg.name}=${pkg.version}`, source: line?.source ?? "catalogue/docker.ts" };
}

function marathonReason(previous: string, hop: string): Omit<HopReason, "to"> {
  const extras: string[] = [];
  const restart = wholeClusterRestart(previous, hop);
  if (restart !== undefined) extras.push(`stop every instance, then start them at ${hop}: ${restart.reason}`);
  if (storageMigrations("marathon", previous, hop).length > 0) {
    extras.push("migrates ZooKeeper storage (back up ZooKeeper first)");
  }
  const tail = extras.length > 0 ? `; ${extras.join("; ")}` : "";
  if (minorOf(previous) === minorOf(hop)) {
    return {
      reason: `a later patch of the same line${tail}`,
      source: lineOf("marathon", hop)?.source ?? "catalogue/marathon.ts",
    };
  }
  const byLine =
    lineIndex("marathon", previous) >= MARATHON_LINES.findIndex((l) => l.minor === MARATHON_LINE_BY_LINE_FROM.minor);
  if (byLine) {
    const line = MARATHON_LINES[lineIndex("marathon", hop)];
    const from = line?.enterFrom?.map((m) => `${m}.x`).join(" or ") ?? "the previous line";
    return {
      reason: `next line, its latest patch: Marathon ${line?.minor} may only be entered from ${from} (lines are not skipped)${tail}`,
      source: `${MARATHON_LINE_BY_LINE_FROM.source}; ${line?.source ?? ""}`,
    };
  }
  const edge = MARATHON_HOPS.find(
    (e) => e.to === hop && minorOf(e.from) === minorOf(previous) && compareVersions(previous, e.from) >= 0,
  );
  return {
    reason: `the seed's hop graph${edge === undefined ? "" : ` (edge ${edge.from} → ${edge.to})`}${tail}`,
    source: edge?.source ?? "catalogue/marathon.ts MARATHON_HOPS",
  };
}

/** The hops of `findPath(component, from, to)`, each with its reason and source. Throws as findPath does. */
export function explainPath(component: Component, from: string, to: string): HopReason[] {
  const hops = findPath(component, from, to);
  return hops.map((hop, i) => {
    const previous = i === 0 ? from : (hops[i - 1] as string);
    const why =
      component === "mesos"
        ? mesosReason(hop, to)
        : component === "docker"
          ? dockerReason(previous, hop)
          : marathonReason(previous, hop);
    return { to: hop, ...why };
  });
}
