import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { engineLooks, isSingleHost, judgeEngineLook, type EngineGateScope } from "../../../providers/engineGate";
import type { MasterState } from "../../../observe/services";

const DEV: EngineGateScope = {
  host: { name: "dev1", address: "10.0.0.31" },
  version: "1.11.2",
  runsAgent: true,
  masters: ["10.0.0.31"],
  marathons: ["10.0.0.31"],
  zookeepers: ["10.0.0.31"],
  keep: ["mesos_master", "mesos_slave", "marathon"],
};
const AGENT: EngineGateScope = { ...DEV, host: { name: "a1", address: "10.0.0.14" }, keep: ["mesos_slave"] };
const leader = (agents: string[]): MasterState => ({
  version: "0.28.2",
  pid: "master@10.0.0.31:5050",
  leader: "master@10.0.0.31:5050",
  slaves: agents.map((a, i) => ({ id: `S${i}`, hostname: a, pid: `slave(1)@${a}:5051` })),
  frameworks: [],
});
const app = (id: string, instances: number, healthy: number) => ({
  id,
  instances,
  tasksRunning: healthy,
  tasksHealthy: healthy,
  healthChecks: [{}],
});
const containers = ["marathon", "mesos_master", "mesos_slave"];

describe("the gate after a Docker engine change", () => {
  it("knows a host that is master and agent at once as the single host", () => {
    assert.equal(isSingleHost(DEV), true);
    assert.equal(isSingleHost(AGENT), false);
    assert.equal(isSingleHost({ ...DEV, runsAgent: false }), false);
  });

  it("on the single host, waits for the leader, the agent's registration, Marathon and every app, single-instance ones too", () => {
    const all = {
      version: "1.11.2",
      containers,
      zookeeper: [{ address: "10.0.0.31", state: { serving: true as const, mode: "standalone" } }],
      leader: leader(["10.0.0.31"]),
      marathonAnswers: true,
      apps: [app("/redis", 1, 1), app("/drone", 1, 1)],
    };
    assert.deepEqual(judgeEngineLook(DEV, all), {
      passed: true,
      observed:
        "engine 1.11.2, containers missing: none, zookeeper standalone, leader 10.0.0.31:5050, agent registered, marathon answering, apps down: none",
    });
    assert.deepEqual(judgeEngineLook(DEV, { ...all, apps: [app("/redis", 1, 1), app("/drone", 1, 0)] }), {
      passed: false,
      observed:
        "engine 1.11.2, containers missing: none, zookeeper standalone, leader 10.0.0.31:5050, agent registered, marathon answering, apps down: /drone 0/1",
    });
    assert.equal(judgeEngineLook(DEV, { ...all, leader: leader([]) }).passed, false);
    const { leader: _none, ...noLeader } = all;
    assert.deepEqual(judgeEngineLook(DEV, noLeader), {
      passed: false,
      observed:
        "engine 1.11.2, containers missing: none, zookeeper standalone, no leading master, agent not registered, marathon answering, apps down: none",
    });
    assert.equal(judgeEngineLook(DEV, { ...all, marathonAnswers: false }).passed, false);
  });

  it("on the single host, waits for ZooKeeper's own answer: a server not serving, or not answered, holds the gate", () => {
    const all = {
      version: "1.11.2",
      containers,
      leader: leader(["10.0.0.31"]),
      marathonAnswers: true,
      apps: [app("/redis", 1, 1)],
    };
    const notServing = judgeEngineLook(DEV, {
      ...all,
      zookeeper: [
        { address: "10.0.0.31", state: { serving: false as const, why: "not serving requests (no quorum)" } },
      ],
    });
    assert.deepEqual(notServing, {
      passed: false,
      observed:
        "engine 1.11.2, containers missing: none, zookeeper not serving requests (no quorum), leader 10.0.0.31:5050, agent registered, marathon answering, apps down: none",
    });
    assert.equal(judgeEngineLook(DEV, all).passed, false, "a look without ZooKeeper's answer does not pass");
    const three = { ...DEV, zookeepers: ["10.0.0.1", "10.0.0.2", "10.0.0.3"] };
    const two = [
      { address: "10.0.0.1", state: { serving: true as const, mode: "leader" } },
      { address: "10.0.0.2", state: { serving: true as const, mode: "follower" } },
    ];
    assert.equal(judgeEngineLook(three, { ...all, zookeeper: two }).passed, false, "every server named must answer");
    assert.match(
      judgeEngineLook(three, {
        ...all,
        zookeeper: [...two, { address: "10.0.0.3", state: { serving: true as const, mode: "follower" } }],
      }).observed,
      /zookeeper 10\.0\.0\.1 leader, 10\.0\.0\.2 follower, 10\.0\.0\.3 follower/,
    );
  });

  it("on an agent among others, waits only for multi-instance apps (Marathon moves single ones elsewhere)", () => {
    const look = {
      version: "1.11.2",
      containers: ["mesos_slave"],
      apps: [app("/redis", 3, 3), app("/drone", 1, 0)],
      own: { agentRegistered: true },
    };
    assert.deepEqual(judgeEngineLook(AGENT, look), {
      passed: true,
      observed: "engine 1.11.2, containers missing: none, apps degraded: none, agent registered",
    });
  });

  it("on an agent among others, waits until the agent says it registered again: a running container is not enough", () => {
    const look = { version: "1.11.2", containers: ["mesos_slave"], apps: [app("/redis", 3, 3)] };
    assert.deepEqual(judgeEngineLook(AGENT, { ...look, own: { agentRegistered: false } }), {
      passed: false,
      observed: "engine 1.11.2, containers missing: none, apps degraded: none, agent not registered",
    });
    assert.equal(judgeEngineLook(AGENT, look).passed, false, "a look that did not ask the agent does not pass");
  });

  it("on a master host among others, waits for its master to answer with one leader elected and its Marathon to answer through a leader", () => {
    const m2: EngineGateScope = {
      host: { name: "m2", address: "10.0.0.32" },
      version: "1.11.2",
      runsAgent: false,
      masters: ["10.0.0.31", "10.0.0.32", "10.0.0.33"],
      marathons: ["10.0.0.31", "10.0.0.32", "10.0.0.33"],
      zookeepers: ["10.0.0.31", "10.0.0.32", "10.0.0.33"],
      keep: ["mesos_master", "marathon"],
    };
    const back = {
      masterAnswers: true,
      electedMasters: ["10.0.0.31"],
      marathonPing: "pong",
      marathonLeader: "10.0.0.31:8080",
    };
    const look = { version: "1.11.2", containers: ["mesos_master", "marathon"] };
    assert.equal(isSingleHost(m2), false);
    assert.deepEqual(judgeEngineLook(m2, { ...look, own: back }), {
      passed: true,
      observed:
        "engine 1.11.2, containers missing: none, master answering, leader 10.0.0.31, marathon /ping pong, leader 10.0.0.31:8080",
    });
    assert.deepEqual(judgeEngineLook(m2, { ...look, own: { ...back, masterAnswers: false } }), {
      passed: false,
      observed:
        "engine 1.11.2, containers missing: none, master not answering, leader 10.0.0.31, marathon /ping pong, leader 10.0.0.31:8080",
    });
    assert.equal(
      judgeEngineLook(m2, { ...look, own: { ...back, electedMasters: [] } }).passed,
      false,
      "no leader elected yet",
    );
    assert.equal(
      judgeEngineLook(m2, { ...look, own: { ...back, electedMasters: ["10.0.0.31", "10.0.0.33"] } }).passed,
      false,
      "two masters saying they lead",
    );
    const { marathonLeader: _none, ...noMarathonLeader } = back;
    assert.deepEqual(judgeEngineLook(m2, { ...look, own: { ...noMarathonLeader, marathonPing: "HTTP 503" } }), {
      passed: false,
      observed:
        "engine 1.11.2, containers missing: none, master answering, leader 10.0.0.31, marathon /ping HTTP 503, leader none",
    });
  });

  it("fails while the engine does not answer at the new version or a container is not back", () => {
    assert.deepEqual(judgeEngineLook(AGENT, { version: "1.7.1", containers: [] }), {
      passed: false,
      observed: "engine 1.7.1",
    });
    assert.equal(judgeEngineLook(AGENT, { version: "1.11.2", containers: [], apps: [] }).passed, false);
  });
});

