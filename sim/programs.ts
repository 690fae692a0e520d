// Which program a container runs, chosen by its image repository.
import { parseImageRef } from "./catalogue/images";
import { genericProgram } from "./docker/generic-program";
import type { ProgramFactory } from "./docker/program";

/** The program for an image: Mesos master/agent and Marathon images run the simulated daemons, others run generically. */
export function programFor(image: string): ProgramFactory {
  switch (parseImageRef(image).repository) {
    default:
      return genericProgram;
  }
}
