// Reaching hosts the way a locked-down prod network allows: every host behind a bastion that is the only SSH
// address reachable, Mesos and Marathon answering the hosts only, OpenSSH's sshd everywhere, and the operator
// logging in through an SSH agent that holds a passphrase-protected key. The stack converges the master's and the
// agent's Mesos hops anyway, and a swapped host key (bastion or host) refuses the run before anything is touched.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { startCluster, type Cluster, type SimHost } from "../../../sim";
import { sshdAvailable } from "../../../sim/host/openssh";
import { getJson } from "../../../remote/http";
import { clearHttpRouting, serviceUrl, useHttpRouting, DEFAULT_HTTP_ROUTING } from "../../../remote/routes";
import { closeAllConnections, sshShell, type SshTarget } from "../../../remote/ssh";
import { main as fingerprints } from "../../../stacks/fingerprints-cli";
import { clusterProgram } from "../../../stacks/program";
import { repoRoot } from "../../../toolchain/paths";
import { openStack } from "../../../toolchain/workspace";
import { connect } from "../sim/helpers";
import { SEED_AGENT_SETTINGS } from "../../support/scratch-stack";

const NETWORK = "127.0.131";
const PASSPHRASE = "correct horse battery staple";
const STACK = "scratch-realhosts";
/**
 * Simulated seconds per wall second. Each command over OpenSSH through the bastion costs this machine about a wall
 * second (sshd forks a session, the simulated docker CLI starts); at the default 0.02 that is 50 simulated seconds,
 * and the three commands of an agent's restart (stop, rm, run) outlast the masters' 75 s window for a silent agent
 * (15 s × 5 pings, hard-coded in 0.22): the master removes the agent, as Mesos does, and it comes back as a new one.
 * At 0.1 a command costs 10 simulated seconds, still slower than a real bastion, and the restart fits the window.
 */
const TIME_SCALE = 0.1;

/** A plain HTTP GET from this process (the operator's machine), without any route: resolves with the status. */
function directGet(address: string, port: number, pathName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port, path: pathName, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}

