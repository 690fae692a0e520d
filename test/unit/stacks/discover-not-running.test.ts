// What discovery tells of a component it found no running container for, and the fix it names.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { RunningContainer } from "../../../observe/containers";
import { notRunning } from "../../../stacks/discover";

const agent = (running: boolean, restarting: boolean): RunningContainer => ({
  id: "c1",
  name: "mesos_slave",
  image: "mesosphere/mesos-slave:0.24.1-0.2.35.ubuntu1404",
  imageId: "sha256:ab",
  running,
  restarting,
  path: "mesos-slave",
  args: [],
  env: {},
  volumes: [],
  hostNetwork: true,
  privileged: true,
  restart: "always",
  pidHost: false,
});

it("asks to start a stopped container, naming it and its image", () => {
  assert.equal(
    notRunning(agent(false, false)),
    "; found mesos_slave (mesosphere/mesos-slave:0.24.1-0.2.35.ubuntu1404, stopped); start it",
  );
});

it("does not ask to start a container its restart policy keeps restarting: it points at its logs", () => {
  assert.equal(
    notRunning(agent(false, true)),
    "; found mesos_slave (mesosphere/mesos-slave:0.24.1-0.2.35.ubuntu1404) exiting and restarted by its restart policy over and over; make it run (see `docker logs mesos_slave`)",
  );
});

it("asks to start the component when no container runs it at all", () => {
  assert.equal(notRunning(undefined), "; start it");
});
