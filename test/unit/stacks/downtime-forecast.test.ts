import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PlanStep } from "../../../planner";
import { downAt, downtimeForecast } from "../../../stacks/downtime-forecast";
import type { ForecastHost } from "../../../stacks/singleHost";

const DEV1: ForecastHost = { name: "dev1", address: "10.0.0.31", roles: ["mesos-master", "mesos-slave", "marathon"] };
const M1: ForecastHost = { name: "m1", address: "10.0.0.1", roles: ["mesos-master", "marathon"] };
const A1: ForecastHost = { name: "a1", address: "10.0.0.2", roles: ["mesos-slave"] };
const A2: ForecastHost = { name: "a2", address: "10.0.0.3", roles: ["mesos-slave"] };
const step = (
  host: string,
  component: PlanStep["component"],
  from: string,
  to: string,
  killsTasks?: string,
): PlanStep => ({ seq: 1, wave: 1, host, component, from, to, ...(killsTasks ? { killsTasks } : {}) }) as PlanStep;
const DOCKER_A1 = step("a1", "docker", "1.7.1", "1.11.2", "docker");
const DOCKER_DEV1 = step("dev1", "docker", "1.7.1", "1.11.2", "Docker before 1.12 stops every container");

describe("the downtime forecast (converge and review)", () => {
  it("names each single-instance app on a host whose restart kills its tasks, until Marathon starts it elsewhere", () => {
    assert.deepEqual(
      downtimeForecast(
        [DOCKER_A1],
        [M1, A1, A2],
        [
          { id: "/harbor", instances: 1, tasks: [{ host: "10.0.0.2" }] },
          { id: "/redis", instances: 3, tasks: [{ host: "10.0.0.2" }] },
          { id: "/drone", instances: 1, tasks: [{ host: M1.address }] },
        ],
      ),
      ["/harbor (single instance) is down while Docker restarts on a1, until Marathon starts it elsewhere"],
    );
  });

  it("says the restarts stop tasks when Marathon did not answer", () => {
    assert.deepEqual(downtimeForecast([DOCKER_A1], [M1, A1, A2], "unanswered"), [
      "restarts of Docker on a1 stop their tasks; Marathon did not answer, so which single-instance apps go down is unknown",
    ]);
  });

  it("says, in the review (no host asked), that single-instance apps move elsewhere when there are other agents", () => {
    assert.deepEqual(downtimeForecast([DOCKER_A1], [M1, A1, A2], "unasked"), [
      "a1 docker 1.7.1 → 1.11.2 stops the host's tasks (docker): single-instance apps there are down until Marathon starts them elsewhere",
    ]);
  });

  it("writes the same restart on several hosts once, naming them, in the review and when Marathon did not answer", () => {
    const A3: ForecastHost = { name: "a3", address: "10.0.0.5", roles: ["mesos-slave"] };
    const steps = [
      DOCKER_A1,
      step("a2", "docker", "1.7.1", "1.11.2", "docker"),
      step("a3", "docker", "1.7.1", "1.11.2", "docker"),
      step("a3", "mesos-slave", "0.22.1", "0.22.2", "executors die"),
    ];
    assert.deepEqual(downtimeForecast(steps, [M1, A1, A2, A3], "unasked"), [
      "docker 1.7.1 → 1.11.2 on 3 hosts (a1..a3) stops each host's tasks (docker): single-instance apps there are down until Marathon starts them elsewhere",
      "a3 mesos-slave 0.22.1 → 0.22.2 stops the host's tasks (executors die): single-instance apps there are down until Marathon starts them elsewhere",
    ]);
    assert.deepEqual(downtimeForecast(steps, [M1, A1, A2, A3], "unanswered"), [
      "restarts of Docker on a1..a3, the Mesos agent on a3 stop their tasks; Marathon did not answer, so which single-instance apps go down is unknown",
    ]);
  });

  it("is empty on a cluster with other hosts when nothing kills tasks and another master and Marathon answer", () => {
    const M2: ForecastHost = { name: "m2", address: "10.0.0.4", roles: ["mesos-master", "marathon"] };
    assert.deepEqual(
      downtimeForecast(
        [step("m1", "mesos-master", "0.22.1", "0.23.1"), step("m1", "marathon", "0.9.1", "0.10.1")],
        [M1, M2, A1, A2],
        "unanswered",
      ),
      [],
    );
  });

  it("names the only master's and the only Marathon's API down at the steps that stop them, with other agent hosts", () => {
    assert.deepEqual(
      downtimeForecast(
        [
          step("m1", "docker", "1.7.1", "1.11.2"),
          step("m1", "mesos-master", "0.22.1", "0.23.1"),
          step("m1", "marathon", "0.9.1", "0.10.1"),
        ],
        [M1, A1, A2],
        "unanswered",
      ),
      [
        "the Mesos API (m1:5050) is down while Docker 1.7.1 → 1.11.2 restarts on m1: it is the only master, no leader until it is back and re-elected",
        "Marathon's API (m1:8080) is down while Docker 1.7.1 → 1.11.2 restarts on m1: it is the only Marathon, no deployment or scaling until it is back",
        "the Mesos API (m1:5050) is down while the Mesos master 0.22.1 → 0.23.1 restarts on m1: it is the only master, no leader until it is back and re-elected",
        "Marathon's API (m1:8080) is down while Marathon 0.9.1 → 0.10.1 restarts on m1: it is the only Marathon, no deployment or scaling until it is back",
      ],
    );
  });

  it("says in the review that there is no other host and names the APIs and apps a Docker restart on the only host stops", () => {
    const lines = downtimeForecast([DOCKER_DEV1], [DEV1], "unasked");
    assert.deepEqual(lines, [
      "the Mesos API (dev1:5050) is down while Docker 1.7.1 → 1.11.2 restarts on dev1: it is the only master, no leader until it is back and re-elected",
      "Marathon's API (dev1:8080) is down while Docker 1.7.1 → 1.11.2 restarts on dev1: it is the only Marathon, no deployment or scaling until it is back",
      "every app with a task on dev1 is down while Docker 1.7.1 → 1.11.2 restarts on dev1 (Docker before 1.12 stops every container): there is no other host, they run again on dev1 once the agent and Marathon are back",
    ]);
    assert.ok(
      lines.every((line) => !line.includes("elsewhere")),
      "no line promises another host",
    );
  });

  it("names each app by name in the converge on the only host, with no other host", () => {
    assert.deepEqual(
      downtimeForecast([DOCKER_DEV1], [DEV1], [{ id: "/redis", instances: 1, tasks: [{ host: DEV1.address }] }]).slice(
        2,
      ),
      [
        "/redis (1 instance) is down while Docker 1.7.1 → 1.11.2 restarts on dev1 (Docker before 1.12 stops every container): there is no other host, it runs again on dev1 once the agent and Marathon are back",
      ],
    );
  });
});

