// A Docker engine hop under the real engine on simulated hosts: a package install that fails half way (and the
// next run finishing it), and the maintenance drain of an agent host (Mesos ≥ 0.25) around the engine restart.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { DockerEngine, type DockerEngineArgs } from "../../../providers/dockerEngine";
import { drain, drainTarget, undrain } from "../../../providers/engineDrain";
import { unpackedProperties } from "../../../providers/packed";
import { degradedApps, type MarathonApp } from "../../../observe/services";
import { getJson, httpRequest } from "../../../remote/http";
import { closeAllConnections } from "../../../remote/ssh";
import { startCluster, type Cluster, type LedgerEntry, type SimHost } from "../../../sim";
import { failureOf } from "../../support/failure";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

/** A scratch stack per host, all in one temporary project and file backend. */
function stacks(dir: string, toolchain: () => Toolchain) {
  return (name: string, program: () => Promise<Record<string, unknown>>): Promise<Stack> =>
    openStack({
      stack: name,
      program,
      scratchProject: { name: "docker-hop", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain: toolchain(),
    });
}

function engineArgs(
  cluster: Cluster,
  host: SimHost,
  version: string,
  extra: Partial<DockerEngineArgs> = {},
): DockerEngineArgs {
  return {
    connection: {
      name: host.name,
      address: host.address,
      port: host.sshPort,
      user: cluster.userKey.user,
      hostKeyFingerprint: host.hostKeyFingerprint,
    },
    privateKey: pulumi.secret(cluster.userKey.privateKey),
    version,
    targetVersion: "1.11.2",
    gateTimeoutSeconds: 20,
    runsAgent: false,
    masters: [],
    marathons: [],
    mesosVersion: "0.22.1",
    ...extra,
  };
}

/** The recorded outputs of the stack's DockerEngine named `name` (by default its only one). */
async function recorded(stack: Stack, name?: string): Promise<Record<string, unknown>> {
  const state = (await stack.exportStack()).deployment as {
    resources: Array<{ urn: string; type: string; outputs: Record<string, unknown> }>;
  };
  const resource = state.resources.find(
    (r) => r.type.endsWith("DockerEngine") && (name === undefined || r.urn.endsWith(`::${name}`)),
  );
  assert.ok(resource, `the stack records a DockerEngine${name ? ` named ${name}` : ""}`);
  return unpackedProperties(resource.outputs);
}

/** Argv of `program` as run by the providers over SSH (the test's own setup runs with origin "local"). */
const fromSsh = (entries: readonly LedgerEntry[], program: string) =>
  entries
    .filter((e) => e.kind === "exec" && e.origin !== "local" && e.origin !== "bootstrap" && e.program === program)
    .map((e) => (e.argv ?? []).join(" "));

describe("a Docker hop whose package install fails half way", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  let open: ReturnType<typeof stacks>;
  const engine = (host: string, version: string) => () =>
    open(`scratch-${host}`, async () => {
      const resource = new DockerEngine(`${host}-docker`, engineArgs(cluster, cluster.host(host), version));
      return {
        runningVersion: resource.runningVersion,
        gateObserved: resource.gateObserved,
        keptContainers: resource.keptContainers,
      };
    });

  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-hop-a-"));
    open = stacks(dir, () => toolchain);
    cluster = await startCluster("d1,d2:none", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.81",
      bootstrap: false,
    });
    for (const host of ["d1", "d2"]) {
      const web = await cluster.exec(host, "docker run -d --name web --restart=always nginx:1.9");
      assert.equal(web.code, 0, web.stderr);
    }
  });
  after(async () => {
    await closeAllConnections();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const dpkgStatus = async (host: string) =>
    (await cluster.exec(host, "dpkg-query -W --showformat='${Version} ${Status}' docker-engine")).stdout.trim();
  const engineStatus = async (host: string) => (await cluster.exec(host, "service docker status")).stdout.trim();

  it("adopts both engines at 1.7.1 with their restart-policy container", async () => {
    for (const host of ["d1", "d2"]) {
      const result = await (await engine(host, "1.7.1")()).up();
      assert.equal(result.outputs.runningVersion.value, "1.7.1");
      assert.deepEqual(result.outputs.keptContainers.value, ["web"]);
    }
  });

  let failure = "";
  it("names the host, the package, apt's last stderr lines and the fix when the install fails", async () => {
    await cluster.inject("d1", { kind: "package-install-fails", package: "docker-engine" });
    failure = await failureOf((await engine("d1", "1.11.2")()).up());
    assert.match(
      failure,
      /docker on d1 \(127\.0\.81\.11:\d+\): installing docker-engine=1\.11\.2-0~trusty failed: `apt-get install -y 'docker-engine=1\.11\.2-0~trusty'` exited with code 100/,
    );
    assert.match(
      failure,
      /apt\/dpkg said: dpkg: error processing package docker-engine \(--configure\): \| +subprocess installed post-installation script returned error exit status 1 \| Errors were encountered while processing: \| +docker-engine \| E: Sub-process \/usr\/bin\/dpkg returned an error code \(1\)/,
    );
    assert.match(
      failure,
      /docker-engine is left 1\.11\.2-0~trusty "install ok half-configured" and the engine is stopped \(it ran 1\.7\.1\)/,
    );
    assert.match(
      failure,
      /Fix the cause \(on d1: \/var\/log\/upstart\/docker\.log, `dpkg --audit`\), then run `pulumi up` again: it finishes this install \(`apt-get install -f`/,
    );
  });

  it("records that the engine is not running the new version, and the install it left unfinished", async () => {
    assert.equal(await dpkgStatus("d1"), "1.11.2-0~trusty install ok half-configured");
    assert.equal(await engineStatus("d1"), "docker stop/waiting");
    const stack = await engine("d1", "1.11.2")();
    const outputs = await recorded(stack);
    assert.equal(outputs.runningVersion, "none");
    assert.equal(outputs.version, "1.7.1", "the hop is still to do");
    assert.deepEqual(outputs.interruptedInstall, {
      package: "docker-engine",
      packageVersion: "1.11.2-0~trusty",
      version: "1.11.2",
      from: "1.7.1",
      status: "install ok half-configured",
      keep: ["web"],
    });
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /~ version\s*: "1\.7\.1" => "1\.11\.2"/);
  });

  it("retries finishing its own install while apt still fails, instead of calling it a hand-made change", async () => {
    const again = await failureOf((await engine("d1", "1.11.2")()).up());
    assert.doesNotMatch(again, /changed by hand/);
    assert.match(
      again,
      /docker on d1 \(127\.0\.81\.11:\d+\): installing docker-engine=1\.11\.2-0~trusty failed: `apt-get install -f -y` exited with code 100; apt\/dpkg said: .*post-installation script returned error exit status 1/,
    );
    assert.deepEqual((await recorded(await engine("d1", "1.11.2")())).interruptedInstall, {
      package: "docker-engine",
      packageVersion: "1.11.2-0~trusty",
      version: "1.11.2",
      from: "1.7.1",
      status: "install ok half-configured",
      keep: ["web"],
    });
  });

  it("finishes the interrupted install with apt-get install -f once the fault is cleared, and the engine's containers come back", async () => {
    await cluster.clear("d1", "package-install-fails");
    const before = cluster.ledger("d1").length;
    const result = await (await engine("d1", "1.11.2")()).up();
    assert.equal(result.outputs.runningVersion.value, "1.11.2");
    assert.deepEqual(result.outputs.keptContainers.value, ["web"]);
    assert.match(result.outputs.gateObserved.value, /engine 1\.11\.2, containers missing: none/);
    const since = cluster.ledger("d1").slice(before);
    assert.deepEqual(
      fromSsh(since, "apt-get"),
      ["install -f -y"],
      "finished by configuring what dpkg left, not by a fresh install",
    );
    assert.deepEqual(
      since.filter((e) => e.kind === "package.install").map((e) => [e.version, e.ok]),
      [["1.11.2-0~trusty", true]],
    );
    assert.equal(await dpkgStatus("d1"), "1.11.2-0~trusty install ok installed");
    assert.equal((await recorded(await engine("d1", "1.11.2")())).interruptedInstall, undefined);
    const web = await cluster.exec("d1", "docker inspect --format '{{.State.Running}}' web");
    assert.equal(web.stdout.trim(), "true");
  });

  it("still refuses a hand-made install of another version over its interrupted one, touching nothing", async () => {
    await cluster.inject("d2", { kind: "package-install-fails" });
    await assert.rejects(
      (await engine("d2", "1.11.2")()).up(),
      /docker on d2 \(127\.0\.81\.12:\d+\): installing docker-engine=1\.11\.2-0~trusty failed/,
    );
    await cluster.clear("d2", "package-install-fails");
    const byHand = await cluster.exec("d2", "apt-get install -y --force-yes docker-engine=1.9.1-0~trusty");
    assert.equal(byHand.code, 0, byHand.stderr);
    const before = cluster.ledger("d2").length;
    await assert.rejects(
      (await engine("d2", "1.11.2")()).up(),
      /docker on d2: the stack recorded an unfinished install of docker-engine 1\.11\.2-0~trusty \(install ok half-configured, engine not running it\), but d2 now has docker-engine 1\.9\.1-0~trusty \(install ok installed\) and its engine runs 1\.9\.1: it was changed by hand\. Run `pulumi refresh`/,
    );
    const since = cluster.ledger("d2").slice(before);
    assert.deepEqual(
      [...fromSsh(since, "apt-get"), ...fromSsh(since, "service")],
      [],
      "no package or service command ran",
    );
    assert.deepEqual(
      since.filter((e) => e.kind === "engine.stop"),
      [],
    );
    assert.equal(await dpkgStatus("d2"), "1.9.1-0~trusty install ok installed");
  });

  it("after refresh records the hand-made version, moves on from it", async () => {
    const stack = await engine("d2", "1.11.2")();
    await stack.refresh();
    const outputs = await recorded(stack);
    assert.equal(outputs.runningVersion, "1.9.1");
    assert.equal(outputs.interruptedInstall, undefined, "refresh drops the install the host no longer shows");
    const result = await stack.up();
    assert.equal(result.outputs.runningVersion.value, "1.11.2");
  });
});

