/**
 * Marathon hops past the seed's graph: from the 1.1 line on, one line per hop, each onto the next
 * line's latest patch (or onto the target in the target's line). Marathon's upgrade guide says not to
 * skip lines, and the storage minimums make it a rule (1.5 only from 1.4.x; 1.8+ only from 1.6/1.7):
 * each line's `enterFrom` in the catalogue, which these hops always satisfy (unit-tested).
 */
import { MARATHON_LINE_BY_LINE_FROM, MARATHON_LINES } from "../catalogue/marathon";
import { marathonHops } from "./marathon-graph";
import { lineIndex, minorOf } from "./versions";

const START = MARATHON_LINES.findIndex((line) => line.minor === MARATHON_LINE_BY_LINE_FROM.minor);

/**
 * Hops from `from` (excluded) to `to` (included) when `to` lies past the 1.1 line, else undefined (the
 * seed's graph decides). From a line before 1.1 the graph leads to the first 1.1 release on its path.
 */
export function marathonLineHops(from: string, to: string): readonly string[] | undefined {
  const last = lineIndex("marathon", to);
  if (last <= START) return undefined;
  let hops: string[] = [];
  let current = from;
  if (lineIndex("marathon", from) < START) {
    const intoLine = marathonHops(from, (MARATHON_LINES[START] as { latest: string }).latest);
    if (intoLine === undefined) return undefined;
    const cut = intoLine.findIndex((v) => minorOf(v) === MARATHON_LINE_BY_LINE_FROM.minor);
    hops = intoLine.slice(0, cut + 1);
    current = hops[hops.length - 1] as string;
  }
  for (let index = lineIndex("marathon", current) + 1; index <= last; index++) {
    current = index === last ? to : (MARATHON_LINES[index] as { latest: string }).latest;
    hops.push(current);
  }
  if (lineIndex("marathon", from) === last) return [to];
  return hops;
}
