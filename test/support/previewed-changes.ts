// Reads a run's printed changes back (stacks/change-lines.ts): each host's version change, whether the line names one
// host's resource ("~ a1-mesos-slave  version: …") or every host that changes alike ("~ mesos-slave on 4 hosts
// (a1..a4)  version: …").
import { expandHostRuns, SEVERAL_HOSTS_PATTERN } from "../../planner/host-runs";

const COMPONENT = "(docker|mesos-master|mesos-slave|marathon)";
const CHANGE = new RegExp(
  String.raw`\n {2}~ (?:(\S+)-${COMPONENT}|${COMPONENT} on ${SEVERAL_HOSTS_PATTERN}) {2}(?:.*; )?version: (\S+) → (\S+?)(?=;|\n|$)`,
  "g",
);

/** One host's version change as a preview showed it. */
export interface PreviewedHop {
  readonly host: string;
  readonly component: string;
  readonly from: string;
  readonly to: string;
}

/** Every version change the printed changes in `text` show, host by host, in the order printed. */
export function previewedHops(text: string): PreviewedHop[] {
  return [...text.matchAll(CHANGE)].flatMap(([, host, component, sharedComponent, hosts, from, to]) =>
    (host !== undefined ? [host] : expandHostRuns(hosts as string)).map((h) => ({
      host: h,
      component: (component ?? sharedComponent) as string,
      from: from as string,
      to: to as string,
    })),
  );
}
