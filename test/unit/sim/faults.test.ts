// The CLI spelling of faults.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { imageMatches, parseFault } from "../../../sim/faults";

describe("parseFault", () => {
  test("reads a kind and key=value parameters, numbers as numbers", () => {
    assert.deepEqual(parseFault(["pull-slow", "image=mesosphere/mesos-slave", "seconds=120"]), {
      kind: "pull-slow",
      image: "mesosphere/mesos-slave",
      seconds: 120,
    });
    assert.deepEqual(parseFault(["leader-fails", "trigger=docker stop", "afterSeconds=5"]), {
      kind: "leader-fails",
      trigger: "docker stop",
      afterSeconds: 5,
    });
    assert.deepEqual(parseFault(["ssh-hang"]), { kind: "ssh-hang" });
  });

  test("names the unknown kind, the unexpected parameter and the missing image", () => {
    assert.throws(
      () => parseFault(["pull-fail"]),
      /unknown fault "pull-fail"; choose one of pull-fails, pull-slow, crash-loop, ssh-refuse, ssh-hang, agent-no-reregister, leader-fails, package-install-fails/,
    );
    assert.throws(
      () => parseFault(["ssh-refuse", "port=22"]),
      /unexpected "port=22" for fault ssh-refuse; ssh-refuse takes no parameters/,
    );
    assert.throws(
      () => parseFault(["pull-slow", "seconds=soon"]),
      /seconds=soon must be a number of seconds, e.g. seconds=30/,
    );
    assert.throws(() => parseFault(["crash-loop"]), /crash-loop needs image=<repo\[:tag\]>/);
  });
});

describe("imageMatches", () => {
  test("matches a repository on every tag, a full reference exactly, and everything without a selector", () => {
    assert.ok(imageMatches("mesosphere/mesos-slave", "mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404"));
    assert.ok(!imageMatches("mesosphere/mesos-slave", "mesosphere/mesos-slave-dev:1"));
    assert.ok(imageMatches("redis:3.0.7", "redis:3.0.7"));
    assert.ok(!imageMatches("redis:3.0.7", "redis:3.2"));
    assert.ok(imageMatches(undefined, "anything:1"));
  });
});