/** One HTTP call the recording master proxy forwarded. */
interface MasterCall {
  /** ISO time the call arrived (before the master saw it). */
  readonly time: string;
  /** ISO time the master's answer came back (after the master acted on it). */
  readonly answered: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly status: number;
}

/**
 * An HTTP proxy that stands in front of the Mesos master at `master`, records every call, and names itself as the
 * master in the pids it passes on: the provider finds the leader's address there, so its maintenance calls come
 * through the proxy as well, and the test sees each one, in order, with the time it was made. `failNext` makes
 * it answer the next call to a path itself, with an error status, without passing it on.
 */
async function recordingMaster(
  listen: string,
  master: string,
  port = 5050,
): Promise<{
  calls: MasterCall[];
  failNext: (method: string, path: string, status: number) => void;
  close: () => Promise<void>;
}> {
  const calls: MasterCall[] = [];
  const failures: Array<{ method: string; path: string; status: number }> = [];
  const server = http.createServer((req, res) => {
    const time = new Date().toISOString();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const injected = failures.findIndex((f) => f.method === req.method && f.path === req.url);
      if (injected >= 0) {
        const status = failures.splice(injected, 1)[0]?.status ?? 500;
        calls.push({
          time,
          answered: new Date().toISOString(),
          method: req.method ?? "",
          path: req.url ?? "",
          body: body.toString("utf8"),
          status,
        });
        res.writeHead(status, { "content-type": "text/plain" });
        res.end("Service Unavailable (injected by the test proxy)");
        return;
      }
      const upstream = http.request(
        {
          host: master,
          port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `${master}:${port}` },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => parts.push(chunk));
          answer.on("end", () => {
            const text = Buffer.concat(parts)
              .toString("utf8")
              .split(`master@${master}:${port}`)
              .join(`master@${listen}:${port}`);
            calls.push({
              time,
              answered: new Date().toISOString(),
              method: req.method ?? "",
              path: req.url ?? "",
              body: body.toString("utf8"),
              status: answer.statusCode ?? 0,
            });
            const headers = { ...answer.headers, "content-length": String(Buffer.byteLength(text)) };
            delete headers["transfer-encoding"];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(text);
          });
        },
      );
      upstream.on("error", (error) => {
        res.writeHead(502);
        res.end(error.message);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, listen, resolve);
  });
  return {
    calls,
    failNext: (method, path, status) => failures.push({ method, path, status }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What one look saw, between the time it asked and the time the answer came. */
interface Seen<T> {
  readonly time: string;
  readonly answered: string;
  readonly value: T;
}

/** Looks at `look` every `ms` until stopped; returns what it saw, with times. */
function poll<T>(ms: number, look: () => Promise<T>): { seen: Array<Seen<T>>; stop: () => Promise<void> } {
  const seen: Array<Seen<T>> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const time = new Date().toISOString();
      const value = await look();
      seen.push({ time, answered: new Date().toISOString(), value });
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  })();
  loop.catch(() => undefined); // a failed look is reported by stop(), after the run it watches, not during it
  return {
    seen,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

interface MaintenanceStatus {
  readonly draining_machines?: Array<{ id: { hostname: string } }>;
  readonly down_machines?: Array<{ hostname: string }>;
}

/**
 * A Docker hop of agent a1 (1.7.1 → 1.11.2) on a cluster of one master and three agents at `mesos` (with a Marathon
 * whose libmesos reads that master's ZooKeeper entries), with a2's engine as the next step.
 */
function agentHop(mesos: string, marathon: string, network: string) {
  const ctx = {} as {
    cluster: Cluster;
    toolchain: Toolchain;
    dir: string;
    open: ReturnType<typeof stacks>;
    proxy: Awaited<ReturnType<typeof recordingMaster>>;
    proxyAddress: string;
  };
  /** The engine of agent `host` at `version`, drained through the proxy. */
  const agent = (host: string, version: string) =>
    engineArgs(ctx.cluster, ctx.cluster.host(host), version, {
      runsAgent: true,
      masters: [ctx.proxyAddress],
      marathons: [ctx.cluster.host("m1").address],
      mesosVersion: mesos,
      gateTimeoutSeconds: 60,
    });
  /**
   * a1's engine at `version`; with `nextStep`, a2's engine too (at `a2Version`), after it (its first contact with a2
   * shows when it started).
   */
  const program = (version: string, nextStep: boolean, a2Version: string) => async () => {
    const a1 = new DockerEngine("a1-docker", agent("a1", version));
    const a2 = nextStep ? new DockerEngine("a2-docker", agent("a2", a2Version), { dependsOn: [a1] }) : undefined;
    return {
      a1: a1.gateObserved,
      a1Version: a1.runningVersion,
      a2: a2?.gateObserved ?? "",
      a2Version: a2?.runningVersion ?? "",
    };
  };
  const open = (version: string, nextStep = version !== "1.7.1", a2Version = "1.7.1") =>
    ctx.open("scratch-agents", program(version, nextStep, a2Version));
  const setUp = async () => {
    ctx.toolchain = await ensureToolchain();
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-hop-b-"));
    ctx.open = stacks(ctx.dir, () => ctx.toolchain);
    // Redis runs 3 instances, one per host: with a1 down it can only run 2, so the gate has something to wait for.
    ctx.cluster = await startCluster("m1:master+marathon;a1..a3:agent", {
      stateDir: path.join(ctx.dir, "sim"),
      network,
      versions: { mesos, marathon },
    });
    ctx.proxyAddress = `${network}.250`;
    ctx.proxy = await recordingMaster(ctx.proxyAddress, ctx.cluster.host("m1").address);
  };
  const tearDown = async () => {
    await closeAllConnections();
    await ctx.proxy?.close();
    await ctx.cluster?.stop();
    fs.rmSync(ctx.dir, { recursive: true, force: true });
  };
  /** Runs the hop while watching the master's maintenance status and Marathon's apps. */
  const hop = async () => {
    const m1 = ctx.cluster.host("m1").address;
    const ledgerBefore = ctx.cluster.ledger().length;
    const callsBefore = ctx.proxy.calls.length;
    const maintenance = poll(
      20,
      async () => (await getJson<MaintenanceStatus>(`http://${m1}:5050/master/maintenance/status`)) ?? {},
    );
    const apps = poll(50, async () => {
      const list = await getJson<{ apps: MarathonApp[] }>(`http://${m1}:8080/v2/apps`);
      return list ? degradedApps(list.apps) : ["marathon not answering"];
    });
    const started = new Date().toISOString();
    try {
      const result = await (await open("1.11.2")).up();
      return {
        result,
        started,
        ledger: ctx.cluster.ledger().slice(ledgerBefore),
        calls: ctx.proxy.calls.slice(callsBefore),
        maintenance: maintenance.seen,
        apps: apps.seen,
      };
    } finally {
      await maintenance.stop();
      await apps.stop();
    }
  };
  return { ctx, agent, open, setUp, tearDown, hop };
}

const maintenanceCalls = (calls: readonly MasterCall[]) =>
  calls.filter((c) => /^\/master\/(maintenance|machine)\//.test(c.path));
/** Each call as "METHOD path status". */
const callLines = (calls: readonly MasterCall[]) => calls.map((c) => `${c.method} ${c.path} ${c.status}`);
const timeOf = (entries: readonly LedgerEntry[], match: (e: LedgerEntry) => boolean, what: string): string => {
  const found = entries.filter(match);
  assert.equal(found.length, 1, `exactly one ${what} in the ledger: ${JSON.stringify(found)}`);
  return (found[0] as LedgerEntry).time;
};

describe("the Docker hop of an agent host on Mesos 0.25: maintenance drain around the engine restart", () => {
  const { ctx, agent, open, setUp, tearDown, hop } = agentHop("0.25.1", "0.15.3", "127.0.82");
  before(setUp);
  after(tearDown);

  const a3Window = () => ({
    machine_ids: [{ hostname: ctx.cluster.host("a3").address, ip: ctx.cluster.host("a3").address }],
    unavailability: { start: { nanoseconds: 1.9e18 }, duration: { nanoseconds: 7200e9 } },
  });

  it("adopts both agents' engines without any maintenance call", async () => {
    const result = await (await open("1.7.1")).up();
    assert.match(result.outputs.a1.value, /adopted/);
    assert.deepEqual(maintenanceCalls(ctx.proxy.calls), []);
  });

  let run: Awaited<ReturnType<typeof hop>>;
  it("schedules a1 and takes it down before the engine stops, brings it up after the engine starts, and keeps a3's planned window", async () => {
    const m1 = ctx.cluster.host("m1").address;
    const a1 = ctx.cluster.host("a1").address;
    // Another machine's maintenance planned for later must survive the hop (POST replaces the whole schedule).
    const planned = await httpRequest(`http://${m1}:5050/master/maintenance/schedule`, {
      method: "POST",
      json: { windows: [a3Window()] },
    });
    assert.equal(planned.status, 200, planned.body);

    run = await hop();
    assert.equal(run.result.outputs.a1Version.value, "1.11.2");
    const machine = [{ hostname: a1, ip: a1 }];
    const calls = maintenanceCalls(run.calls);
    assert.deepEqual(callLines(calls), [
      "GET /master/maintenance/schedule 200",
      "POST /master/maintenance/schedule 200",
      "POST /master/machine/down 200",
      "POST /master/machine/up 200",
    ]);
    const [, schedule, down, up] = calls as [MasterCall, MasterCall, MasterCall, MasterCall];
    const windows = (
      JSON.parse(schedule.body) as {
        windows: Array<{ machine_ids: unknown[]; unavailability: { start: { nanoseconds: number } } }>;
      }
    ).windows;
    assert.deepEqual(windows[0], a3Window(), "a3's planned window is kept as it was");
    assert.deepEqual(windows[1]?.machine_ids, machine);
    assert.ok(
      windows[1].unavailability.start.nanoseconds / 1e6 <= Date.parse(down.time),
      "a1's window starts no later than it goes down",
    );
    assert.deepEqual(JSON.parse(down.body), machine);
    assert.deepEqual(JSON.parse(up.body), machine);

    // Order against what the hosts did: schedule → down → engine stop → engine start → up.
    const engineStop = timeOf(run.ledger, (e) => e.host === "a1" && e.kind === "engine.stop", "engine stop on a1");
    const engineStart = timeOf(run.ledger, (e) => e.host === "a1" && e.kind === "engine.start", "engine start on a1");
    const removed = timeOf(
      run.ledger,
      (e) => e.kind === "agent.removed" && e.agentHost === a1,
      "removal of a1's agent",
    );
    assert.match(run.ledger.find((e) => e.kind === "agent.removed")?.reason ?? "", /machine is down for maintenance/);
    assert.ok(
      schedule.time <= down.time &&
        down.time <= removed &&
        removed < engineStop &&
        engineStop < engineStart &&
        engineStart < up.time,
      JSON.stringify({ schedule: schedule.time, down: down.time, removed, engineStop, engineStart, up: up.time }),
    );

    // The master's own maintenance status: a1 down from the moment it was taken down until it was brought up
    // (every look the master answered strictly in between), and free afterwards.
    const whileDown = run.maintenance.filter((s) => s.time > down.answered && s.answered < up.time);
    assert.ok(whileDown.length > 0, "the master was asked while a1 was down");
    for (const seen of whileDown) assert.deepEqual(seen.value.down_machines, machine, `at ${seen.time}`);
    const status = await getJson<MaintenanceStatus>(`http://${m1}:5050/master/maintenance/status`);
    assert.deepEqual(status?.down_machines ?? [], []);
    assert.deepEqual(
      status?.draining_machines?.map((m) => m.id.hostname),
      [ctx.cluster.host("a3").address],
      "only a3's planned window is left",
    );
  });

  it("lets the next step start only once every multi-instance app is healthy again", async () => {
    // Continues from the hop above: the ledger and the polls of that run.
    assert.ok(run, "the hop ran");
    const a1 = ctx.cluster.host("a1").address;
    const [, , down, up] = maintenanceCalls(run.calls) as [MasterCall, MasterCall, MasterCall, MasterCall];
    assert.ok(
      run.apps.some((seen) => seen.time > down.time && seen.value.some((app) => /^\/redis [0-2]\/3$/.test(app))),
      `redis ran 2 of 3 while a1 was down: ${JSON.stringify(run.apps.filter((s) => s.value.length))}`,
    );
    // Redis is started again on a1 once it is back. A launch may end before it runs (an offer of the agent as it was
    // before it registered again is LOST, as on a real master) and Marathon launches once more: the one that runs
    // now is the last, and every earlier one ended.
    const relaunches = run.ledger.filter(
      (e) => e.kind === "task.launch" && e.appId === "/redis" && e.agentHost === a1 && e.time > up.time,
    );
    const ended = new Set(
      ctx.cluster
        .ledger()
        .filter((e) => e.kind === "task.status" && e.appId === "/redis")
        .map((e) => e.taskId),
    );
    const runningOnA1 = (await ctx.cluster.tasks()).filter((t) => t.appId === "/redis" && t.host === a1);
    const story = JSON.stringify({
      relaunches: relaunches.map((e) => [e.time, e.taskId]),
      endings: ctx.cluster
        .ledger()
        .filter((e) => e.kind === "task.status" && e.agentHost === a1 && e.time > up.time)
        .map((e) => [e.time, e.taskId, e.state, e.reason, e.message]),
      runningOnA1: runningOnA1.map((t) => t.id),
    });
    const last = relaunches.at(-1);
    assert.ok(last, `redis is started again on a1 once it is back: ${story}`);
    assert.deepEqual(
      runningOnA1.map((t) => t.id),
      [last.taskId],
      `the last launch on a1 is the redis that runs there: ${story}`,
    );
    assert.ok(
      relaunches.slice(0, -1).every((e) => ended.has(e.taskId)),
      `every earlier launch on a1 ended: ${story}`,
    );
    const nextStep = run.ledger.filter((e) => e.host === "a2" && e.kind === "ssh.auth");
    assert.ok(nextStep.length > 0, "the next step (a2's engine) connected to a2");
    assert.ok((nextStep[0] as LedgerEntry).time > last.time, `a2's step waited for redis to be back on a1: ${story}`);
    const outputs = await (await open("1.11.2")).outputs();
    assert.match(outputs.a1.value, /engine 1\.11\.2, containers missing: none, apps degraded: none/);
    const apps =
      (await getJson<{ apps: MarathonApp[] }>(`http://${ctx.cluster.host("m1").address}:8080/v2/apps`))?.apps ?? [];
    assert.deepEqual(degradedApps(apps), []);
  });

  // a2's hop, whose POST /master/machine/up the proxy refuses once: the engine already runs 1.11.2, so only the
  // stack's record of the drain makes the next run bring a2 back.
  const a2Machine = () => ({ hostname: ctx.cluster.host("a2").address, ip: ctx.cluster.host("a2").address });
  const downMachines = async () =>
    (await getJson<MaintenanceStatus>(`http://${ctx.cluster.host("m1").address}:5050/master/maintenance/status`))
      ?.down_machines ?? [];
  const a2Registered = async () =>
    (
      (
        await getJson<{ slaves: Array<{ pid: string }> }>(
          `http://${ctx.cluster.host("m1").address}:5050/master/state.json`,
        )
      )?.slaves ?? []
    ).some((s) => s.pid.includes(`@${ctx.cluster.host("a2").address}:`));
  const waitFor = async (what: string, look: () => Promise<boolean>, seconds = 30) => {
    for (
      const end = Date.now() + seconds * 1000;
      Date.now() < end;
      await new Promise((resolve) => setTimeout(resolve, 200))
    ) {
      if (await look()) return;
    }
    assert.fail(`${what} within ${seconds}s`);
  };

  it("fails naming the drained machine and the manual fix when bringing it back up fails, and leaves it down", async () => {
    assert.ok(await a2Registered(), "a2's agent is registered before its hop");
    const machine = a2Machine();
    const callsBefore = ctx.proxy.calls.length;
    ctx.proxy.failNext("POST", "/master/machine/up", 503);
    const failure = await failureOf((await open("1.11.2", true, "1.11.2")).up());
    const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    assert.match(
      failure,
      new RegExp(
        `docker on a2 \\(${esc(machine.ip)}:\\d+\\): bringing ${esc(machine.hostname)} back up after maintenance failed: HTTP 503 Service Unavailable \\(injected by the test proxy\\); its agent cannot register until it is up`,
      ),
    );
    assert.ok(
      failure.includes(
        `curl -X POST http://${ctx.proxyAddress}:5050/master/machine/up -d '${JSON.stringify([machine])}'`,
      ),
      failure,
    );
    assert.match(
      failure,
      new RegExp(
        `the engine now runs 1\\.11\\.2\\. ${esc(machine.hostname)} stays down for maintenance; the stack records it, and the next \`pulumi up\` brings it up \\(through whichever master leads then\\) before anything else`,
      ),
    );
    assert.deepEqual(callLines(maintenanceCalls(ctx.proxy.calls.slice(callsBefore))), [
      "GET /master/maintenance/schedule 200",
      "POST /master/maintenance/schedule 200",
      "POST /master/machine/down 200",
      "POST /master/machine/up 503",
    ]);
    assert.deepEqual(await downMachines(), [machine], "the master still has a2 down");
    assert.equal(await a2Registered(), false, "a2's agent cannot register while its machine is down");
  });

  it("records the machine it left down and the master it drained through, so the next preview has an update to do", async () => {
    const stack = await open("1.11.2", true, "1.11.2");
    const outputs = await recorded(stack, "a2-docker");
    assert.equal(outputs.runningVersion, "1.11.2");
    assert.equal(outputs.version, "1.11.2", "the engine hop itself is done");
    assert.deepEqual(outputs.unfinishedDrain, {
      machine: a2Machine(),
      master: `http://${ctx.proxyAddress}:5050`,
      keep: ["mesos_slave"],
    });
    const preview = await stack.preview();
    assert.deepEqual(
      preview.changeSummary,
      { same: 2, update: 1 },
      "a2's engine has an update to do although no input changed",
    );
    assert.deepEqual(await downMachines(), [a2Machine()], "preview changed nothing");
  });

  it("brings the machine up first on the next run, clears the record, and the agent registers again", async () => {
    const callsBefore = ctx.proxy.calls.length;
    const ledgerBefore = ctx.cluster.ledger().length;
    const result = await (await open("1.11.2", true, "1.11.2")).up();
    const calls = maintenanceCalls(ctx.proxy.calls.slice(callsBefore));
    assert.deepEqual(callLines(calls), ["GET /master/maintenance/status 200", "POST /master/machine/up 200"]);
    assert.deepEqual(JSON.parse((calls[1] as MasterCall).body), [a2Machine()]);
    assert.deepEqual(await downMachines(), []);
    assert.match(
      result.outputs.a2.value,
      new RegExp(
        `^brought ${ctx.cluster.host("a2").address.replace(/\./g, "\\.")} up, drained by an earlier run; engine 1\\.11\\.2, containers missing: none, apps degraded: none`,
      ),
    );
    const since = ctx.cluster.ledger().slice(ledgerBefore);
    assert.deepEqual(
      since.filter((e) => e.host === "a2" && (e.kind === "engine.stop" || e.kind === "engine.start")),
      [],
      "the engine was not touched again",
    );
    const up = calls[1] as MasterCall;
    assert.ok(
      since.some((e) => e.kind === "agent.registered" && e.agentHost === a2Machine().hostname && e.time > up.time),
      `a2's agent registered with the master after it was brought up: ${JSON.stringify(since.filter((e) => e.kind === "agent.registered"))}`,
    );
    assert.ok(await a2Registered(), "the master lists a2's agent");
    assert.equal((await recorded(await open("1.11.2", true, "1.11.2"), "a2-docker")).unfinishedDrain, undefined);
  });

  it("changes nothing on a further run once the machine is up", async () => {
    const callsBefore = ctx.proxy.calls.length;
    const result = await (await open("1.11.2", true, "1.11.2")).up();
    assert.deepEqual(result.summary.resourceChanges, { same: 3 });
    assert.deepEqual(maintenanceCalls(ctx.proxy.calls.slice(callsBefore)), []);
  });

  it("refuses to hop an engine whose machine someone else took down for maintenance, and leaves it down", async () => {
    const m1 = ctx.cluster.host("m1").address;
    const a3 = ctx.cluster.host("a3").address;
    const machine = { hostname: a3, ip: a3 };
    // a3's planned window (from the first hop) is in the schedule: take it down now, as its owner would.
    const down = await httpRequest(`http://${m1}:5050/master/machine/down`, { method: "POST", json: [machine] });
    assert.equal(down.status, 200, down.body);
    await waitFor(
      "a3's agent is removed",
      async () =>
        !(
          (await getJson<{ slaves: Array<{ pid: string }> }>(`http://${m1}:5050/master/state.json`))?.slaves ?? []
        ).some((s) => s.pid.includes(`@${a3}:`)),
    );
    const callsBefore = ctx.proxy.calls.length;
    const ledgerBefore = ctx.cluster.ledger().length;
    try {
      const stack = await ctx.open("scratch-a3", async () => ({
        a3: new DockerEngine("a3-docker", agent("a3", "1.11.2")).runningVersion,
      }));
      await assert.rejects(stack.up(), (error: Error) => {
        assert.ok(
          error.message.includes(
            `docker on a3: its machine ${JSON.stringify(machine)} is down for maintenance on http://${ctx.proxyAddress}:5050, and this stack did not take it down (someone else's maintenance). Nothing was changed and the machine is left down. When that maintenance is over, bring it up (curl -X POST http://${ctx.proxyAddress}:5050/master/machine/up -d '${JSON.stringify([machine])}'), then run \`pulumi up\` again`,
          ),
          error.message,
        );
        return true;
      });
      assert.deepEqual(
        maintenanceCalls(ctx.proxy.calls.slice(callsBefore)).map((c) => `${c.method} ${c.path}`),
        ["GET /master/maintenance/status"],
        "only asked, never brought it up",
      );
      assert.deepEqual(await downMachines(), [machine]);
      const since = ctx.cluster.ledger().slice(ledgerBefore);
      assert.deepEqual(
        since.filter((e) => e.host === "a3" && (e.kind === "engine.stop" || e.kind === "package.install")),
        [],
        "a3's engine was not touched",
      );
    } finally {
      const up = await httpRequest(`http://${m1}:5050/master/machine/up`, { method: "POST", json: [machine] });
      assert.equal(up.status, 200, up.body);
    }
  });

  it("takes two machines of one wave down at once, each drain keeping the other's window and the schedule's", async () => {
    const m1 = ctx.cluster.host("m1").address;
    const schedule = async () =>
      (
        (await getJson<{ windows?: Array<{ machine_ids: Array<{ ip: string }> }> }>(
          `http://${m1}:5050/master/maintenance/schedule`,
        )) ?? {}
      ).windows?.flatMap((w) => w.machine_ids.map((m) => m.ip)) ?? [];
    const targets = await Promise.all(
      ["a1", "a2"].map(async (name) => {
        const target = await drainTarget({ name, address: ctx.cluster.host(name).address }, [m1]);
        assert.ok(target, `${name}'s agent is registered`);
        // Through the recording proxy, to count the calls.
        return { ...target, url: `http://${ctx.proxyAddress}:5050` };
      }),
    );
    const both = targets.map((t) => t.machine.ip).sort();
    // A machine's maintenance planned for later, as the first case had a3's: both drains must keep it.
    const plannedWindow = await httpRequest(`http://${m1}:5050/master/maintenance/schedule`, {
      method: "POST",
      json: { windows: [a3Window()] },
    });
    assert.equal(plannedWindow.status, 200, plannedWindow.body);
    const planned = await schedule();
    assert.deepEqual(planned, [ctx.cluster.host("a3").address]);
    const callsBefore = ctx.proxy.calls.length;
    try {
      await Promise.all(targets.map((target) => drain(target)));
      const calls = maintenanceCalls(ctx.proxy.calls.slice(callsBefore));
      assert.deepEqual(
        callLines(calls),
        [
          "GET /master/maintenance/schedule 200",
          "POST /master/maintenance/schedule 200",
          "POST /master/machine/down 200",
        ],
        "both drains in one schedule and one machine/down",
      );
      assert.deepEqual(
        (JSON.parse((calls[2] as MasterCall).body) as Array<{ ip: string }>).map((m) => m.ip).sort(),
        both,
      );
      assert.deepEqual((await downMachines()).map((m) => m.hostname).sort(), both);
      assert.deepEqual(
        (await schedule()).sort(),
        [...both, ...planned].sort(),
        "the schedule's windows are kept beside both",
      );
    } finally {
      await Promise.all(targets.map((target) => undrain([m1], target, 30)));
    }
    assert.deepEqual(await downMachines(), []);
    assert.deepEqual(await schedule(), planned, "the schedule is as it was");
  });
});

describe("the Docker hop of an agent host on Mesos 0.24: no maintenance primitives yet", () => {
  const { ctx, agent, open, setUp, tearDown, hop } = agentHop("0.24.1", "0.13.1", "127.0.83");
  before(setUp);
  after(tearDown);

  it("restarts the engine without any maintenance call, and still waits for every multi-instance app", async () => {
    await (await open("1.7.1")).up();
    const run = await hop();
    assert.equal(run.result.outputs.a1Version.value, "1.11.2");
    assert.deepEqual(maintenanceCalls(ctx.proxy.calls), [], "no call to /master/maintenance or /master/machine");
    assert.ok(
      run.ledger.some((e) => e.host === "a1" && e.kind === "engine.stop") &&
        run.ledger.some((e) => e.host === "a1" && e.kind === "engine.start"),
      "the engine was restarted",
    );
    assert.deepEqual(
      run.ledger.filter((e) => e.kind === "agent.removed"),
      [],
      "no agent was taken down",
    );
    assert.deepEqual(
      run.maintenance.filter((s) => JSON.stringify(s.value) !== "{}"),
      [],
      "the 0.24 master has no maintenance status to show",
    );
    assert.match(
      run.result.outputs.a1.value,
      /engine 1\.11\.2, containers missing: none, apps degraded: none, agent registered/,
    );
    const apps =
      (await getJson<{ apps: MarathonApp[] }>(`http://${ctx.cluster.host("m1").address}:8080/v2/apps`))?.apps ?? [];
    assert.deepEqual(degradedApps(apps), []);
  });

  // a2 alone in a stack of its own: its agent's container comes back with the engine, but the agent never registers.
  const a2Alone = (version: string, gateTimeoutSeconds: number) =>
    ctx.open("scratch-a2", async () => {
      const a2 = new DockerEngine("a2-docker", {
        ...agent("a2", version),
        targetVersion: "1.12.3",
        gateTimeoutSeconds,
      });
      return { gateObserved: a2.gateObserved, runningVersion: a2.runningVersion };
    });
  const restartsOnA2 = (entries: readonly LedgerEntry[]) =>
    entries.filter(
      (e) => e.host === "a2" && (e.kind === "engine.stop" || e.kind === "engine.start" || e.kind === "package.install"),
    );

  it("does not pass the gate while the agent's container runs but the agent has not registered again, and records it", async () => {
    await (await a2Alone("1.7.1", 6)).up();
    await ctx.cluster.inject("a2", { kind: "agent-no-reregister" });
    const mark = ctx.cluster.ledger().length;
    const failure = await failureOf((await a2Alone("1.11.2", 6)).up());
    assert.match(
      failure,
      /docker on a2 \([\d.:]+\): health gate "docker on a2 answers at 1\.11\.2 with mesos_slave back and its agent registered again, every multi-instance app healthy" did not pass within 6s; last seen: engine 1\.11\.2, containers missing: none, apps degraded: [^"]*, agent not registered/,
    );
    assert.match(failure, /the next `pulumi up` checks it again, restarting nothing/);
    assert.ok(
      restartsOnA2(ctx.cluster.ledger().slice(mark)).some((e) => e.kind === "engine.start"),
      "the engine was restarted",
    );
    const state = await recorded(await a2Alone("1.11.2", 6), "a2-docker");
    assert.deepEqual(
      [state.runningVersion, state.gateObserved, state.failedGate],
      ["1.11.2", "health gate failed", { keep: ["mesos_slave"] }],
    );
  });

  it("installs no further hop while the last hop's gate has not passed", async () => {
    const mark = ctx.cluster.ledger().length;
    const failure = await failureOf((await a2Alone("1.12.3", 6)).up());
    assert.match(
      failure,
      /docker on a2 \([\d.:]+\): the gate of its last hop \(to 1\.11\.2\) has still not passed, so 1\.12\.3 is not installed: health gate [^\n]*agent not registered/,
    );
    assert.deepEqual(restartsOnA2(ctx.cluster.ledger().slice(mark)), [], "nothing was installed or restarted");
    assert.deepEqual(
      fromSsh(ctx.cluster.ledger().slice(mark), "apt-get").filter((argv) => argv.includes("install")),
      [],
      "apt installed nothing",
    );
    const state = await recorded(await a2Alone("1.11.2", 6), "a2-docker");
    assert.deepEqual([state.runningVersion, state.failedGate], ["1.11.2", { keep: ["mesos_slave"] }]);
  });

  it("checks the gate again on the next run, restarting nothing, and passes once the agent is back", async () => {
    await ctx.cluster.clear("a2", "agent-no-reregister");
    const stack = await a2Alone("1.11.2", 30);
    const preview = await stack.preview();
    assert.equal(preview.changeSummary.update, 1, "the failed gate is work to do: the preview shows it");
    const mark = ctx.cluster.ledger().length;
    const result = await stack.up();
    assert.match(
      result.outputs.gateObserved.value,
      /^the engine already ran it, its gate checked again; engine 1\.11\.2, containers missing: none, apps degraded: none, agent registered \(after [\d.]+s\)$/,
    );
    assert.deepEqual(restartsOnA2(ctx.cluster.ledger().slice(mark)), [], "the re-run restarted nothing");
    const state = await recorded(stack, "a2-docker");
    assert.equal(state.failedGate, undefined, "the record of the failed gate is cleared");
    assert.equal((await stack.preview()).changeSummary.update ?? 0, 0, "a further run has nothing to do");
  });

  // a1 (1.11.2 since the first case) and a3 (1.7.1) each run one of redis' three instances; their engines are steps of
  // one wave (no order between them), as when Marathon moved a task onto a host of a later wave after the run was
  // planned.
  const pair = (a1Version: string, a3Version: string) =>
    ctx.open("scratch-pair", async () => {
      const a1 = new DockerEngine("a1-docker", { ...agent("a1", a1Version), targetVersion: "1.12.3" });
      const a3 = new DockerEngine("a3-docker", agent("a3", a3Version));
      return { a1: a1.gateObserved, a3: a3.gateObserved };
    });

  it("restarts two engines of one wave whose hosts run the same multi-instance app one after the other, never stopping two of its instances", async () => {
    await (await pair("1.11.2", "1.7.1")).up();
    const m1 = ctx.cluster.host("m1").address;
    const redis = poll(50, async () => {
      const list = await getJson<{ apps: MarathonApp[] }>(`http://${m1}:8080/v2/apps`);
      return list?.apps.find((app) => app.id === "/redis")?.tasksRunning;
    });
    const mark = ctx.cluster.ledger().length;
    const gates: Record<string, string> = {};
    try {
      const result = await (await pair("1.12.3", "1.11.2")).up();
      Object.assign(gates, { a1: result.outputs.a1.value as string, a3: result.outputs.a3.value as string });
      assert.match(gates.a1 ?? "", /apps degraded: none/);
      assert.match(gates.a3 ?? "", /apps degraded: none/);
    } finally {
      await redis.stop();
    }
    const restarts = ctx.cluster
      .ledger()
      .slice(mark)
      .filter((e) => (e.host === "a1" || e.host === "a3") && (e.kind === "engine.stop" || e.kind === "engine.start"))
      .map((e) => `${e.host} ${e.kind}`);
    const first = restarts[0]?.split(" ")[0];
    const second = first === "a1" ? "a3" : "a1";
    assert.deepEqual(
      restarts,
      [`${first} engine.stop`, `${first} engine.start`, `${second} engine.stop`, `${second} engine.start`],
      "the second engine stopped only after the first started again",
    );
    // The step that waited says so on its gate line, naming the app and the host whose restart it waited for.
    assert.match(
      gates[second] ?? "",
      new RegExp(
        `^waited [\\d.]+s before stopping anything, for .*/redis \\(its restart on ${first} is under way\\)[^;]*; engine `,
      ),
    );
    assert.doesNotMatch(gates[first as string] ?? "", /waited/, "the step that went first did not wait");
    // Each engine's restart killed its redis, and redis was started again between the two (from the cluster's record:
    // a 50 ms poll of Marathon can miss a dip that short at the simulator's fast pace).
    const since = ctx.cluster.ledger().slice(mark);
    const redisDied = (host: string) =>
      since.find(
        (e) =>
          e.kind === "task.status" &&
          e.appId === "/redis" &&
          e.agentHost === ctx.cluster.host(host).address &&
          ["TASK_LOST", "TASK_KILLED", "TASK_FAILED"].includes(String(e.state)),
      );
    const [firstDied, secondDied] = [redisDied(first as string), redisDied(second)];
    assert.ok(firstDied && secondDied, `redis died on both hosts: ${JSON.stringify({ firstDied, secondDied })}`);
    assert.ok(
      since.some(
        (e) => e.kind === "task.launch" && e.appId === "/redis" && e.time > firstDied.time && e.time < secondDied.time,
      ),
      "redis was started again after it died on the first host, before it died on the second",
    );
    const counts = redis.seen.map((s) => s.value).filter((n): n is number => n !== undefined);
    assert.ok(
      counts.every((n) => n >= 2),
      `never fewer than 2 of redis' 3 instances ran: ${JSON.stringify(counts)}`,
    );
  });

  it("stops nothing and names the app while a multi-instance app on the host cannot be whole", async () => {
    const m1 = ctx.cluster.host("m1").address;
    const scale = async (instances: number) => {
      const answer = await httpRequest(`http://${m1}:8080/v2/apps/redis`, { method: "PUT", json: { instances } });
      assert.ok(answer.status < 300, answer.body);
    };
    // Redis' hostname UNIQUE constraint leaves no host for a fourth instance among three agents: 3/4 for good.
    await scale(4);
    const mark = ctx.cluster.ledger().length;
    try {
      const failure = await failureOf((await a2Alone("1.12.3", 3)).up());
      assert.match(
        failure,
        /docker on a2: waited 3s for every multi-instance app with a task on a2 whole, and none of them stopped by another step of this run; last seen: waiting for \/redis 3\/4 healthy\. Nothing was stopped; the engine still runs 1\.11\.2\. Bring those apps back to all their instances healthy/,
      );
      assert.deepEqual(restartsOnA2(ctx.cluster.ledger().slice(mark)), [], "a2's engine was not touched");
      assert.equal((await recorded(await a2Alone("1.11.2", 3), "a2-docker")).runningVersion, "1.11.2");
    } finally {
      await scale(3);
    }
  });
});