describe("the downtime forecast of a whole-cluster Marathon restart", () => {
  const M2: ForecastHost = { name: "m2", address: "10.0.0.4", roles: ["mesos-master", "marathon"] };
  const whole = (host: string): PlanStep =>
    ({ ...step(host, "marathon", "1.1.7", "1.3.14"), restart: "whole-cluster" }) as PlanStep;

  it("says Marathon's API is down on every instance until a new instance leads, and that tasks keep running", () => {
    assert.deepEqual(downtimeForecast([whole("m1"), whole("m2")], [M1, M2, A1, A2], []), [
      "Marathon's API (every instance: m1, m2) is down from the first stop until a 1.3.14 instance leads: no deployments, scaling or task restarts meanwhile; running tasks keep running",
    ]);
  });

  it("says Marathon's API is down on every instance when the cluster has several Marathons but one agent host", () => {
    assert.deepEqual(downtimeForecast([whole("m1"), whole("m2")], [M1, M2, A1], []), [
      "Marathon's API (every instance: m1, m2) is down from the first stop until a 1.3.14 instance leads: no deployments, scaling or task restarts meanwhile; running tasks keep running",
    ]);
  });

  it("names the only Marathon's whole-cluster restart once, as the only Marathon's step", () => {
    assert.deepEqual(downtimeForecast([whole("dev1")], [DEV1], []), [
      "Marathon's API (dev1:8080) is down while Marathon 1.1.7 → 1.3.14 restarts on dev1: it is the only Marathon, no deployment or scaling until it is back",
    ]);
    assert.deepEqual(downtimeForecast([whole("m1")], [M1, A1, A2], []), [
      "Marathon's API (m1:8080) is down while Marathon 1.1.7 → 1.3.14 restarts on m1: it is the only Marathon, no deployment or scaling until it is back",
    ]);
  });

  it("reads back each line's name and steps: one per step, every instance's for a whole-cluster restart", () => {
    assert.deepEqual(downAt(downtimeForecast([whole("m1"), whole("m2")], [M1, M2, A1, A2], [])[0] ?? ""), {
      name: "Marathon's API",
      steps: 2,
    });
    assert.deepEqual(
      downAt(
        "/redis (1 instance) is down while Docker 1.7.1 → 1.11.2 restarts on dev1 (Docker before 1.12 stops every container): …",
      ),
      { name: "/redis", steps: 1 },
    );
    assert.deepEqual(
      downAt("the Mesos API (dev1:5050) is down while the Mesos master 0.22.1 → 0.23.1 restarts on dev1: …"),
      {
        name: "the Mesos API",
        steps: 1,
      },
    );
    assert.equal(downAt("restarts of Docker on a1 stop their tasks; Marathon did not answer, so …"), undefined);
  });

  it("names no Marathon outage for a rolling Marathon hop", () => {
    assert.deepEqual(downtimeForecast([step("m1", "marathon", "1.3.14", "1.4.13")], [M1, M2, A1, A2], []), []);
  });
});

