// `npm run sim -- up|status|down|fault|clear|ledger` as a user runs it: one clear error for bad input, nothing
// left running after a failure or after `down`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { tempStateDir } from "./helpers";

const CLI = resolve(__dirname, "../../../sim/cli.js");

function sim(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processesMarked(clusterId: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/environ`, "latin1").split("\0").includes(`SIM_CLUSTER_ID=${clusterId}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("the sim CLI", () => {
  test("up starts hosts and prints their fingerprints; status shows them; down stops every process", () => {
    const state = tempStateDir();
    after(() => sim("down", "--state-dir", state));
    const up = sim(
      "up",
      "--hosts",
      "m1:master+marathon;a1:agent",
      "--no-bootstrap",
      "--network",
      "127.0.36",
      "--state-dir",
      state,
    );
    assert.equal(up.status, 0, up.stderr);
    const cluster = JSON.parse(readFileSync(join(state, "cluster.json"), "utf8")) as {
      id: string;
      pids: Record<string, number>;
      hosts: Array<{ hostKeyFingerprint: string }>;
    };
    for (const host of cluster.hosts) assert.ok(up.stdout.includes(host.hostKeyFingerprint));
    assert.match(
      up.stdout,
      /^HOST +ADDRESS +SSH PORT +ROLES +HOST KEY FINGERPRINT\nm1 +127\.0\.36\.11 +2222 +master\+marathon +SHA256:\S+\na1 +127\.0\.36\.12 +2222 +agent +SHA256:\S+\n/,
    );
    const status = sim("status", "--state-dir", state);
    assert.equal(status.status, 0, status.stderr);
    assert.match(
      status.stdout,
      /^HOST +ADDRESS +SSH PORT +FINGERPRINT +DOCKER +CONTAINERS\nm1 +127\.0\.36\.11 +2222 +SHA256:\S+ +1\.7\.1 +-\n/,
    );
    const pids = Object.values(cluster.pids);
    assert.ok(pids.length === 3 && pids.every(alive));
    assert.ok(processesMarked(cluster.id).length >= 3);
    const down = sim("down", "--state-dir", state);
    assert.equal(down.status, 0, down.stderr);
    assert.deepEqual(pids.filter(alive), []);
    assert.deepEqual(processesMarked(cluster.id), []);
    assert.equal(
      sim("status", "--state-dir", state).stderr,
      `error: no simulated cluster is running in ${state}; start one with \`npm run sim -- up\`\n`,
    );
  });

  test("rejects an invalid host spec with one message naming every bad value, starting nothing", () => {
    const state = tempStateDir();
    const up = sim(
      "up",
      "--hosts",
      "m1,M2:master+marathn;a1..a3:agent;a2:agent",
      "--state-dir",
      state,
      "--network",
      "127.0.37",
    );
    assert.equal(up.status, 1);
    assert.equal(up.stdout, "");
    assert.equal(
      up.stderr,
      [
        "cannot start the simulated cluster:",
        '  - host name "M2" must be lowercase letters, digits or dashes starting with a letter (e.g. m1, agent-2)',
        '  - unknown role "marathn" in group "m1,M2:master+marathn"; roles are master, agent, marathon, joined with "+" (or "none")',
        '  - host "a2" appears twice; every host needs its own name',
        "",
      ].join("\n"),
    );
    assert.ok(!existsSync(join(state, "cluster.json")));
  });

  test("names the port in use and the fix, starting nothing", async () => {
    const state = tempStateDir();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(5050, "127.0.38.11", r));
    after(() => blocker.close());
    const up = sim("up", "--hosts", "m1:master;a1:agent", "--state-dir", state, "--network", "127.0.38");
    assert.equal(up.status, 1);
    assert.equal(
      up.stderr,
      'port 127.0.38.11:5050 (Mesos master of host "m1") is already in use; choose another network (--network 127.0.39), or stop what listens there\n',
    );
    assert.ok(!existsSync(join(state, "cluster.json")));
  });

  test("injects and clears faults by host name", () => {
    const state = tempStateDir();
    after(() => sim("down", "--state-dir", state));
    assert.equal(sim("up", "--hosts", "h1:none", "--state-dir", state, "--network", "127.0.40").status, 0);
    const fault = sim("fault", "h1", "crash-loop", "image=mesosphere/mesos-slave", "--state-dir", state);
    assert.equal(fault.stdout, 'injected {"kind":"crash-loop","image":"mesosphere/mesos-slave"} into h1\n');
    const bad = sim("fault", "h1", "crash-loop", "--state-dir", state);
    assert.equal(
      bad.stderr,
      "error: crash-loop needs image=<repo[:tag]>, e.g. crash-loop image=mesosphere/mesos-slave\n",
    );
    const nohost = sim("fault", "h9", "ssh-refuse", "--state-dir", state);
    assert.equal(nohost.stderr, 'error: no host "h9" in this cluster; hosts are h1\n');
    assert.match(sim("status", "--state-dir", state).stdout, /\[faults: crash-loop\]/);
    assert.equal(sim("clear", "h1", "--state-dir", state).stdout, "cleared all faults on h1\n");
    const ledger = JSON.parse(sim("ledger", "h1", "--json", "--state-dir", state).stdout) as Array<{
      kind: string;
      action?: string;
    }>;
    assert.deepEqual(
      ledger.filter((e) => e.kind === "fault").map((e) => e.action),
      ["injected", "cleared"],
    );
  });
});
