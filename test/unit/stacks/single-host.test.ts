import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PlanStep } from "../../../planner";
import { hasNoOtherHost, singleHostDowntime, type ForecastHost } from "../../../stacks/singleHost";

const DEV1: ForecastHost = { name: "dev1", address: "10.0.0.31", roles: ["mesos-master", "mesos-slave", "marathon"] };
const step = (component: PlanStep["component"], from: string, to: string, killsTasks?: string): PlanStep =>
  ({ seq: 1, wave: 1, host: "dev1", component, from, to, ...(killsTasks ? { killsTasks } : {}) }) as PlanStep;
const APPS = [
  { id: "/redis", instances: 1, tasks: [{ host: "10.0.0.31" }] },
  { id: "/drone", instances: 1, tasks: [{ host: "10.0.0.31" }] },
];

describe("the downtime forecast on a cluster with no other host", () => {
  it("knows a cluster with one agent host", () => {
    assert.equal(hasNoOtherHost([DEV1]), true);
    assert.equal(hasNoOtherHost([DEV1, { name: "a2", address: "10.0.0.32", roles: ["mesos-slave"] }]), false);
  });

  it("names each API and each app a Docker restart on the only host stops, and says there is no other host", () => {
    assert.deepEqual(
      singleHostDowntime([step("docker", "1.7.1", "1.11.2", "Docker before 1.12 stops every container")], [DEV1], APPS),
      [
        "the Mesos API (dev1:5050) is down while Docker 1.7.1 → 1.11.2 restarts on dev1: it is the only master, no leader until it is back and re-elected",
        "Marathon's API (dev1:8080) is down while Docker 1.7.1 → 1.11.2 restarts on dev1: it is the only Marathon, no deployment or scaling until it is back",
        "/redis (1 instance) is down while Docker 1.7.1 → 1.11.2 restarts on dev1 (Docker before 1.12 stops every container): there is no other host, it runs again on dev1 once the agent and Marathon are back",
        "/drone (1 instance) is down while Docker 1.7.1 → 1.11.2 restarts on dev1 (Docker before 1.12 stops every container): there is no other host, it runs again on dev1 once the agent and Marathon are back",
      ],
    );
  });

  it("names only the API a master or Marathon restart stops: their tasks keep running", () => {
    assert.deepEqual(singleHostDowntime([step("mesos-master", "0.22.1", "0.23.1")], [DEV1], APPS), [
      "the Mesos API (dev1:5050) is down while the Mesos master 0.22.1 → 0.23.1 restarts on dev1: it is the only master, no leader until it is back and re-elected",
    ]);
    assert.deepEqual(singleHostDowntime([step("marathon", "0.9.1", "0.10.1")], [DEV1], APPS), [
      "Marathon's API (dev1:8080) is down while Marathon 0.9.1 → 0.10.1 restarts on dev1: it is the only Marathon, no deployment or scaling until it is back",
    ]);
  });

  it("says which apps go down is unknown when Marathon does not answer", () => {
    assert.deepEqual(
      singleHostDowntime(
        [step("mesos-slave", "0.22.1", "0.23.1", "a 0.22 agent's executors die with it")],
        [DEV1],
        "unanswered",
      ),
      [
        "every task on dev1 stops while the Mesos agent 0.22.1 → 0.23.1 restarts on dev1 (a 0.22 agent's executors die with it); Marathon did not answer, so which apps go down is unknown; there is no other host",
      ],
    );
  });
});
