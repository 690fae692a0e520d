// The flags each component will run with at every hop still ahead, judged as each of those releases would judge them:
// a flag a later release refuses (an --agent_features whitelist without the capabilities Mesos 1.9 requires, say)
// refuses the run that could still change it, not the run that reaches that release.
import { layerOf } from "../catalogue/components";
import { flagsForVersion, validateFlags, type Plan, type Role } from "../planner";
import { carriedConfig } from "./carried-config";
import type { DiscoveredHost } from "./discover";
import type { StackSettings } from "./settings";
import { STACK_KEY } from "./settings-changes";

const PRODUCT = { docker: "Docker", mesos: "Mesos", marathon: "Marathon" } as const;

/**
 * One line per flag problem on the remaining path: the stack key, the hosts, the first release that refuses the value,
 * and that release's reason with its fix. Empty when every release on the way takes every host's flags.
 */
export function pathFlagProblems(
  settings: StackSettings,
  found: readonly DiscoveredHost[],
  paths: Plan["paths"],
): string[] {
  const problems = new Map<string, { hosts: string[] }>();
  for (const role of Object.keys(STACK_KEY) as Role[]) {
    const stack = settings[STACK_KEY[role]];
    for (const host of found.filter((h) => h.containers[role] !== undefined)) {
      const { flags } = carriedConfig(role, host.containers[role], {
        flags: stack.flags,
        ...(role === "mesos-slave" ? { workDir: settings.mesosSlave.workDir } : {}),
        secretEnv: settings.secretEnv,
      });
      for (const version of paths[layerOf(role)]) {
        const translated = flagsForVersion(role, version, flags).flags;
        const errors = validateFlags(role, version, translated, { partial: true }).filter(
          (p) => p.severity === "error",
        );
        if (errors.length === 0) continue;
        for (const error of errors) {
          const line = `${STACK_KEY[role]}.flags.${error.flag} at ${PRODUCT[layerOf(role)]} ${version}: ${error.message}`;
          const entry = problems.get(line) ?? { hosts: [] };
          entry.hosts.push(host.name);
          problems.set(line, entry);
        }
        break;
      }
    }
  }
  return [...problems].map(([line, { hosts }]) => `${line} (on ${hosts.join(", ")})`);
}
