// The rollout benchmark's pure parts: the physical limit, the ledger's counts, the flags.
import assert from "node:assert/strict";
import { test } from "node:test";
import { executorContainersCommand } from "../../../bench/executor-containers";
import { gateIntervalAtScale, parseRolloutArgs } from "../../../bench/rollout";
import { commandsPerStep, firstCommandTimes, loginSummary, tasksStartedAhead } from "../../../bench/rollout-ledger";
import { limitsByRun, physicalLimit, windowSeconds, type HopStep } from "../../../bench/rollout-limit";
import { packageFetchSeconds, packageSizeKb } from "../../../sim/host/packages";
import type { LedgerEntry } from "../../../sim/ledger";
import { REALISTIC } from "../../../sim/time";

const agentHop = (host: string, wave: number): HopStep => ({
  host,
  component: "mesos-slave",
  to: "0.24.2",
  run: 2,
  wave,
});

test("the limit pulls every image at once within the registry's bandwidth, then adds each sequential window once", () => {
  // 20 agents pulling the 510 MB agent image: 10.2 GB through 125 MB/s = 81.6 s; two waves of 10 agents.
  const steps = Array.from({ length: 20 }, (_, i) => agentHop(`a${i + 1}`, i < 10 ? 1 : 2));
  const limit = physicalLimit(steps, REALISTIC);
  assert.ok(Math.abs(limit.pullSeconds - 81.6) < 1e-6, `${limit.pullSeconds}`);
  assert.deepEqual(
    limit.windows.map((w) => w.wave),
    [1, 2],
  );
  // Each wave of ten agents: container start 1 s, Mesos start 2 s, then the longest of ten random waits before
  // registering (up to 1 s each): 10/11 s on average.
  assert.ok(Math.abs(windowSeconds({ component: "mesos-slave" }, REALISTIC, 10) - (1 + 2 + 10 / 11)) < 1e-9);
  assert.ok(Math.abs(limit.seconds - (81.6 + 2 * (1 + 2 + 10 / 11))) < 1e-6, `${limit.seconds}`);
});

test("an agent's expected wait before registering grows with the agents registering in its wave, never past the backoff factor", () => {
  assert.equal(windowSeconds({ component: "mesos-slave" }, REALISTIC), 1 + 2 + 0.5);
  assert.equal(windowSeconds({ component: "mesos-slave" }, REALISTIC, 3), 1 + 2 + 0.75);
  const wide = windowSeconds({ component: "mesos-slave" }, REALISTIC, 1000);
  assert.ok(wide > 1 + 2 + 0.99 && wide < 1 + 2 + 1, `${wide}`);
});

test("a Docker hop pulls no image but fetches its package into apt's cache first; its window is the unpack, the daemon's start and its slowest container's return", () => {
  const fetch = packageFetchSeconds(packageSizeKb("1.9.1"), REALISTIC);
  assert.ok(fetch > 0.5 && fetch < 1, `${fetch}`);
  const agent = physicalLimit(
    [{ host: "a1", component: "docker", from: "1.8.3", to: "1.9.1", run: 3, wave: 1, restarts: ["mesos-slave"] }],
    REALISTIC,
  );
  assert.equal(agent.pullSeconds, fetch);
  assert.ok(Math.abs(agent.seconds - (fetch + (20 - fetch) + 3 + 1 + 2 + 0.5)) < 1e-9, `${agent.seconds}`);
  const master = physicalLimit(
    [
      {
        host: "m1",
        component: "docker",
        from: "1.8.3",
        to: "1.9.1",
        run: 3,
        wave: 1,
        restarts: ["mesos-master", "marathon"],
      },
    ],
    REALISTIC,
  );
  assert.ok(Math.abs(master.seconds - (20 + 3 + 1 + 25)) < 1e-9, `${master.seconds}`);
});

test("a Docker settings change restarts the daemon without installing; where tasks died, the window lasts at least their relaunch and first health check", () => {
  const settings = { component: "docker" as const, from: "1.8.3", to: "1.8.3", restarts: ["mesos-slave" as const] };
  assert.equal(windowSeconds(settings, REALISTIC), 3 + 1 + 2 + 0.5);
  // Marathon's next cycle (1 s), the container's start (1 s), the first check one interval (60 s) after the start.
  assert.equal(windowSeconds({ ...settings, killedCheckSeconds: 60 }, REALISTIC), 1 + 1 + 60);
  assert.equal(windowSeconds({ ...settings, killedCheckSeconds: 0 }, REALISTIC), 3 + 1 + 2 + 0.5);
});

