// Which program a container runs, chosen by its image repository.
import { parseImageRef } from "./catalogue/images";
import { MARATHON_IMAGE } from "./catalogue/marathon";
import { MESOS_AGENT_IMAGE, MESOS_MASTER_IMAGE } from "./catalogue/mesos";
import { genericProgram } from "./docker/generic-program";
import type { ProgramFactory } from "./docker/program";
import { marathonProgram } from "./marathon/marathon";
import { agentProgram } from "./mesos/agent/agent";
import { masterProgram } from "./mesos/master/master";

/**
 * The program for an image: Mesos master/agent and Marathon images run the simulated daemons, others run generically.
 */
export function programFor(image: string): ProgramFactory {
  switch (parseImageRef(image).repository) {
    case MESOS_MASTER_IMAGE:
      return masterProgram;
    case MESOS_AGENT_IMAGE:
      return agentProgram;
    case MARATHON_IMAGE:
      return marathonProgram;
    default:
      return genericProgram;
  }
}
