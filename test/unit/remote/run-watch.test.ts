// The provider processes' watch of their converge run: which ancestors are the Pulumi CLI to stop.
import assert from "node:assert/strict";
import { test } from "node:test";
import { processExists, pulumiCliAncestors } from "../../../remote/run-watch";

test("finds the Pulumi CLI above a provider process, through the plugin's launcher, and stops at the first other process", () => {
  const table: Record<number, { ppid: number; command: string }> = {
    300: { ppid: 200, command: "/bin/sh /cache/pulumi-v3.259.0/bin/pulumi-resource-pulumi-nodejs 127.0.0.1:4000" },
    200: { ppid: 1, command: "/cache/pulumi-v3.259.0/bin/pulumi up --stack local --exec-kind auto.inline" },
    150: { ppid: 1, command: "node dist/stacks/cli.js converge" },
  };
  assert.deepEqual(
    pulumiCliAncestors(300, (pid) => table[pid]),
    [200],
  );
  assert.deepEqual(
    pulumiCliAncestors(150, (pid) => table[pid]),
    [],
    "a process outside the engine is never a target",
  );
});

test("tells a live process from a gone one", () => {
  assert.equal(processExists(process.pid), true);
  assert.equal(processExists(2 ** 22 + 12345), false);
});
