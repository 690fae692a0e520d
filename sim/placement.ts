// Whether a cluster spec's apps can be placed at all: checked before anything starts, so a spec whose apps cannot
// run is refused with the app and the constraint instead of a bootstrap that times out waiting for tasks.
import type { AppDefinition } from "./marathon/marathon";
import { hostsWithRole, type ClusterSpec } from "./spec";

/**
 * Every app that cannot reach its instance count on the spec's agents, each naming the app, the constraint and the
 * fix. Marathon's `["hostname", "UNIQUE"]` puts at most one task of the app on each agent host (Marathon's
 * constraints docs), so the app needs at least as many agent hosts as instances.
 */
export function placementProblems(spec: ClusterSpec, apps: readonly AppDefinition[]): string[] {
  // Apps are created on Marathon: without a Marathon host none is started.
  if (hostsWithRole(spec, "marathon").length === 0) return [];
  const agents = hostsWithRole(spec, "agent").map((h) => h.name);
  const problems: string[] = [];
  if (agents.length === 0) {
    return apps.length
      ? [
          `apps ${apps.map((a) => a.id).join(", ")} need an agent host; add "agent" to a host's roles, e.g. "m1:master+agent+marathon"`,
        ]
      : [];
  }
  for (const app of apps) {
    const unique = (app.constraints ?? []).find((c) => c[0] === "hostname" && c[1] === "UNIQUE");
    if (unique && app.instances > agents.length) {
      problems.push(
        `app ${app.id} asks for ${app.instances} instances with constraint ${JSON.stringify(unique)} (one per agent host), but the spec has ${agents.length} agent host${agents.length === 1 ? "" : "s"} (${agents.join(", ")}): ` +
          `give it at most ${agents.length} instance${agents.length === 1 ? "" : "s"} (\`npm run sim -- up --apps dev\` starts every app once), or add agent hosts`,
      );
    }
  }
  return problems;
}
