// The changes of a run's preview for people: what each update changes, one line per resource in host order, and the
// resources a run creates (recording what a host runs: adoption, a host added to the stack) as one line per
// component naming its hosts, so a first run of 200 hosts reads in four lines rather than 403. Pure.
import { hostComponentOfName, type PreviewChange } from "./events";
import { hostsNamed } from "./host-runs";

/** Components in the order the layers go: the engine under the rest. */
const COMPONENT_ORDER = ["docker", "mesos-master", "marathon", "mesos-slave"] as const;

const SYMBOL: Readonly<Record<string, string>> = { create: "+", update: "~", delete: "-", replace: "+-" };

/** Names compared as people count: a2 before a10. */
const byName = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true });

/** One line per change, indented; creates with nothing to compare folded per component when there are several. */
export function changeLines(changes: readonly PreviewChange[]): string[] {
  const createdHosts = new Map<string, string[]>();
  const single: PreviewChange[] = [];
  for (const change of changes) {
    const place = change.op === "create" && change.diffs.length === 0 ? hostComponentOfName(change.name) : undefined;
    if (place) createdHosts.set(place.component, [...(createdHosts.get(place.component) ?? []), place.host]);
    else single.push(change);
  }
  const folded: string[] = [];
  for (const component of COMPONENT_ORDER) {
    const hosts = [...(createdHosts.get(component) ?? [])].sort(byName);
    if (hosts.length === 1) single.push({ op: "create", name: `${hosts[0]}-${component}`, diffs: [] });
    else if (hosts.length > 1) folded.push(`  + ${component} on ${hostsNamed(hosts)}  (create)`);
  }
  const lines = [...single]
    .sort((a, b) => byName(a.name, b.name))
    .map(
      (change) =>
        `  ${SYMBOL[change.op] ?? change.op} ${change.name}${change.diffs.length ? `  ${change.diffs.join("; ")}` : change.op === "create" ? "  (create)" : ""}`,
    );
  return [...folded, ...lines];
}
