// What a component's next container keeps of the running one (brownfield), overlaid by the stack's settings.
import type { FlagValue, Role } from "../planner";
import type { RunningContainer } from "../observe/containers";
import { envWithoutFlags, marathonFlagsOf, mergedFlags, mesosFlagsOf } from "./flags";

/** A container's configuration carried to its next version: flags, mounts and environment. */
export interface CarriedConfig {
  readonly flags: Record<string, FlagValue>;
  readonly volumes: string[];
  readonly env: Record<string, string>;
}

/**
 * What a component's next container keeps of the running one (brownfield), overlaid by the stack's flags (and, for
 * an agent, its work directory): Mesos flags from arguments and MESOS_* variables (rendered as arguments, so dropped
 * from the environment), Marathon's arguments, the mounts; never `log_dir` (seed §2.3).
 */
export function carriedConfig(
  role: Role,
  running: RunningContainer | undefined,
  stack: {
    readonly flags: Readonly<Record<string, FlagValue>>;
    readonly workDir?: string;
    readonly secretEnv?: readonly string[];
  },
): CarriedConfig {
  // Secret variables (by name, or listed in the stack's secretEnv) stay variables: as arguments they would show on the
  // host's command line.
  const secretEnv = stack.secretEnv ?? [];
  switch (role) {
    case "mesos-master":
      return {
        flags: mergedFlags(mesosFlagsOf(running, secretEnv), stack.flags),
        volumes: [...(running?.volumes ?? ["/var/lib/mesos:/var/lib/mesos"])],
        env: envWithoutFlags(running?.env, secretEnv),
      };
    case "mesos-slave": {
      // The executor image the agent derived from its own image follows the agent to the new version.
      const carried = mesosFlagsOf(running, secretEnv);
      if (running && carried.docker_mesos_image === running.image) delete carried.docker_mesos_image;
      const workDir = stack.workDir;
      const volumes = (running?.volumes ?? ["/var/run/docker.sock:/var/run/docker.sock"]).filter(
        (v) => !workDir || !v.endsWith(`:${workDir}`),
      );
      return {
        flags: mergedFlags(carried, workDir ? { ...stack.flags, work_dir: workDir } : stack.flags),
        volumes: [...new Set([...(workDir ? [`${workDir}:${workDir}`] : []), ...volumes])],
        env: envWithoutFlags(running?.env, secretEnv),
      };
    }
    case "marathon":
      return {
        flags: mergedFlags(marathonFlagsOf(running), stack.flags),
        volumes: [...(running?.volumes ?? [])],
        env: { ...(running?.env ?? {}) },
      };
  }
}
