// The changes of a run's preview for people: host resources that change the same way (a first run's creates, a hop's
// updates of every agent) share one line per component naming their hosts, so 200 hosts read in a few lines rather
// than 403, and exactly as much is said: every host, every input that changes. Pure.
import { hostComponentOfName, type PreviewChange } from "./events";
import { byHostName, hostsAlike, hostsNamed } from "../planner/host-runs";

/** Components in the order the layers go: the engine under the rest. */
const COMPONENT_ORDER = ["docker", "mesos-master", "marathon", "mesos-slave"] as const;

const SYMBOL: Readonly<Record<string, string>> = { create: "+", update: "~", delete: "-", replace: "+-" };

/** What a change does after its name: the inputs that change, or "(create)". */
function whatChanges(change: PreviewChange): string {
  return change.diffs.length ? `  ${change.diffs.join("; ")}` : change.op === "create" ? "  (create)" : "";
}

/** One line per change, indented; host resources changing alike folded per component, in layer then host order. */
export function changeLines(changes: readonly PreviewChange[]): string[] {
  const placed: Array<{ readonly host: string; readonly component: string; readonly change: PreviewChange }> = [];
  const others: PreviewChange[] = [];
  for (const change of changes) {
    const place = hostComponentOfName(change.name);
    if (place) placed.push({ ...place, change });
    else others.push(change);
  }
  const folded = hostsAlike(
    placed,
    (p) => p.host,
    (p) => JSON.stringify([p.component, p.change.op, p.change.diffs]),
  )
    .map(({ hosts, first }) => ({ ...first, hosts: [...hosts].sort(byHostName) }))
    .sort(
      (a, b) =>
        COMPONENT_ORDER.indexOf(a.component as never) - COMPONENT_ORDER.indexOf(b.component as never) ||
        byHostName(a.hosts[0] as string, b.hosts[0] as string),
    )
    .map(({ component, hosts, change }) => {
      const symbol = SYMBOL[change.op] ?? change.op;
      const name = hosts.length === 1 ? change.name : `${component} on ${hostsNamed(hosts)}`;
      return `  ${symbol} ${name}${whatChanges(change)}`;
    });
  const rest = [...others]
    .sort((a, b) => byHostName(a.name, b.name))
    .map((change) => `  ${SYMBOL[change.op] ?? change.op} ${change.name}${whatChanges(change)}`);
  return [...folded, ...rest];
}
