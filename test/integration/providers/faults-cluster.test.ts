// Faults of a whole cluster under the real engine: a slow registry, a host whose SSH hangs, an agent that never
// re-registers, and a leading master that fails mid-hop. Each ends with a clear error or a completed hop, a state
// that says what runs, and a re-run that resumes once the fault is cleared.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { inspectContainer, type RunningContainer } from "../../../observe/containers";
import { MesosMaster } from "../../../providers/mesosMaster";
import { MesosSlave } from "../../../providers/mesosSlave";
import { unpackedProperties } from "../../../providers/packed";
import { taskKillingReason } from "../../../planner";
import { closeAllConnections, sshShell } from "../../../remote/ssh";
import { startCluster, type Cluster, type SimHost } from "../../../sim";
import type { LedgerEntry } from "../../../sim/ledger";
import { carriedConfig } from "../../../stacks/decide";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";
import { failureOf } from "../../support/failure";

/** What one run asks of the one component in its stack. */
interface Hop {
  readonly version: string;
  readonly gateTimeoutSeconds?: number;
  readonly rollbackOnFailure?: boolean;
  readonly connectTimeoutSeconds?: number;
  readonly commandTimeoutSeconds?: number;
}

const SLAVE_IMAGE = (tag: string) => `mesosphere/mesos-slave:${tag}`;

