// The rollout benchmark's pure parts: the physical limit, the ledger's counts, the flags.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRolloutArgs } from "../../../bench/rollout";
import { commandsPerStep, loginSummary } from "../../../bench/rollout-ledger";
import { physicalLimit, windowSeconds, type HopStep } from "../../../bench/rollout-limit";
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
  assert.ok(Math.abs(limit.seconds - (81.6 + 2 * windowSeconds({ component: "mesos-slave" }, REALISTIC))) < 1e-6);
});

test("a Docker hop pulls no image; its window is the package install, the daemon's start and its slowest container's return", () => {
  const agent = physicalLimit(
    [{ host: "a1", component: "docker", to: "1.9.1", run: 3, wave: 1, restarts: ["mesos-slave"] }],
    REALISTIC,
  );
  assert.equal(agent.pullSeconds, 0);
  assert.equal(agent.seconds, 20 + 3 + 1 + 2 + 1);
  const master = physicalLimit(
    [{ host: "m1", component: "docker", to: "1.9.1", run: 3, wave: 1, restarts: ["mesos-master", "marathon"] }],
    REALISTIC,
  );
  assert.equal(master.seconds, 20 + 3 + 1 + 25);
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

test("counts each step's remote commands on its own host apart from the gate's requests through SSH", () => {
  const ledger = [
    entry("a1", "ssh.exec", 1000),
    entry("a1", "ssh.exec", 1100),
    entry("a1", "ssh.forward", 1200),
    entry("a2", "ssh.exec", 1100),
    entry("a1", "ssh.exec", 9000),
  ];
  assert.deepEqual(commandsPerStep(ledger, [{ host: "a1", start: 900, end: 2000 }]), { commands: 2, gateRequests: 1 });
});

test("takes --agents, --batch and --time-scale, and refuses anything else with the usage", () => {
  assert.deepEqual(parseRolloutArgs([]), {
    agents: 100,
    timeScale: 0.2,
    batch: 10,
    network: "127.0.150",
    thousand: true,
  });
  assert.equal(parseRolloutArgs(["--thousand", "0"]).thousand, false);
  assert.equal(parseRolloutArgs(["--agents", "20"]).agents, 20);
  assert.throws(() => parseRolloutArgs(["--agents"]), /--agents : not understood.*\nusage: npm run bench -- rollout/s);
  assert.throws(() => parseRolloutArgs(["--agents", "2"]), /--agents 2: not understood/);
});