test("the leading master's window lasts at least ZooKeeper's session timeout: no other master leads before its session expires", () => {
  assert.equal(windowSeconds({ component: "mesos-master" }, REALISTIC), 1 + 2);
  assert.equal(windowSeconds({ component: "mesos-master", leaderRestarted: true }, REALISTIC), 10);
  const settings = { component: "docker" as const, from: "1.8.3", to: "1.8.3", restarts: ["mesos-master" as const] };
  assert.equal(windowSeconds(settings, REALISTIC), 3 + 1 + 2);
  assert.equal(windowSeconds({ ...settings, leaderRestarted: true }, REALISTIC), 10);
});

test("each run's limit is its own: its pulls, then its windows", () => {
  const steps = [
    agentHop("a1", 1),
    agentHop("a2", 1),
    { host: "a1", component: "docker" as const, from: "1.7.1", to: "1.8.3", run: 3, wave: 1, restarts: [] },
  ];
  const byRun = limitsByRun(steps, REALISTIC);
  assert.deepEqual(
    byRun.map((r) => [r.run, r.limit.windows.length]),
    [
      [2, 1],
      [3, 1],
    ],
  );
  assert.deepEqual(byRun[0]?.limit, physicalLimit(steps.slice(0, 2), REALISTIC));
});

test("a settings change (same version) restarts in its window but pulls nothing", () => {
  const limit = physicalLimit([{ ...agentHop("a1", 1), from: "0.24.2" }], REALISTIC);
  assert.equal(limit.pullSeconds, 0);
  assert.equal(limit.seconds, windowSeconds({ component: "mesos-slave" }, REALISTIC));
});

test("a wave's window is as long as its slowest step", () => {
  const limit = physicalLimit(
    [agentHop("a1", 1), { host: "m1", component: "marathon", to: "0.10.0", run: 2, wave: 1 }],
    REALISTIC,
  );
  assert.deepEqual(
    limit.windows.map((w) => w.seconds),
    [1 + 25],
  );
});

const entry = (host: string, kind: LedgerEntry["kind"], ms: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  host,
  kind,
  time: new Date(ms).toISOString(),
  seq: 0,
  ...extra,
});

test("counts accepted SSH logins per host within each pulumi up, and the most any host saw", () => {
  const ledger = [
    entry("a1", "ssh.auth", 1000, { accepted: true }),
    entry("a1", "ssh.auth", 1500, { accepted: true }),
    entry("a1", "ssh.auth", 1600, { accepted: false }),
    entry("a2", "ssh.auth", 1200, { accepted: true }),
    entry("a1", "ssh.auth", 5000, { accepted: true }),
  ];
  assert.deepEqual(loginSummary(ledger, [{ start: 900, end: 2000 }], ["a1", "a2"]), { max: 2, mean: 1.5 });
});

test("counts each step's remote commands on its own host, those from when its gate began to look as the gate's", () => {
  const ledger = [
    entry("a1", "ssh.exec", 1000),
    entry("a1", "ssh.exec", 1100),
    // a1's gate looks from 1500: twice at the engine, once through SSH at the agent
    entry("a1", "ssh.exec", 1600),
    entry("a1", "ssh.forward", 1650),
    entry("a1", "ssh.exec", 1700),
    // a2's step does not say when its gate began: all its commands are its own
    entry("a2", "ssh.exec", 1000),
    entry("a2", "ssh.exec", 1800),
    // after a1's step
    entry("a1", "ssh.exec", 9000),
  ];
  assert.deepEqual(
    commandsPerStep(ledger, [
      { host: "a1", start: 900, end: 2000, gateFrom: 1500 },
      { host: "a2", start: 900, end: 2000 },
    ]),
    { commands: 2, gateCommands: 1, gateRequests: 0.5 },
  );
});

test("finds when each step's host received its first command, ignoring the gates' requests and what came before", () => {
  const ledger = [
    entry("a1", "ssh.exec", 500),
    entry("a1", "ssh.forward", 950),
    entry("a1", "ssh.exec", 1300),
    entry("a1", "ssh.exec", 1100),
    entry("a2", "ssh.exec", 2000),
  ];
  assert.deepEqual(
    firstCommandTimes(ledger, [
      { host: "a1", start: 900 },
      { host: "a2", start: 900 },
      { host: "a3", start: 900 },
    ]),
    [1100, 2000, undefined],
  );
});

