// The one refusal every provider makes before it moves a component: never a downgrade, never more than one hop.
import { findPath } from "./paths";
import type { Component } from "./types";
import { compareVersions } from "./versions";

/**
 * Why `label` (e.g. "mesos-slave on a1"), running `live`, cannot move to `version` in one step; undefined when it
 * can (or runs nothing readable, or already runs it). The message names the hop to set instead.
 */
export function hopRefusal(
  component: Component,
  label: string,
  live: string | undefined,
  version: string,
): string | undefined {
  if (!live || live === version) return undefined;
  if (compareVersions(version, live) < 0) {
    return `${label} runs ${live}; version "${version}" would be a downgrade, which this project never does`;
  }
  const path = findPath(component, live, version);
  if (path.length > 1) {
    return `${label} runs ${live}; ${version} is ${path.length} hops away (${path.join(" → ")}); one hop per run: set version to ${path[0]}`;
  }
  return undefined;
}
