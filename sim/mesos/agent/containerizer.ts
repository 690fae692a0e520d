// The agent's containerizers at start-up: the Mesos containerizer's isolators on hosts without swap accounting, and the
// Docker containerizer's `docker version` check (MESOS-2986), its minimum Docker (1.8.0 from MESOS-9231) and first
// `docker ps -a`.
import { atLeast } from "../../catalogue/versions";
import { flagOn, flagText } from "../flags";
import { metaDir } from "./checkpoint";
import type { AgentNode } from "./state";

/** Why the containerizers cannot be created, or undefined when they can. */
export function containerizerProblem(node: AgentNode): string | undefined {
  const { state, ctx, traits } = node;
  const containerizers = (flagText(state.flags, "containerizers") ?? "mesos").split(",");
  const isolation = flagText(state.flags, "isolation") ?? "posix/cpu,posix/mem";
  if (
    containerizers.includes("mesos") &&
    isolation.split(",").includes("cgroups/mem") &&
    flagOn(state.flags, "cgroups_limit_swap", false)
  ) {
    // The hosts have no swap accounting (docker info warns "No swap limit support").
    return "Failed to create a containerizer: Could not create MesosContainerizer: Failed to create isolator 'cgroups/mem': 'memory.memsw.limit_in_bytes' is not available";
  }
  if (!containerizers.includes("docker")) return undefined;
  const docker = flagText(state.flags, "docker") ?? "docker";
  const engineVersion = ctx.engine?.daemonVersion();
  if (traits.parsesLegacyDockerVersion) {
    // MESOS-2986: `docker version` must print "Client version:", which Docker stopped doing in 1.8.
    if (!engineVersion) {
      return `Failed to create a containerizer: Could not create DockerContainerizer: Failed to execute '${docker} version': exited with status 1`;
    }
    if (atLeast(engineVersion, "1.8.0")) {
      return "Failed to create a containerizer: Could not create DockerContainerizer: Insufficient version of Docker! Please upgrade to >= 1.0.0";
    }
    return undefined;
  }
  if (!engineVersion) {
    const socket = flagText(state.flags, "docker_socket") ?? "/var/run/docker.sock";
    return `Failed to perform recovery: Collect failed: Failed to execute '${docker} -H unix://${socket} ps -a': exited with status 1\nTo remedy this do as follows:\nStep 1: rm -f ${metaDir(node)}/slaves/latest\n        This ensures slave doesn't recover old live executors.\nStep 2: Restart the slave.`;
  }
  const engine = /^(\d+\.\d+\.\d+)/.exec(engineVersion)?.[1];
  if (engine && !atLeast(engine, traits.dockerMinimum)) {
    // Docker::validateVersion (src/docker/docker.cpp at 1.4.3+), through DockerContainerizer::create and main.cpp's
    // EXIT; the stray quote in ">=' 1.8.0'" is Mesos' own.
    return `Failed to create a containerizer: Could not create DockerContainerizer: Failed to create docker: Insufficient version '${engine}' of Docker. Please upgrade to >=' ${traits.dockerMinimum}'`;
  }
  return undefined;
}
