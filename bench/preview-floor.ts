// The engine's floor for a preview: the same number of hosts and components as the real program, each component a
// no-op dynamic resource under a component resource per host, with no discovery, no SSH and nothing read.
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";

interface NoOpInputs {
  readonly version: string;
}

/** Does nothing: its create returns its inputs, and it never differs. */
const noOpProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: NoOpInputs) {
    return { id: `noop-${inputs.version}`, outs: inputs };
  },
  async diff() {
    return { changes: false };
  },
};

/** A no-op component resource (type `pulumi-nodejs:dynamic/bench:NoOp`). */
class NoOp extends pulumi.dynamic.Resource {
  constructor(name: string, args: { version: string }, opts?: pulumi.CustomResourceOptions) {
    super(noOpProvider, name, args, opts, "bench", "NoOp");
  }
}

/** One host of the floor program: its name and how many components it runs. */
export interface FloorHost {
  readonly name: string;
  readonly components: number;
}

/** The floor program: a component resource per host (as the real program's ClusterHost) and a NoOp per component. */
export function floorProgram(hosts: readonly FloorHost[]): () => Promise<Record<string, unknown>> {
  return async () => {
    const cluster = new pulumi.ComponentResource("mesos-upgrade:bench:Cluster", "bench");
    for (const host of hosts) {
      const parent = new pulumi.ComponentResource(
        "mesos-upgrade:bench:Host",
        `bench-${host.name}`,
        {},
        { parent: cluster },
      );
      for (let i = 0; i < host.components; i++) new NoOp(`${host.name}-c${i}`, { version: "1" }, { parent });
    }
    return { hosts: hosts.length };
  };
}

/** Wall seconds of one `pulumi preview` of a stack. */
export async function timedPreview(stack: Stack): Promise<number> {
  const started = Date.now();
  await stack.preview({ onOutput: () => undefined });
  return (Date.now() - started) / 1000;
}
