// Loading Mesos flags as each release's stout does.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mesosFlags } from "../../../sim/catalogue/mesos";
import { loadMesosFlags, usageText } from "../../../sim/mesos/flags";

describe("loadMesosFlags", () => {
  test("reads argv and MESOS_* variables, booleans bare, --no- and =true", () => {
    const result = loadMesosFlags(
      "agent",
      "0.22.1",
      ["--master=zk://z:2181/mesos", "--no-strict", "--cgroups_limit_swap"],
      { MESOS_WORK_DIR: "/data/mesos", MESOS_NATIVE_JAVA_LIBRARY: "/x", PATH: "/bin" },
    );
    assert.ok("values" in result);
    assert.deepEqual(Object.fromEntries(result.values), {
      master: "zk://z:2181/mesos",
      strict: false,
      cgroups_limit_swap: true,
      work_dir: "/data/mesos",
    });
  });

  test("names unknown flags, missing values and bad values like stout", () => {
    assert.deepEqual(loadMesosFlags("agent", "0.22.1", ["--master=x", "--docker_kill_orphans=false"], {}), {
      error: "Failed to load unknown flag 'docker_kill_orphans'",
    });
    assert.deepEqual(
      Object.hasOwn(
        loadMesosFlags("agent", "0.23.0", ["--master=x", "--docker_kill_orphans=false"], {}) as object,
        "values",
      ),
      true,
    );
    assert.deepEqual(loadMesosFlags("master", "0.28.2", ["--no-bogus"], {}), {
      error: "Failed to load unknown flag 'bogus' via 'no-bogus'",
    });
    assert.deepEqual(loadMesosFlags("master", "0.28.2", ["--quorum"], {}), {
      error: "Failed to load non-boolean flag 'quorum': Missing value",
    });
    assert.deepEqual(loadMesosFlags("master", "0.28.2", ["--slave_ping_timeout=15"], {}), {
      error: "Failed to load flag 'slave_ping_timeout': Failed to load value '15': Invalid duration format",
    });
  });

  test("treats MESOS_X with --x as a duplicate up to 0.24 and lets argv win from 0.25", () => {
    assert.deepEqual(loadMesosFlags("master", "0.24.2", ["--quorum=2"], { MESOS_QUORUM: "1" }), {
      error: "Duplicate flag 'quorum' on command line",
    });
    const later = loadMesosFlags("master", "0.25.0", ["--quorum=2"], { MESOS_QUORUM: "1" });
    assert.ok("values" in later && later.values.get("quorum") === "2");
  });

  test("accepts 1.0's old names as deprecated aliases, but not both names", () => {
    const old = loadMesosFlags("master", "1.0.0", [], { MESOS_SLAVE_PING_TIMEOUT: "30secs" });
    assert.ok("values" in old);
    assert.deepEqual(
      [old.values.get("agent_ping_timeout"), old.warnings],
      ["30secs", ["Loaded deprecated flag 'slave_ping_timeout'"]],
    );
    assert.deepEqual(
      loadMesosFlags("master", "1.0.0", ["--agent_ping_timeout=1secs"], { MESOS_SLAVE_PING_TIMEOUT: "30secs" }),
      { error: "Flag 'slave_ping_timeout' is already loaded via name 'agent_ping_timeout'" },
    );
    assert.deepEqual(loadMesosFlags("agent", "1.0.0", ["--master=x"], {}), {
      error: "Flag 'work_dir' is required, but it was not provided",
    });
  });

  test("knows which release added a flag (the ping flags in 0.23, docker_store_dir in 0.26)", () => {
    assert.ok(!mesosFlags("0.22.1", "master").has("slave_ping_timeout"));
    assert.ok(mesosFlags("0.23.0", "master").has("slave_ping_timeout"));
    assert.ok(!mesosFlags("0.25.1", "agent").has("docker_store_dir"));
    assert.ok(mesosFlags("0.26.0", "agent").has("docker_store_dir"));
    assert.ok(
      mesosFlags("0.22.1", "agent").has("docker_remove_delay") &&
        mesosFlags("0.22.1", "agent").has("cgroups_limit_swap"),
    );
  });

  test("prints usage in the release's format", () => {
    assert.match(
      usageText("agent", "0.22.1", "Failed to load unknown flag 'x'"),
      /^Failed to load unknown flag 'x'\nUsage: mesos-slave \[\.\.\.\]\n\nSupported options:\n {2}--attributes=VALUE\n/,
    );
    assert.match(usageText("agent", "1.0.0", "boom"), /^boom\n\nUsage: mesos-agent \[options\]\n\n/);
  });
  test("stops an agent whose --agent_features lacks what its release requires, with Mesos' message", () => {
    const features = (...types: string[]) =>
      `--agent_features=${JSON.stringify({ capabilities: types.map((type) => ({ type })) })}`;
    const base = ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT", "AGENT_OPERATION_FEEDBACK"];
    const load = (version: string, flag: string) =>
      loadMesosFlags("agent", version, ["--master=x", "--work_dir=/data/mesos", flag], {});
    assert.ok("values" in load("1.8.1", features(...base)));
    assert.deepEqual(load("1.9.0", features(...base)), {
      error:
        "At least the following agent features need to be enabled: MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT, AGENT_OPERATION_FEEDBACK, and AGENT_DRAINING",
    });
    // Types a release does not know are dropped, so a whitelist may name later releases' capabilities.
    assert.ok("values" in load("1.5.0", features(...base, "AGENT_DRAINING", "TASK_RESOURCE_LIMITS")));
    assert.deepEqual(load("1.6.2", features(...base.slice(0, 3), "RESIZE_VOLUME")), {
      error: "RESIZE_VOLUME feature requires RESOURCE_PROVIDER feature",
    });
    assert.deepEqual(load("1.9.0", "--agent_features=MULTI_ROLE"), {
      error:
        "Failed to load flag 'agent_features': Failed to load value 'MULTI_ROLE': syntax error at line 1 near: MULTI_ROLE",
    });
  });
});
