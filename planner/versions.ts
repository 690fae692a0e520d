/** Version arithmetic over the catalogue: ordering, lines, latest patches, known-bad releases. */
import { DOCKER_LINES } from "../catalogue/docker";
import { MARATHON_LINES } from "../catalogue/marathon";
import { MESOS_KNOWN_BAD, MESOS_LINES } from "../catalogue/mesos";
import type { KnownBadRelease, ReleaseLine, VersionRange } from "../catalogue/types";
import { compareVersions, isVersionString, majorOf, maxVersion, minorOf, minVersion } from "../catalogue/versions";
import type { Component } from "./types";

export { compareVersions, isVersionString, majorOf, maxVersion, minorOf, minVersion };

/** Whether `version` lies in `range`. */
export function inRange(version: string, range: VersionRange): boolean {
  return (
    (range.from === undefined || compareVersions(version, range.from) >= 0) &&
    (range.to === undefined || compareVersions(version, range.to) <= 0) &&
    (range.before === undefined || compareVersions(version, range.before) < 0)
  );
}

/** The catalogue's release lines of a component, oldest first. */
export function releaseLines(component: Component): readonly ReleaseLine[] {
  switch (component) {
    case "docker":
      return DOCKER_LINES;
    case "mesos":
      return MESOS_LINES;
    case "marathon":
      return MARATHON_LINES;
    default: {
      const unreachable: never = component;
      throw new TypeError(`unknown component ${JSON.stringify(unreachable)}`);
    }
  }
}

const allReleases = new Map<Component, readonly string[]>();

/** Every catalogued release of a component, oldest first. */
export function releasesOf(component: Component): readonly string[] {
  let list = allReleases.get(component);
  if (list === undefined) {
    list = releaseLines(component).flatMap((line) => line.releases);
    allReleases.set(component, list);
  }
  return list;
}

/** Whether `version` is a catalogued release of `component`. */
export function isKnownRelease(component: Component, version: string): boolean {
  return releasesOf(component).includes(version);
}

/** The line a release belongs to, if catalogued. */
export function lineOf(component: Component, version: string): ReleaseLine | undefined {
  return releaseLines(component).find((line) => line.releases.includes(version));
}

/** Whether two minor names are the same line, numerically ("17.03" and "17.3" are). */
function sameMinor(a: string, b: string): boolean {
  return minorOf(`${a}.0`) === minorOf(`${b}.0`);
}

/** Position of a version's minor line among the component's lines (for skew arithmetic), or -1. */
export function lineIndex(component: Component, version: string): number {
  const minor = minorOf(version);
  return releaseLines(component).findIndex((line) => sameMinor(line.minor, minor));
}

/** The latest patch of a minor line (`"0.28"` → `"0.28.3"`), or undefined for an unknown line. */
export function latestPatch(component: Component, minor: string): string | undefined {
  return releaseLines(component).find((line) => sameMinor(line.minor, minor))?.latest;
}

/** The known-bad record of a release (with its reason and fix), or undefined when it is safe to land on. */
export function isKnownBad(component: Component, version: string): KnownBadRelease | undefined {
  return component === "mesos" ? MESOS_KNOWN_BAD.find((bad) => bad.version === version) : undefined;
}

/**
 * The release to suggest for an unknown version: the latest patch of its line when the line is known,
 * else the highest release below it, else the oldest release.
 */
export function nearestRelease(component: Component, version: string): string {
  const releases = releasesOf(component);
  if (isVersionString(version)) {
    const sameLine = latestPatch(component, minorOf(version));
    if (sameLine !== undefined) return sameLine;
    const below = releases.filter((r) => compareVersions(r, version) < 0);
    if (below.length > 0) return below[below.length - 1] as string;
  }
  return releases[0] as string;
}