describe("the downtime forecast of the leading Marathon's restart, with standbys", () => {
  const LEADER: ForecastHost = { ...M1, leader: ["mesos-master", "marathon"] };
  const M2: ForecastHost = { name: "m2", address: "10.0.0.4", roles: ["mesos-master", "marathon"] };
  const M3: ForecastHost = { name: "m3", address: "10.0.0.5", roles: ["mesos-master", "marathon"] };
  const hosts = [LEADER, M2, M3, A1, A2];

  it("names Marathon's API down at the leader's step alone, until a standby is elected", () => {
    const lines = downtimeForecast(
      [
        step("m2", "marathon", "1.1.1", "1.1.7"),
        step("m3", "marathon", "1.1.1", "1.1.7"),
        step("m1", "marathon", "1.1.1", "1.1.7"),
      ],
      hosts,
      [],
    );
    assert.deepEqual(lines, [
      "Marathon's API (m1:8080, the leader) is down while Marathon 1.1.1 → 1.1.7 restarts on m1, until a standby is elected: the standbys answer 503 while they know no leader; running tasks keep running",
    ]);
    assert.deepEqual(downAt(lines[0] ?? ""), { name: "Marathon's API", steps: 1 });
  });

  it("names it at a Docker restart of the leader's host, which stops its Marathon too", () => {
    assert.deepEqual(downtimeForecast([step("m1", "docker", "1.7.1", "1.11.2")], hosts, []), [
      "Marathon's API (m1:8080, the leader) is down while Docker 1.7.1 → 1.11.2 restarts on m1, until a standby is elected: the standbys answer 503 while they know no leader; running tasks keep running",
    ]);
  });

  it("names nothing for the leading master's own step: Marathon keeps running", () => {
    assert.deepEqual(downtimeForecast([step("m1", "mesos-master", "0.28.2", "1.0.4")], hosts, []), []);
  });

  it("says in the review, which knows no leader, that one of the run's Marathon-stopping steps takes the API down", () => {
    const review = downtimeForecast(
      [
        step("m1", "docker", "1.7.1", "1.11.2"),
        step("m2", "docker", "1.7.1", "1.11.2"),
        step("a1", "docker", "1.7.1", "1.11.2"),
      ],
      [M1, M2, M3, A1, A2],
      "unasked",
    );
    assert.equal(
      review[0],
      "Marathon's API (the leader, one of: m1, m2) is down from the step that stops the leading Marathon until a standby is elected: the standbys answer 503 while they know no leader; which instance leads is known at the run, not here",
    );
    assert.deepEqual(downAt(review[0] ?? ""), { name: "Marathon's API", steps: 1 });
    assert.deepEqual(
      downtimeForecast([step("m1", "mesos-master", "0.28.2", "1.0.4")], [M1, M2, M3, A1, A2], "unasked"),
      [],
      "a master's step stops no Marathon",
    );
  });

  it("names a whole-cluster restart once, not the leader's step again", () => {
    const whole = (host: string): PlanStep =>
      ({ ...step(host, "marathon", "1.1.7", "1.3.14"), restart: "whole-cluster" }) as PlanStep;
    assert.deepEqual(downtimeForecast([whole("m2"), whole("m3"), whole("m1")], hosts, []), [
      "Marathon's API (every instance: m2, m3, m1) is down from the first stop until a 1.3.14 instance leads: no deployments, scaling or task restarts meanwhile; running tasks keep running",
    ]);
  });
});
