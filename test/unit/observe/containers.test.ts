import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunningContainer } from "../../../observe/containers";
import { containersAnAgentWouldStop, pickComponentContainer, runsComponent } from "../../../observe/containers";

const container = (name: string, image: string, overrides: Partial<RunningContainer> = {}): RunningContainer => ({
  id: `${name}-id`,
  name,
  image,
  imageId: "sha",
  running: true,
  path: "",
  args: [],
  env: {},
  volumes: [],
  hostNetwork: true,
  privileged: false,
  restart: "always",
  pidHost: false,
  ...overrides,
});
const TASK = "mesos-0d1c7d2e-4c1b-4f7e-9a55-5d3e6c8f9b10";
const TASK_023 = "mesos-20151201-010203-1-S0.0d1c7d2e-4c1b-4f7e-9a55-5d3e6c8f9b10";

describe("finding a component's container by what it runs", () => {
  it("finds the agent whatever the operator named it, by its image repository", () => {
    const host = [
      container("redis", "redis:3.0.7"),
      container("slave", "mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404", { path: "mesos-slave" }),
    ];
    assert.equal(pickComponentContainer(host, { component: "mesos-slave" }).container?.name, "slave");
  });

  it("finds a component by its command when it runs from another image (one mesosphere/mesos image for both)", () => {
    const host = [
      container("master", "mesosphere/mesos:0.28.2", { path: "mesos-master" }),
      container("agent", "mesosphere/mesos:0.28.2", { path: "/usr/sbin/mesos-slave" }),
    ];
    assert.equal(pickComponentContainer(host, { component: "mesos-slave" }).container?.name, "agent");
    assert.equal(pickComponentContainer(host, { component: "mesos-master" }).container?.name, "master");
  });

  it("uses the stack's repository (a private mirror) and ignores executor containers run from the agent's image", () => {
    const mirror = container("mesos_slave", "harbor.local/mesosphere/mesos-slave:0.28.2-2.0.27.ubuntu1404");
    const executor = container(`${TASK_023}.executor`, "harbor.local/mesosphere/mesos-slave:0.28.2-2.0.27.ubuntu1404");
    assert.equal(
      runsComponent(executor, { component: "mesos-slave", repository: "harbor.local/mesosphere/mesos-slave" }),
      false,
    );
    assert.equal(
      pickComponentContainer([executor, mirror], {
        component: "mesos-slave",
        repository: "harbor.local/mesosphere/mesos-slave",
      }).container?.name,
      "mesos_slave",
    );
  });

  it("prefers the running container and refuses two running ones, naming both", () => {
    const old = container("old_slave", "mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404", { running: false });
    const now = container("mesos_slave", "mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404");
    assert.equal(pickComponentContainer([old, now], { component: "mesos-slave" }).container?.name, "mesos_slave");
    assert.equal(
      pickComponentContainer([old, now, container("second", "mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404")], {
        component: "mesos-slave",
      }).problem,
      "2 running containers run mesos-slave (mesos_slave: mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404, second: mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404); stop all but one on the host",
    );
    assert.equal(pickComponentContainer([container("redis", "redis")], { component: "marathon" }).container, undefined);
  });
});

describe("containers a starting agent would stop", () => {
  it("are the running mesos-… containers that are not Mesos' own task or executor containers", () => {
    const host = [
      container("mesos-master", "mesosphere/mesos-master:0.22.1-1.0.ubuntu1404"),
      container("mesos-dns", "mesosphere/mesos-dns:0.5.2"),
      container("mesos-old", "busybox", { running: false }),
      container("mesos_slave", "mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404"),
      container(TASK, "redis:3.0.7"),
      container(TASK_023, "redis:3.0.7"),
      container(`${TASK_023}.executor`, "mesosphere/mesos-slave:0.28.2-2.0.27.ubuntu1404"),
    ];
    assert.deepEqual(
      containersAnAgentWouldStop(host).map((c) => c.name),
      ["mesos-master", "mesos-dns"],
    );
  });

  it("leave out 1.4+ executor containers, named mesos-<ContainerID>.executor", () => {
    assert.deepEqual(
      containersAnAgentWouldStop([container(`${TASK}.executor`, "mesosphere/mesos-slave:1.4.3")]).map((c) => c.name),
      [],
    );
    assert.equal(
      runsComponent(container(`${TASK}.executor`, "mesosphere/mesos-slave:1.4.3"), { component: "mesos-slave" }),
      false,
    );
  });

  it("leave out the agent container the step itself replaces", () => {
    assert.deepEqual(
      containersAnAgentWouldStop(
        [container("mesos-slave", "mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404")],
        "mesos-slave",
      ),
      [],
    );
  });
});
