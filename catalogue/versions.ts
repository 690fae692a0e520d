// Release-version arithmetic, the one home of it: ordering (`1.0.0-RC1 < 1.0.0`), minor and major lines. Versions
// are `major.minor.patch[-pre]`, with an optional leading `v` (Marathon's image tags).

interface ParsedVersion {
  readonly numbers: readonly [number, number, number];
  readonly pre: string | undefined;
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;
const parsed = new Map<string, ParsedVersion | null>();

function parse(version: string): ParsedVersion | undefined {
  let hit = parsed.get(version);
  if (hit === undefined) {
    const m = VERSION.exec(version);
    hit = m === null ? null : { numbers: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] };
    parsed.set(version, hit);
  }
  return hit ?? undefined;
}

/** Whether `version` reads as `major.minor.patch[-pre]` (an optional leading `v` allowed). */
export function isVersionString(version: unknown): version is string {
  return typeof version === "string" && parse(version) !== undefined;
}

/**
 * Orders two versions: negative when `a < b`, 0 when equal, positive when `a > b`. A pre-release
 * sorts before its release (`1.0.0-RC1 < 1.0.0`). Throws a TypeError for strings that are not versions.
 */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) {
    throw new TypeError(
      `compareVersions needs versions like "0.28.2", got ${JSON.stringify(pa === undefined ? a : b)}`,
    );
  }
  for (let i = 0; i < 3; i++) {
    const d = (pa.numbers[i] as number) - (pb.numbers[i] as number);
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  return pa.pre < pb.pre ? -1 : 1;
}

/** The higher of two versions. */
export function maxVersion(a: string, b: string): string {
  return compareVersions(a, b) >= 0 ? a : b;
}

/** The lower of two versions. */
export function minVersion(a: string, b: string): string {
  return compareVersions(a, b) <= 0 ? a : b;
}

/** The minor line of a version: `"0.28.2"` → `"0.28"`. */
export function minorOf(version: string): string {
  const p = parse(version);
  if (p === undefined) throw new TypeError(`minorOf needs a version like "0.28.2", got ${JSON.stringify(version)}`);
  return `${p.numbers[0]}.${p.numbers[1]}`;
}

/** The major version number. */
export function majorOf(version: string): number {
  const p = parse(version);
  if (p === undefined) throw new TypeError(`majorOf needs a version like "0.28.2", got ${JSON.stringify(version)}`);
  return p.numbers[0];
}
