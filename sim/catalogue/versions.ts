// Version arithmetic of the simulator: releases ("0.28.2", "1.0.0-RC1") and Docker API versions ("1.19", no patch).
// Written apart from catalogue/versions.ts on purpose (API versions have two parts); a unit test holds the two to the
// same order over every catalogued release.

/** A parsed release number; `pre` is a pre-release suffix such as "RC1" (sorts before the release). */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre?: string;
}

/** Parses "1.2.3" or "1.2.3-RC1"; returns undefined for anything else. */
export function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-([A-Za-z0-9.]+))?$/.exec(text.trim());
  if (!match) return undefined;
  const version = { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
  return match[4] === undefined ? version : { ...version, pre: match[4] };
}

/** Compares two version strings; unparseable input throws, since catalogue data is trusted. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) throw new Error(`cannot compare versions "${a}" and "${b}"`);
  const byNumber = x.major - y.major || x.minor - y.minor || x.patch - y.patch;
  if (byNumber !== 0) return byNumber;
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** True when `version` >= `floor`. */
export function atLeast(version: string, floor: string): boolean {
  return compareVersions(version, floor) >= 0;
}
