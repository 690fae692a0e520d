import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { descendants, engineProcesses } from "../../../stacks/processes";

const TABLE = [
  { pid: 1, ppid: 0, command: "init" },
  { pid: 10, ppid: 1, command: "node dist/stacks/cli.js converge" },
  { pid: 11, ppid: 10, command: "/cache/pulumi-v3/bin/pulumi up --yes" },
  { pid: 12, ppid: 11, command: "/bin/sh /cache/pulumi-v3/bin/pulumi-resource-pulumi-nodejs" },
  { pid: 13, ppid: 12, command: "node /repo/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js" },
  { pid: 14, ppid: 10, command: "node /repo/dist/sim/host/daemon.js /work/sim a1" },
  { pid: 20, ppid: 1, command: "/cache/pulumi-v3/bin/pulumi up (another user's)" },
];

describe("the engine's processes under a converge", () => {
  it("finds every descendant, however deep", () => {
    assert.deepEqual(
      descendants(TABLE, 10).map((p) => p.pid),
      [11, 14, 12, 13],
    );
  });

  it("keeps the Pulumi CLI and its plugins, not the simulated cluster nor anyone else's processes", () => {
    assert.deepEqual(
      engineProcesses(10, TABLE).map((p) => p.pid),
      [11, 12, 13],
    );
  });
});
