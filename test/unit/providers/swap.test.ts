import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ContainerSpec } from "../../../providers/container";
import { swapContainer } from "../../../providers/swap";
import type { RemoteShell } from "../../../remote/ssh";

/** A host that records every command it is asked to run and runs none. */
function recordingShell(): { shell: RemoteShell; commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    shell: {
      label: "a1 (10.0.0.14:22)",
      run: async (argv) => {
        commands.push(argv.join(" "));
        return { code: 0, stdout: "", stderr: "" };
      },
    },
  };
}

const desired: ContainerSpec = {
  name: "mesos_slave",
  image: "mesosphere/mesos-slave:0.27.2-2.0.15.ubuntu1404",
  args: [],
  env: {},
  volumes: [],
  hostNetwork: true,
  pidHost: true,
  privileged: true,
  restart: "always",
};
const gate = {
  description: "the agent is back",
  timeoutSeconds: 1,
  check: async () => ({ passed: true, observed: "" }),
};

describe("a swap whose pull the step started beside its reads", () => {
  it("stops nothing and fails with the pull's own error when that pull fails", async () => {
    const { shell, commands } = recordingShell();
    const pullError = new Error(
      "a1 (10.0.0.14:22): `docker pull mesosphere/mesos-slave:0.27.2` failed with exit code 1",
    );
    await assert.rejects(
      swapContainer(shell, { desired, gate, rollback: true, pulled: Promise.reject(pullError) }),
      (error) => error === pullError,
    );
    assert.deepEqual(commands, [], "no stop, no removal, no pull of its own");
  });

  it("waits for that pull before the first command of the restart", async () => {
    const { shell, commands } = recordingShell();
    let release: () => void = () => undefined;
    const pulled = new Promise<void>((resolve) => (release = resolve));
    const swap = swapContainer(shell, { desired, gate, rollback: false, pulled }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(commands.length, 0, `nothing ran while the pull was under way: ${commands.join(" | ")}`);
    release();
    await swap;
    assert.ok(commands.length > 0, "the restart went ahead once the pull ended");
    assert.ok(!commands.some((c) => c.includes("docker pull")), `no second pull: ${commands.join(" | ")}`);
  });
});