describe("the engine gate's looks", () => {
  /** Reads that answer from a script of looks, counting the remote commands (version, containers) they stand for. */
  const scripted = (looks: ReadonlyArray<{ version: string; containers: string[]; registered: boolean }>) => {
    let at = 0;
    const counts = { version: 0, containers: 0, rest: 0 };
    const now = () => looks[Math.min(at, looks.length - 1)] as (typeof looks)[number];
    return {
      counts,
      next: () => void at++,
      reads: {
        version: async () => (counts.version++, now().version),
        containers: async () => (counts.containers++, now().containers),
        rest: async () => (counts.rest++, { apps: [app("/redis", 3, 3)], own: { agentRegistered: now().registered } }),
      },
    };
  };
  const back = { version: "1.11.2", containers: ["mesos_slave"], registered: false };

  it("reads the engine and its containers again only when what else it waits for would let the look pass", async () => {
    const script = scripted([back, back, back, { ...back, registered: true }]);
    const look = engineLooks(AGENT, script.reads);
    const observed: string[] = [];
    for (let i = 0; i < 4; i++, script.next()) observed.push((await look()).observed);
    assert.deepEqual(observed.slice(0, 3), Array(3).fill(observed[0]));
    assert.equal(observed[0], "engine 1.11.2, containers missing: none, apps degraded: none, agent not registered");
    assert.equal(observed[3], "engine 1.11.2, containers missing: none, apps degraded: none, agent registered");
    // the first look reads all; the next two ask only the agent and Marathon; the fourth would pass: all again
    assert.deepEqual(script.counts, { version: 2, containers: 2, rest: 4 });
  });

  it("does not pass on what an earlier look read: a container gone by the passing look fails it and starts over", async () => {
    const gone = { version: "1.11.2", containers: [], registered: true };
    const script = scripted([back, gone, { ...back, registered: true }]);
    const look = engineLooks(AGENT, script.reads);
    assert.equal((await look()).passed, false);
    script.next();
    assert.deepEqual(await look(), {
      passed: false,
      observed: "engine 1.11.2, containers missing: mesos_slave, apps degraded: none, agent registered",
    });
    script.next();
    assert.equal((await look()).passed, true);
    assert.deepEqual(script.counts, { version: 3, containers: 3, rest: 3 });
  });

  it("keeps reading the engine while it does not answer at the new version, asking nothing else", async () => {
    const script = scripted([{ version: "1.7.1", containers: [], registered: false }, back]);
    const look = engineLooks(AGENT, script.reads);
    assert.deepEqual(await look(), { passed: false, observed: "engine 1.7.1" });
    assert.deepEqual(script.counts, { version: 1, containers: 0, rest: 0 });
  });
});
