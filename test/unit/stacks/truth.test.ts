import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { completedOfRunning, hostVersionsOfResources } from "../../../stacks/truth";

describe("what the stack records as running", () => {
  it("reads each host's versions from its resources' recorded runningVersion, ignoring other resources", () => {
    assert.deepEqual(
      hostVersionsOfResources({
        "urn:pulumi:prod::mesos-upgrade::pulumi:pulumi:Stack::mesos-upgrade-prod": {
          outputs: { completed: { mesos: "9.9.9" } },
        },
        "urn:pulumi:prod::mesos-upgrade::mesos-upgrade:cluster:MesosCluster$mesos-upgrade:cluster:Host$pulumi-nodejs:dynamic/docker:DockerEngine::a1-docker":
          { outputs: { connection: { name: "a1" }, version: "1.11.2", runningVersion: "1.10.3" } },
        "urn:pulumi:prod::mesos-upgrade::mesos-upgrade:cluster:MesosCluster$mesos-upgrade:cluster:Host$pulumi-nodejs:dynamic/mesos:MesosSlave::a1-mesos-slave":
          { outputs: { connection: { name: "a1" }, runningVersion: "0.26.2" } },
        "urn:pulumi:prod::mesos-upgrade::mesos-upgrade:cluster:MesosCluster$mesos-upgrade:cluster:Host$pulumi-nodejs:dynamic/marathon:MarathonInstance::m1-marathon":
          { outputs: { connection: { name: "m1" }, runningVersion: "1.1.7" } },
      }),
      { a1: { docker: "1.10.3", "mesos-slave": "0.26.2" }, m1: { marathon: "1.1.7" } },
    );
  });

  it("completes a layer at its lowest running version, and not at all where a host runs none", () => {
    assert.deepEqual(
      completedOfRunning({
        a1: { docker: "1.11.2", "mesos-slave": "0.26.2" },
        m1: { docker: "1.10.3", "mesos-master": "0.27.3", marathon: "none" },
      }),
      { docker: "1.10.3", mesos: "0.26.2" },
    );
  });
});
