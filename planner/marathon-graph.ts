/**
 * The Marathon hop graph. Edges are the catalogue's hops (the seed's table), each also usable from the
 * later releases of its starting line below its target (the changelog diffs a line's base release, and
 * later patches of that line carry no extra storage change); besides, a release may move to any later
 * patch of its own line in one hop. Among shortest paths the planner takes the lowest version at each
 * step, staying on the edges the seed's table names.
 */
import { MARATHON_HOPS } from "../catalogue/marathon";
import { compareVersions, minorOf, releasesOf } from "./versions";

function successors(version: string): readonly string[] {
  const minor = minorOf(version);
  const next = new Set<string>();
  for (const hop of MARATHON_HOPS) {
    if (
      minorOf(hop.from) === minor &&
      compareVersions(version, hop.from) >= 0 &&
      compareVersions(version, hop.to) < 0
    ) {
      next.add(hop.to);
    }
  }
  for (const release of releasesOf("marathon")) {
    if (minorOf(release) === minor && compareVersions(release, version) > 0) next.add(release);
  }
  return [...next].sort(compareVersions);
}

const successorCache = new Map<string, readonly string[]>();
const pathCache = new Map<string, readonly string[] | null>();

function successorsOf(version: string): readonly string[] {
  let next = successorCache.get(version);
  if (next === undefined) {
    next = successors(version);
    successorCache.set(version, next);
  }
  return next;
}

/** Hops from `from` (excluded) to `to` (included) over the graph, or undefined when `to` is unreachable. */
export function marathonHops(from: string, to: string): readonly string[] | undefined {
  const key = `${from}>${to}`;
  const cached = pathCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  // Edges only go up, so distances to `to` settle in one pass from the highest release down.
  const distance = new Map<string, number>([[to, 0]]);
  const candidates = releasesOf("marathon").filter((r) => compareVersions(r, from) >= 0 && compareVersions(r, to) < 0);
  for (const release of [...candidates].reverse()) {
    const best = Math.min(...successorsOf(release).map((s) => distance.get(s) ?? Infinity));
    if (best !== Infinity) distance.set(release, best + 1);
  }
  let result: readonly string[] | null = null;
  if (distance.has(from)) {
    const hops: string[] = [];
    let current = from;
    while (current !== to) {
      const want = (distance.get(current) as number) - 1;
      current = successorsOf(current).find((s) => distance.get(s) === want) as string;
      hops.push(current);
    }
    result = hops;
  }
  pathCache.set(key, result);
  return result ?? undefined;
}
