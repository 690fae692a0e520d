/** Marathon hops that cannot roll: every instance stops, then all start at the new version (Marathon 1.1 → 1.3). */
import { MARATHON_WHOLE_CLUSTER_RESTARTS, type WholeClusterRestart } from "../catalogue/marathon";
import { compareVersions } from "./versions";

/** The whole-cluster restart a Marathon hop `from → to` needs, or undefined when it can roll one instance at a time. */
export function wholeClusterRestart(from: string, to: string): WholeClusterRestart | undefined {
  return MARATHON_WHOLE_CLUSTER_RESTARTS.find(
    (r) => compareVersions(from, r.before) < 0 && compareVersions(to, r.at) >= 0,
  );
}