describe(
  "a stack behind a bastion, with only SSH open, logging in through an SSH agent",
  { skip: sshdAvailable() ? false : "sshd is not installed (apt-get install -y openssh-server)" },
  () => {
    let dir: string;
    let cluster: Cluster;
    let stack: Stack;
    let agentPid: number | undefined;
    let agentSocket: string;
    let encryptedKey: string;
    let m1: SimHost, a1: SimHost, b1: SimHost;
    const savedSock = process.env.SSH_AUTH_SOCK;

    /** The stack file's config: m1 (master and Marathon) and a1 (agent) behind the jump host b1. */
    const stackConfig = (overrides: { jumpFingerprint?: string; m1Fingerprint?: string } = {}) => ({
      config: {
        "mesos-upgrade:environment": "test",
        "mesos-upgrade:hosts": [
          {
            name: "m1",
            address: m1.address,
            roles: ["mesos-master", "marathon"],
            hostKeyFingerprint: overrides.m1Fingerprint ?? m1.hostKeyFingerprint,
          },
          { name: "a1", address: a1.address, roles: ["mesos-slave"], hostKeyFingerprint: a1.hostKeyFingerprint },
        ],
        "mesos-upgrade:ssh": {
          user: cluster.userKey.user,
          port: m1.sshPort,
          agent: true,
          jump: {
            name: "b1",
            address: b1.address,
            port: b1.sshPort,
            hostKeyFingerprint: overrides.jumpFingerprint ?? b1.hostKeyFingerprint,
          },
        },
        "mesos-upgrade:targets": { docker: "1.7.1", mesos: "0.22.2", marathon: "0.9.1" },
        "mesos-upgrade:rollout": { gateTimeoutSeconds: 60 },
        "mesos-upgrade:zookeeper": {
          hosts: [cluster.file.zk.dataHost ?? "m1"],
          dataDir: cluster.file.zk.dataDir ?? "/var/lib/zookeeper",
        },
        "mesos-upgrade:mesosSlave": SEED_AGENT_SETTINGS,
      },
    });
    /** Writes the stack's settings into its file, keeping what Pulumi keeps there (secrets, encryption salt). */
    const writeStackFile = (overrides: Parameters<typeof stackConfig>[0] = {}) => {
      const file = path.join(dir, `Pulumi.${STACK}.yaml`);
      const current = (fs.existsSync(file) ? YAML.parse(fs.readFileSync(file, "utf8")) : undefined) as
        { config?: Record<string, unknown> } | undefined;
      fs.writeFileSync(
        file,
        YAML.stringify(
          { ...current, config: { ...current?.config, ...stackConfig(overrides).config } },
          { lineWidth: 0 },
        ),
      );
    };
    const touches = () =>
      cluster
        .ledger()
        .filter((e) => e.kind === "container.stop" || e.kind === "engine.stop" || e.kind === "package.install").length;
    const execsOn = (host: string) => cluster.ledger(host).filter((e) => e.kind === "ssh.exec").length;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "realhosts-"));
      process.env.MESOS_UPGRADE_WORK = dir;
      cluster = await startCluster("m1:master+marathon;a1:agent;b1:none", {
        stateDir: path.join(dir, "sim"),
        network: NETWORK,
        sshServer: "openssh",
        firewall: true,
        bastion: "b1",
        apps: [],
        timeScale: TIME_SCALE,
      });
      [m1, a1, b1] = ["m1", "a1", "b1"].map((name) => cluster.hosts.find((h) => h.name === name) as SimHost);
      // The operator's key, protected by a passphrase, held by an ssh-agent of this test.
      encryptedKey = path.join(dir, "id_ed25519");
      fs.writeFileSync(encryptedKey, cluster.userKey.privateKey, { mode: 0o600 });
      execFileSync("ssh-keygen", ["-q", "-p", "-P", "", "-N", PASSPHRASE, "-f", encryptedKey]);
      agentSocket = path.join(dir, "agent.sock");
      const started = execFileSync("ssh-agent", ["-s", "-a", agentSocket], { encoding: "utf8" });
      agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(started)?.[1]);
      const askpass = path.join(dir, "askpass");
      fs.writeFileSync(askpass, `#!/bin/sh\necho '${PASSPHRASE}'\n`, { mode: 0o700 });
      execFileSync("ssh-add", ["-q", encryptedKey], {
        env: {
          ...process.env,
          SSH_AUTH_SOCK: agentSocket,
          SSH_ASKPASS: askpass,
          SSH_ASKPASS_REQUIRE: "force",
          DISPLAY: ":0",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      process.env.SSH_AUTH_SOCK = agentSocket;

      fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`),
      );
      writeStackFile();
      stack = await openStack({ stack: STACK, program: clusterProgram, projectDir: dir });
      // The agent holds the only key: the stack's key is an empty secret.
      await stack.setConfig("sshPrivateKey", { value: "", secret: true });
    });
    after(async () => {
      clearHttpRouting();
      await closeAllConnections();
      await cluster?.stop();
      if (agentPid) process.kill(agentPid);
      if (savedSock === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = savedSock;
      delete process.env.MESOS_UPGRADE_WORK;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("lets the operator's machine reach only the bastion's SSH: hosts' SSH, Mesos and Marathon ports refuse it", async () => {
      await assert.rejects(connect(m1, cluster.userKey.privateKey, cluster.userKey.user, { readyTimeout: 3000 }));
      await assert.rejects(directGet(m1.address, 5050, "/master/health"), /ECONNRESET|socket hang up/);
      await assert.rejects(directGet(a1.address, 5051, "/state.json"), /ECONNRESET|socket hang up/);
      await assert.rejects(directGet(m1.address, 8080, "/ping"), /ECONNRESET|socket hang up/);
      const bastion = await connect(b1, cluster.userKey.privateKey, cluster.userKey.user);
      bastion.end();
      // The cluster itself is healthy behind its firewall: the master leads with its agent registered.
      assert.equal((await cluster.mesosLeader())?.name, "m1");
    });

    it("runs commands and asks Mesos through the bastion with the agent's key, and with the key and its passphrase", async () => {
      const jump = { name: "b1", address: b1.address, port: b1.sshPort, hostKeyFingerprint: b1.hostKeyFingerprint };
      const base = {
        address: m1.address,
        port: m1.sshPort,
        user: cluster.userKey.user,
        hostKeyFingerprint: m1.hostKeyFingerprint,
        jump,
      };
      const viaAgent: SshTarget = { ...base, name: "m1", agent: agentSocket };
      assert.equal((await sshShell(viaAgent).run(["echo", "through the bastion"])).stdout, "through the bastion\n");
      const withPassphrase: SshTarget = {
        ...base,
        name: "m1-key",
        privateKey: fs.readFileSync(encryptedKey, "utf8"),
        passphrase: PASSPHRASE,
        port: m1.sshPort,
      };
      assert.equal((await sshShell(withPassphrase).run(["hostname"])).code, 0);
      await closeAllConnections();
      const wrong: SshTarget = { ...withPassphrase, name: "m1-wrong", passphrase: "not it" };
      const refused = await sshShell(wrong)
        .run(["true"])
        .then(
          () => undefined,
          (error: Error) => error,
        );
      assert.match(String(refused?.message), /sshPrivateKeyPassphrase/);
      assert.doesNotMatch(String(refused?.message), /not it/);
      useHttpRouting(DEFAULT_HTTP_ROUTING, [viaAgent]);
      const metrics = await getJson<Record<string, number>>(serviceUrl(m1.address, 5050, "/metrics/snapshot"));
      assert.equal(metrics?.["master/elected"], 1);
      clearHttpRouting();
      await closeAllConnections();
    });

    it("reads the bastion's and the hosts' keys over the network (the hosts' through the bastion) and pins them, keeping comments", async () => {
      const file = path.join(dir, "Pulumi.scratch-fingerprints.yaml");
      fs.writeFileSync(
        file,
        [
          "# hosts behind the bastion (this comment stays)",
          "config:",
          "  mesos-upgrade:ssh:",
          `    user: ${cluster.userKey.user}`,
          `    port: ${m1.sshPort}`,
          `    jump: {name: b1, address: ${b1.address}, port: ${b1.sshPort}, hostKeyFingerprint: ${b1.hostKeyFingerprint}}`,
          "  mesos-upgrade:hosts:",
          "    - name: m1",
          `      address: ${m1.address}`,
          "      hostKeyFingerprint: SHA256:REPLACE-WITH-m1-HOST-KEY # pinned by the fingerprints command",
          "    - name: a1",
          `      address: ${a1.address}`,
          `      hostKeyFingerprint: ${m1.hostKeyFingerprint}`,
          "",
        ].join("\n"),
      );
      const out: string[] = [];
      const err: string[] = [];
      const code = await fingerprints(
        ["--stack", "scratch-fingerprints", "--dir", dir, "--write"],
        (line) => out.push(line),
        (line) => err.push(line),
      );
      assert.deepEqual(err, []);
      assert.equal(code, 0);
      assert.match(
        out.join("\n"),
        new RegExp(
          `a1\t${a1.address.replace(/\./g, "\\.")}:${a1.sshPort} via b1\t${a1.hostKeyFingerprint.replace(/[+/]/g, ".")}\tCHANGED`,
        ),
      );
      const written = fs.readFileSync(file, "utf8");
      assert.ok(written.includes(`hostKeyFingerprint: ${m1.hostKeyFingerprint} # pinned by the fingerprints command`));
      assert.ok(written.includes(`hostKeyFingerprint: ${a1.hostKeyFingerprint}\n`));
      assert.ok(written.startsWith("# hosts behind the bastion (this comment stays)\n"));
    });

    it("refuses the run before anything is touched when the bastion presents another host key", async () => {
      const before = { touches: touches(), m1: execsOn("m1"), a1: execsOn("a1"), b1: execsOn("b1") };
      writeStackFile({ jumpFingerprint: a1.hostKeyFingerprint });
      await assert.rejects(
        stack.preview(),
        new RegExp(
          `b1 \\(${b1.address.replace(/\./g, "\\.")}:${b1.sshPort}\\): host key ${b1.hostKeyFingerprint.replace(/[+/]/g, ".")} does not match the pinned`,
        ),
      );
      assert.deepEqual({ touches: touches(), m1: execsOn("m1"), a1: execsOn("a1"), b1: execsOn("b1") }, before);
    });

    it("refuses a passphrase written in plain text in the stack file", async () => {
      await stack.setConfig("sshPrivateKeyPassphrase", { value: "in-the-clear", secret: false });
      const refused = await stack.preview().then(
        () => "",
        (error: Error) => error.message,
      );
      await stack.removeConfig("sshPrivateKeyPassphrase");
      assert.match(
        refused,
        /sshPrivateKeyPassphrase is stored in plain text in the stack file; set it with `pulumi config set --secret sshPrivateKeyPassphrase`/,
      );
    });

    it("refuses the run before anything is touched when a host presents another host key", async () => {
      // No command runs anywhere: not on m1, and not on a1 either, whose key is right (every login comes first).
      const before = { touches: touches(), m1: execsOn("m1"), a1: execsOn("a1"), b1: execsOn("b1") };
      writeStackFile({ m1Fingerprint: a1.hostKeyFingerprint });
      await assert.rejects(
        stack.preview(),
        /m1 \([^)]*\) via b1 [^:]*:\d+\): host key SHA256:\S+ does not match the pinned/,
      );
      assert.deepEqual({ touches: touches(), m1: execsOn("m1"), a1: execsOn("a1"), b1: execsOn("b1") }, before);
      writeStackFile();
    });

    it("adopts, then converges the master's and the agent's hops with their gates through the bastion, all HTTP through SSH", async () => {
      const adopted = await stack.up();
      assert.equal(adopted.outputs.phase.value, "adopting");
      let phase = "";
      let hostVersions: Record<string, Record<string, string>> = {};
      for (let run = 0; run < 6 && phase !== "converged"; run++) {
        const result = await stack.up();
        phase = result.outputs.phase.value as string;
        hostVersions = result.outputs.hostVersions.value as typeof hostVersions;
      }
      assert.equal(phase, "converged");
      assert.deepEqual([hostVersions.m1?.["mesos-master"], hostVersions.a1?.["mesos-slave"]], ["0.22.2", "0.22.2"]);
      // The hops really restarted the master and the agent on hosts the operator cannot reach directly.
      for (const [host, image] of [
        ["m1", "mesos-master:0.22.2"],
        ["a1", "mesos-slave:0.22.2"],
      ]) {
        assert.ok(
          cluster.ledger(host).some((e) => e.kind === "container.start" && String(e.image ?? "").includes(image)),
          `${image} started on ${host}`,
        );
      }
      // The agent came back as the same agent: registered once as new (at the cluster's start), never removed since.
      const registrations = cluster.ledger("m1").filter((e) => e.kind === "agent.registered");
      assert.deepEqual(
        registrations.map((e) => (e.detail as { reregistered?: boolean } | undefined)?.reregistered),
        [false, ...registrations.slice(1).map(() => true)],
      );
      assert.equal(new Set(registrations.map((e) => e.agentId)).size, 1);
      assert.deepEqual(
        cluster.ledger().filter((e) => e.kind === "agent.removed"),
        [],
      );
      assert.equal((await cluster.mesosLeader())?.name, "m1");
      await assert.rejects(directGet(m1.address, 5050, "/master/health"), /ECONNRESET|socket hang up/);
    });
  },
);