describe("cluster faults while the providers move one component a hop", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  const running = new Map<string, RunningContainer>();

  const connection = (host: SimHost, hop: Hop) => ({
    name: host.name,
    address: host.address,
    port: host.sshPort,
    user: cluster.userKey.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
    ...(hop.connectTimeoutSeconds ? { connectTimeoutSeconds: hop.connectTimeoutSeconds } : {}),
    ...(hop.commandTimeoutSeconds ? { commandTimeoutSeconds: hop.commandTimeoutSeconds } : {}),
  });
  const masters = () => cluster.hosts.filter((h) => h.roles.includes("master")).map((h) => h.address);
  const common = (host: SimHost, container: "mesos-master" | "mesos-slave", hop: Hop) => {
    const now = running.get(`${host.name}/${container}`);
    return {
      connection: connection(host, hop),
      privateKey: pulumi.secret(cluster.userKey.privateKey),
      version: hop.version,
      targetVersion: "0.28.2",
      gateTimeoutSeconds: hop.gateTimeoutSeconds ?? 20,
      rollbackOnFailure: hop.rollbackOnFailure ?? true,
      ...carriedConfig(container, now, { flags: {} }),
      masters: masters(),
    };
  };

  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "faults-cluster-"));
    cluster = await startCluster("m1:master+marathon;m2,m3:master;a1..a3:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.71",
    });
    for (const host of cluster.hosts) {
      const shell = sshShell({ ...connection(host, { version: "" }), privateKey: cluster.userKey.privateKey });
      for (const name of host.roles.includes("master") ? ["mesos-master"] : ["mesos-slave"]) {
        const container = await inspectContainer(shell, name.replace("-", "_")); // the sim names containers mesos_master, mesos_slave
        assert.ok(container?.running, `${name} runs on ${host.name}`);
        running.set(`${host.name}/${name}`, container);
      }
    }
    await closeAllConnections();
  });
  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What the planner marks on a hop from the 0.22.1 the agents start at: it kills the agent's tasks. */
  const agentKill = (hostName: string, hop: Hop) => {
    const killsTasks =
      hop.version === "0.22.1"
        ? undefined
        : taskKillingReason(
            { name: hostName, roles: ["mesos-slave"], versions: { "mesos-slave": "0.22.1" } },
            "mesos-slave",
            "0.22.1",
            hop.version,
          );
    return { marathons: [cluster.host("m1").address], ...(killsTasks ? { killsTasks } : {}) };
  };

  /** A stack of its own holding one MesosSlave or MesosMaster on `hostName`. */
  const open = (kind: "slave" | "master", hostName: string, hop: Hop): Promise<Stack> =>
    openStack({
      stack: `scratch-${kind}-${hostName}`,
      program: async () => {
        const host = cluster.host(hostName);
        const resource =
          kind === "slave"
            ? new MesosSlave(`${hostName}-mesos-slave`, {
                ...common(host, "mesos-slave", hop),
                ...agentKill(hostName, hop),
                ...carriedConfig("mesos-slave", running.get(`${hostName}/mesos-slave`), {
                  flags: { docker_remove_delay: "6hrs", cgroups_limit_swap: true },
                }),
              })
            : new MesosMaster(`${hostName}-mesos-master`, common(host, "mesos-master", hop));
        return { runningVersion: resource.runningVersion, gateObserved: resource.gateObserved };
      },
      scratchProject: { name: "faults-cluster", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });

  /** The outputs the stack recorded for its one component (also after a failed run: the partial state). */
  const recorded = async (stack: Stack): Promise<Record<string, unknown>> => {
    const state = (await stack.exportStack()).deployment as {
      resources: Array<{ type: string; outputs: Record<string, unknown> }>;
    };
    const resource = state.resources.find((r) => /mesos:Mesos(Master|Slave)$/.test(r.type));
    assert.ok(resource, "the stack records the component");
    return unpackedProperties(resource.outputs);
  };
  /** What Docker on `host` says runs as `name` (asked without SSH, so it works while SSH is faulty). */
  const imageOn = async (host: string, name: string): Promise<string> => {
    const seen = await cluster.exec(
      host,
      `docker inspect --format '{{.State.Running}} {{.Config.Image}}' ${name.replace("-", "_")}`,
    );
    assert.equal(seen.code, 0, seen.stderr);
    return seen.stdout.trim();
  };
  const ledgerSince = (host: string, seq: number): LedgerEntry[] => cluster.ledger(host).filter((e) => e.seq > seq);
  const lastSeq = (host: string): number => cluster.ledger(host).at(-1)?.seq ?? -1;
  /** Calls `action` as soon as `host`'s ledger shows an entry after `mark` matching `when` (while a run goes on). */
  const onLedger = (host: string, mark: number, when: (e: LedgerEntry) => boolean, action: () => Promise<void>) => {
    let stopped = false;
    const done = (async () => {
      while (!stopped) {
        if (ledgerSince(host, mark).some(when)) return action().then(() => true);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return false;
    })();
    // A failure while watching is reported by happened(), once the run it watches has ended: reported at once, it
    // would end the case while that run still holds the stack's lock, and fail the next case with it.
    done.catch(() => undefined);
    return {
      happened: () => {
        stopped = true;
        return done;
      },
    };
  };

  describe("a slow registry (pull-slow)", () => {
    it("keeps the old agent running while the new image downloads, then completes the hop", async () => {
      assert.match(
        (await (await open("slave", "a1", { version: "0.22.1" })).up()).outputs.gateObserved.value,
        /adopted/,
      );
      await cluster.inject("a1", { kind: "pull-slow", image: "mesosphere/mesos-slave", seconds: 300 });
      const mark = lastSeq("a1");
      const result = await (await open("slave", "a1", { version: "0.23.1" })).up();
      assert.equal(result.outputs.runningVersion.value, "0.23.1");
      const entries = ledgerSince("a1", mark);
      const pullStarted = entries.find(
        (e) => e.kind === "ssh.exec" && e.command?.includes(`docker pull ${SLAVE_IMAGE("0.23.1-1.0.ubuntu1404")}`),
      );
      const pullEnded = entries.find(
        (e) => e.kind === "image.pull" && e.image === SLAVE_IMAGE("0.23.1-1.0.ubuntu1404") && e.ok,
      );
      const stopped = entries.find((e) => e.kind === "container.stop" && e.name === "mesos_slave");
      assert.ok(
        pullStarted && pullEnded && stopped,
        `the ledger shows the pull and the stop: ${JSON.stringify(entries.filter((e) => e.kind !== "ssh.exec" && e.kind !== "ssh.auth"))}`,
      );
      assert.ok(
        Date.parse(pullEnded.time) - Date.parse(pullStarted.time) >= 5000,
        "the pull was slow (300 simulated seconds)",
      );
      assert.ok(stopped.seq > pullEnded.seq, "the old agent was stopped only after the pull ended");
      await cluster.clear("a1", "pull-slow");
    });

    it("fails before stopping anything when the pull outlasts the command timeout, and resumes once the registry is fast", async () => {
      await cluster.inject("a1", { kind: "pull-slow", image: "mesosphere/mesos-slave", seconds: 600 });
      const mark = lastSeq("a1");
      const hop: Hop = { version: "0.24.2", commandTimeoutSeconds: 3 };
      const stack = await open("slave", "a1", hop);
      const message = await failureOf(stack.up());
      assert.match(
        message,
        /a1 \(127\.0\.71\.14:2222\): `docker pull mesosphere\/mesos-slave:0\.24\.2-2\.0\.35\.ubuntu1404` did not finish within 3s; raise the command timeout \(ssh\.commandTimeoutSeconds\) or check the host/,
      );
      assert.deepEqual(
        ledgerSince("a1", mark).filter((e) => e.kind === "container.stop"),
        [],
        "nothing was stopped",
      );
      assert.equal(await imageOn("a1", "mesos-slave"), `true ${SLAVE_IMAGE("0.23.1-1.0.ubuntu1404")}`);
      assert.equal((await recorded(stack)).runningVersion, "0.23.1", "the state still says what runs");
      await cluster.clear("a1", "pull-slow");
      const resumed = await (await open("slave", "a1", hop)).up();
      assert.equal(resumed.outputs.runningVersion.value, "0.24.2");
    });
  });

  describe("a host whose SSH port accepts but never answers (ssh-hang)", () => {
    it("fails within the connect timeout naming the host and the fix, and resumes once SSH answers", async () => {
      await (await open("slave", "a2", { version: "0.22.1" })).up();
      await cluster.inject("a2", { kind: "ssh-hang" });
      const mark = lastSeq("a2");
      const hop: Hop = { version: "0.23.1", connectTimeoutSeconds: 2 };
      const stack = await open("slave", "a2", hop);
      const started = Date.now();
      const message = await failureOf(stack.up());
      const seconds = (Date.now() - started) / 1000;
      assert.match(
        message,
        /MesosSlave \(a2-mesos-slave\):\s+error: .*a2 \(127\.0\.71\.15:2222\): cannot connect: Timed out while waiting for handshake \(no SSH answer within 2s\); check that sshd answers on the host, or raise ssh\.connectTimeoutSeconds/,
      );
      assert.ok(
        seconds < 25,
        `failed after ${seconds}s: three 2s attempts, not the default 10s ones nor an endless wait`,
      );
      assert.deepEqual(
        ledgerSince("a2", mark).filter((e) => e.kind === "ssh.exec"),
        [],
        "no command reached the host",
      );
      assert.equal(await imageOn("a2", "mesos-slave"), `true ${SLAVE_IMAGE("0.22.1-1.0.ubuntu1404")}`);
      assert.equal((await recorded(stack)).runningVersion, "0.22.1", "the state still says what runs");
      await cluster.clear("a2", "ssh-hang");
      const resumed = await (await open("slave", "a2", hop)).up();
      assert.equal(resumed.outputs.runningVersion.value, "0.23.1");
      assert.match(resumed.outputs.gateObserved.value, /agent 0\.23\.1 registered, apps degraded: none/);
    });
  });

  describe("an agent that never re-registers (agent-no-reregister)", () => {
    const AGENT_GATE =
      /health gate "mesos-slave on a3 serves 0\.22\.2, re-registered as the same agent, and every multi-instance app is healthy again \(this restart kills its tasks: agent 0\.22\.1 runs its executors inside its own container[^"]*\)" did not pass within 4s; last seen: agent 0\.22\.2 not registered, apps degraded: ([^.]*)\. Fix the component, or raise rollout\.gateTimeoutSeconds/;

    it("times out the agent gate and puts 0.22.1 back, recorded as running but not healthy since the fault persists", async () => {
      await (await open("slave", "a3", { version: "0.22.1" })).up();
      const stack = await open("slave", "a3", { version: "0.22.2", gateTimeoutSeconds: 4 });
      // The agent's registrations get lost from the moment the new image is pulled: it was healthy when the hop began.
      const mark = lastSeq("a3");
      await cluster.inject("a3", { kind: "pull-slow", image: "mesosphere/mesos-slave", seconds: 100 });
      const fault = onLedger(
        "a3",
        mark,
        (e) => e.kind === "ssh.exec" && Boolean(e.command?.startsWith("docker pull")),
        () => cluster.inject("a3", { kind: "agent-no-reregister" }),
      );
      const message = await failureOf(stack.up());
      assert.ok(await fault.happened(), "the fault was injected during the run");
      await cluster.clear("a3", "pull-slow");
      assert.match(message, AGENT_GATE, "the gate of a task-killing restart waits for the agent and the apps");
      assert.match(
        message,
        /MesosSlave \(a3-mesos-slave\):\s+error: 1 error occurred:\s+\* mesos-slave on a3: health gate/,
      );
      assert.match(
        message,
        /the previous container mesosphere\/mesos-slave:0\.22\.1-1\.0\.ubuntu1404 was started again but is not healthy either: health gate "mesos-slave on a3 serves 0\.22\.1[^"]*" did not pass within 4s; last seen: agent 0\.22\.1 not registered/,
      );
      assert.match(message, /; left at mesosphere\/mesos-slave:0\.22\.1-1\.0\.ubuntu1404/);
      const runs = ledgerSince("a3", mark)
        .filter((e) => e.kind === "exec" && e.program === "docker" && e.argv?.[0] === "run")
        .map((e) => e.argv?.find((a) => a.startsWith("mesosphere/mesos-slave:")));
      assert.deepEqual(
        runs,
        [SLAVE_IMAGE("0.22.2-1.0.ubuntu1404"), SLAVE_IMAGE("0.22.1-1.0.ubuntu1404")],
        "0.22.2 was tried, then 0.22.1 put back",
      );
      assert.equal(await imageOn("a3", "mesos-slave"), `true ${SLAVE_IMAGE("0.22.1-1.0.ubuntu1404")}`);
      const state = await recorded(stack);
      assert.deepEqual(
        [state.version, state.runningVersion, state.gateObserved],
        ["0.22.1", "0.22.1", "health gate failed"],
      );
    });

    it("without rollback leaves 0.22.2 recorded as running but not healthy, and a re-run after the fix checks it healthy without a restart", async () => {
      const hop: Hop = { version: "0.22.2", gateTimeoutSeconds: 4, rollbackOnFailure: false };
      const stack = await open("slave", "a3", hop);
      const message = await failureOf(stack.up());
      assert.match(
        message,
        /mesos-slave on a3: health gate "mesos-slave on a3 serves 0\.22\.2[^"]*" did not pass within 4s; last seen: agent 0\.22\.2 not registered[^;]*; left at mesosphere\/mesos-slave:0\.22\.2-1\.0\.ubuntu1404/,
      );
      assert.equal(await imageOn("a3", "mesos-slave"), `true ${SLAVE_IMAGE("0.22.2-1.0.ubuntu1404")}`);
      const state = await recorded(stack);
      assert.deepEqual(
        [state.version, state.runningVersion, state.gateObserved],
        ["0.22.2", "0.22.2", "health gate failed"],
      );

      await cluster.clear("a3", "agent-no-reregister");
      const mark = lastSeq("a3");
      const resumed = await (await open("slave", "a3", hop)).up();
      assert.equal(resumed.outputs.runningVersion.value, "0.22.2");
      assert.match(
        resumed.outputs.gateObserved.value,
        /^agent 0\.22\.2 registered, apps degraded: none \(after [\d.]+s\)$/,
      );
      assert.deepEqual(
        ledgerSince("a3", mark).filter((e) => e.kind === "ssh.exec" && /docker (stop|run|rm)/.test(e.command ?? "")),
        [],
        "the re-run restarted nothing",
      );
    });
  });

  describe("the leading master fails mid-hop (leader-fails)", () => {
    it("waits for a newly elected leader before passing the gate, and a re-run completes restarting nothing", async () => {
      const leader = await cluster.mesosLeader();
      assert.ok(leader, "a master leads");
      const target = cluster.hosts
        .filter((h) => h.roles.includes("master") && h.name !== leader.name)
        .at(-1) as SimHost;
      await (await open("master", target.name, { version: "0.22.1" })).up();
      // The leader (another host) aborts the moment the hop starts the new master container.
      await cluster.inject(target.name, { kind: "leader-fails", trigger: "docker run" });
      const since = new Date().toISOString();
      const hop: Hop = { version: "0.23.1", gateTimeoutSeconds: 30 };
      const result = await (await open("master", target.name, hop)).up();
      assert.equal(result.outputs.runningVersion.value, "0.23.1");

      const timeline = cluster.ledger().filter((e) => e.time >= since);
      const triggered = timeline.find((e) => e.kind === "fault" && e.action === "triggered");
      assert.deepEqual(triggered?.detail, { leader: leader.name }, "the fault hit the leader");
      const crashed = timeline.find(
        (e) => e.host === leader.name && e.kind === "container.stop" && e.name === "mesos_master",
      );
      assert.equal(crashed?.reason, "crashed", `the leader ${leader.name} failed during the run`);
      const [, newLeader] = /^\S+ at 0\.23\.1, leader (\S+) \(after/.exec(result.outputs.gateObserved.value) ?? [];
      assert.ok(
        newLeader && newLeader !== leader.address,
        `the gate passed with a new leader: ${result.outputs.gateObserved.value}`,
      );
      const elected = timeline.find(
        (e) => e.kind === "leader.elected" && e.service === "mesos" && e.leader === `${newLeader}:5050`,
      );
      assert.ok(elected && crashed && elected.time >= crashed.time, "that leader was elected after the old one failed");

      const mark = lastSeq(target.name);
      const again = await (await open("master", target.name, hop)).up();
      assert.equal(again.outputs.runningVersion.value, "0.23.1");
      assert.deepEqual(
        ledgerSince(target.name, mark).filter((e) => e.kind === "container.stop"),
        [],
        "nothing restarted",
      );
      assert.match(
        await imageOn(leader.name, "mesos-master"),
        /^true /,
        "the failed master came back (restart policy)",
      );
      assert.ok(await cluster.mesosLeader(), "the cluster has a leader");
    });
  });
});
