// Small programs for the backend tests: the promotion gate through stack references, and an update that takes a while.
import * as pulumi from "@pulumi/pulumi";
import type { PlanStep } from "../../../planner";
import { promotionRefusals, type Completed } from "../../../stacks/promotion";
import { recordedOutputs } from "../../../stacks/record";

/**
 * A stack that moves Mesos `from → to` on one host, gated like the real program: it reads what its promotedFrom
 * stack completed through the same stack reference (stacks/record.ts) and refuses with the same messages.
 */
export function gateProgram(options: {
  readonly from: string;
  readonly to: string;
  readonly promotedFrom: string;
}): () => Promise<Record<string, unknown>> {
  return async () => {
    const step: PlanStep = {
      seq: 1,
      wave: 1,
      host: "h1",
      component: "mesos-master",
      from: options.from,
      to: options.to,
    };
    // As the program reads it: null when the backend holds no such stack, else its recorded `completed`.
    const recorded = options.promotedFrom ? await recordedOutputs("mesos-upgrade", options.promotedFrom) : {};
    const previous = recorded === undefined ? null : (recorded.completed as Completed | undefined);
    const refusals = promotionRefusals([step], options.promotedFrom, previous);
    if (refusals.length) {
      pulumi.log.error(`promotion gate:\n  ${refusals.join("\n  ")}`);
      return {};
    }
    return { hostVersions: { h1: { "mesos-master": options.to } }, completed: { mesos: options.to } };
  };
}

interface SlowInputs {
  readonly ledger: string;
  readonly started: string;
  readonly seconds: number;
}

/**
 * Creating it marks `started`, waits `seconds`, then appends one line to `ledger`: what "applied" means in the lock
 * test.
 */
const slowProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: SlowInputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs");
    fs.appendFileSync(inputs.started, `${process.pid}\n`);
    await new Promise((resolve) => setTimeout(resolve, inputs.seconds * 1000));
    fs.appendFileSync(inputs.ledger, `applied by provider ${process.pid}\n`);
    return { id: `slow-${process.pid}`, outs: inputs };
  },
};

class SlowChange extends pulumi.dynamic.Resource {
  constructor(name: string, args: SlowInputs) {
    super(slowProvider, name, args, {}, "backend-test:SlowChange");
  }
}

/** One SlowChange. */
export function slowProgram(inputs: SlowInputs): () => Promise<Record<string, unknown>> {
  return async () => {
    new SlowChange("slow-change", inputs);
    return {};
  };
}
