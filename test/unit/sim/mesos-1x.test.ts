// Mesos 1.4–1.11 in the simulator: what each release's sources change for an operator or our gates.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  MESOS_RELEASES,
  mesosFlagDefaults,
  mesosFlags,
  mesosMetricNames,
  mesosTraits,
} from "../../../sim/catalogue/mesos";
import { loadMesosFlags } from "../../../sim/mesos/flags";
import { mesosHttpAccess } from "../../../sim/mesos/http-access";
import { mesosContainerId } from "../../../sim/mesos/agent/recovery";

const UUID = "4e6c7a1e-2c3b-4b8f-9a57-0d7f3c1b2a90";

describe("Mesos 1.4–1.11 releases", () => {
  test("every line's last patch runs, named by its tag commit and by the image's short tag", () => {
    const byVersion = new Map(MESOS_RELEASES.map((r) => [r.version, r]));
    for (const version of ["1.4.3", "1.5.3", "1.6.2", "1.7.3", "1.8.1", "1.9.0", "1.10.0", "1.11.0"]) {
      assert.equal(byVersion.get(version)?.imageTag, version);
    }
    assert.deepEqual(
      [byVersion.get("1.11.0")?.gitSha, byVersion.get("1.11.0")?.buildDate],
      ["04bc7ee1984d86fbb0bd782ccc69ce44c13ae4b9", "2020-11-16T16:43:57+01:00"],
    );
    assert.equal(byVersion.get("1.3.2")?.imageTag, "1.3.2-2.0.3.ubuntu1404");
  });

  test("flags follow each tag: 1.4's renames stay accepted under the old names, 1.9's docker_ignore_runtime, 1.11's allocator recovery", () => {
    assert.deepEqual(mesosFlags("1.4.0", "agent").get("effective_capabilities"), {
      kind: "s",
      alias: "allowed_capabilities",
    });
    assert.deepEqual(mesosFlags("1.11.0", "master").get("role_sorter"), { kind: "s", alias: "user_sorter" });
    assert.deepEqual(mesosFlags("1.11.0", "agent").get("jwt_secret_key"), { kind: "s", alias: "executor_secret_key" });
    assert.ok(!mesosFlags("1.8.1", "agent").has("docker_ignore_runtime"));
    assert.ok(mesosFlags("1.9.0", "agent").has("docker_ignore_runtime"));
    assert.ok(!mesosFlags("1.10.0", "master").has("allocator_recovery_timeout"));
    assert.equal(mesosFlagDefaults("1.11.0", "master").allocator_recovery_timeout, "10mins");
    assert.equal(mesosFlagDefaults("1.11.0", "master").allocator, "hierarchical");
    assert.equal(mesosFlagDefaults("1.4.0", "master").allocator, "HierarchicalDRF");
    assert.equal(mesosFlagDefaults("1.11.0", "agent").work_dir, undefined, "--work_dir has no default from 1.0");
    const loaded = loadMesosFlags("agent", "1.11.0", ["--master=zk://z:2181/mesos"], {});
    assert.deepEqual(loaded, { error: "Flag 'work_dir' is required, but it was not provided" });
    const renamed = loadMesosFlags("agent", "1.5.3", ["--master=x", "--work_dir=/w"], {
      MESOS_EXECUTOR_SECRET_KEY: "/k",
    });
    assert.ok("values" in renamed && renamed.values.get("jwt_secret_key") === "/k");
  });

  test("metric names follow each tag: operation status updates in 1.6, http cache hits in 1.8", () => {
    assert.ok(!mesosMetricNames("1.5.3", "master").includes("master/messages_operation_status_update_acknowledgement"));
    assert.ok(mesosMetricNames("1.6.2", "master").includes("master/messages_operation_status_update_acknowledgement"));
    assert.ok(mesosMetricNames("1.8.1", "master").includes("master/http_cache_hits"));
    assert.ok(mesosMetricNames("1.6.0", "agent").includes("slave/recovery_time_secs"));
    assert.ok(
      mesosMetricNames("1.11.0", "master").every((name) => !name.endsWith("/")),
      "no bare prefixes",
    );
  });
});

describe("Docker container names and orphans per release (parse() in src/slave/containerizer/docker.cpp)", () => {
  test("task containers are mesos-<agentId>.<containerId> from 0.23 to 1.3 and mesos-<containerId> again from 1.4", () => {
    assert.ok(mesosTraits("1.3.2").containerNameHasAgentId);
    assert.ok(!mesosTraits("1.4.0").containerNameHasAgentId);
    assert.ok(!mesosTraits("1.11.0").containerNameHasAgentId);
  });

  test("a 1.4+ agent still reads the 1.3 names of the containers it recovers, and leaves executor containers alone", () => {
    assert.equal(mesosContainerId(`mesos-20170101-000000-1-5050-1-S0.${UUID}`, "1.4.3"), UUID);
    assert.equal(mesosContainerId(`/mesos-${UUID}`, "1.4.3"), UUID);
    assert.equal(mesosContainerId(`mesos-${UUID}.executor`, "1.8.1"), undefined);
  });

  test("only 1.0.2–1.0.4 and 1.2+ spare mesos-… names that are not UUIDs (MESOS-6212); 1.1.x and 1.0.0–1.0.1 stop them", () => {
    for (const version of ["0.28.2", "1.0.1", "1.1.3"]) assert.equal(mesosContainerId("mesos-slave", version), "slave");
    for (const version of ["1.0.2", "1.2.0", "1.4.3", "1.11.0"]) {
      assert.equal(mesosContainerId("mesos-slave", version), undefined, version);
      assert.equal(mesosContainerId("mesos-dns", version), undefined, version);
    }
  });
});

describe("behaviour that changes across 1.4–1.11", () => {
  test("the lowest Docker an agent starts with is 1.8.0 in 1.4.3, 1.5.2+, 1.6.2 and 1.7.1+ (MESOS-9231), 1.0.0 otherwise", () => {
    const eight = ["1.4.3", "1.5.2", "1.5.3", "1.6.2", "1.7.1", "1.7.3", "1.8.1", "1.11.0"];
    const one = ["1.3.2", "1.4.2", "1.5.1", "1.6.1", "1.7.0"];
    assert.deepEqual(
      [...eight, ...one].map((v) => mesosTraits(v).dockerMinimum),
      [...eight.map(() => "1.8.0"), ...one.map(() => "1.0.0")],
    );
  });

  test("the *.json endpoint aliases are routed up to 1.7 and gone from 1.8 (MESOS-4509)", () => {
    assert.deepEqual(
      ["1.7.3", "1.8.0", "1.11.0"].map((v) => mesosTraits(v).jsonAliases),
      [true, false, false],
    );
  });

  test("a 1.11 master exits on a text credentials file that 1.10 still reads", () => {
    const files: Record<string, string> = { "/etc/mesos/credentials": "ops secret\n" };
    const access = (version: string) => {
      const flags = loadMesosFlags(
        "master",
        version,
        ["--authenticate_http_readonly", "--credentials=/etc/mesos/credentials"],
        {},
      );
      assert.ok("values" in flags);
      return mesosHttpAccess("master", version, flags.values, {}, (path) => files[path]);
    };
    assert.ok(!("error" in access("1.10.0")));
    assert.deepEqual(access("1.11.0"), {
      error: "Invalid json format: syntax error at line 1 near: ops secret (see --credentials flag)",
    });
    files["/etc/mesos/credentials"] = '{"credentials": [{"principal": "ops", "secret": "s"}]}';
    assert.ok(!("error" in access("1.11.0")));
  });
});