test("names the tasks a run started on hosts before their step stopped anything there, and only those", () => {
  const launch = (ms: number, app: string, agentHost: string) =>
    entry("m1", "task.launch", ms, { appId: app, agentHost });
  const ledger = [
    launch(500, "/redis", "a3"), // before the run
    launch(1050, "/alert", "a1"), // a1's step began at 1000, its engine stops at 1100: stopped again
    launch(1500, "/redis", "a1"), // after a1's engine stopped at 1100: already restarted
    launch(1600, "/rabbitmq", "a3"), // a3's step begins at 3000
    launch(1700, "/harbor", "z9"), // no step there
    launch(1800, "/drone", "10.0.0.3"), // a3 by its address
    launch(1200, "/influxdb", "a1"), // after a1's engine stopped
    launch(4500, "/redis", "a3"), // after a3's step began (no stop recorded: its start counts)
    entry("a1", "engine.stop", 1100),
    entry("a1", "engine.stop", 900), // before its step
  ];
  const steps = [
    { host: "a1", start: 1000, end: 2000 },
    { host: "a3", start: 3000, end: 4000 },
  ];
  const hostOf = (agentHost: string) => (agentHost === "10.0.0.3" ? "a3" : agentHost);
  assert.deepEqual(tasksStartedAhead(ledger, { start: 1000, end: 5000 }, steps, hostOf), [
    "/alert on a1",
    "/rabbitmq on a3",
    "/drone on a3",
  ]);
});

test("takes --agents, --batch, --time-scale, --hops and --naive, and refuses anything else with the usage", () => {
  assert.deepEqual(parseRolloutArgs([]), {
    agents: 100,
    timeScale: 0.2,
    batch: 10,
    network: "127.0.150",
    scaleHosts: 1000,
    hops: "both",
    naive: true,
  });
  assert.equal(parseRolloutArgs(["--naive", "no"]).naive, false);
  assert.throws(() => parseRolloutArgs(["--naive", "maybe"]), /--naive maybe: not understood/);
  assert.equal(parseRolloutArgs(["--hops", "mesos"]).hops, "mesos");
  assert.throws(() => parseRolloutArgs(["--hops", "docker"]), /--hops docker: not understood/);
  assert.equal(parseRolloutArgs(["--thousand", "0"]).scaleHosts, 0);
  assert.equal(parseRolloutArgs(["--thousand", "1"]).scaleHosts, 1000);
  assert.equal(parseRolloutArgs(["--thousand", "200"]).scaleHosts, 200);
  assert.equal(parseRolloutArgs(["--hops", "none"]).hops, "none");
  assert.equal(parseRolloutArgs(["--agents", "20"]).agents, 20);
  assert.throws(() => parseRolloutArgs(["--agents"]), /--agents : not understood.*\nusage: npm run bench -- rollout/s);
  assert.throws(() => parseRolloutArgs(["--agents", "2"]), /--agents 2: not understood/);
});

test("an agent is started again with executor containers: its own image as --docker_mesos_image, after removing the old one", () => {
  const run =
    "docker run -d --name mesos-slave --net host -e MESOS_MASTER=zk://1/mesos mesosphere/mesos-slave:0.26.1-0.2.190.ubuntu1404";
  assert.equal(
    executorContainersCommand(run),
    "docker rm -f mesos-slave >/dev/null && docker run -d --name mesos-slave --net host -e MESOS_MASTER=zk://1/mesos -e MESOS_DOCKER_MESOS_IMAGE=mesosphere/mesos-slave:0.26.1-0.2.190.ubuntu1404 mesosphere/mesos-slave:0.26.1-0.2.190.ubuntu1404",
  );
  assert.throws(() => executorContainersCommand("docker run -d redis"), /no mesos-slave image or container name/);
});

test("the benchmark's gates look at the simulated world's pace: the default interval times the time scale, never below the setting's least", () => {
  assert.equal(gateIntervalAtScale(1), 0.5);
  assert.equal(gateIntervalAtScale(0.2), 0.1);
  assert.equal(gateIntervalAtScale(0.02), 0.05, "0.01 s would be below rollout.gateIntervalSeconds' least, 0.05 s");
});
