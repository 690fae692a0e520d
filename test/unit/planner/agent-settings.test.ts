import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkRequiredAgentSettings, requiredAgentSettings } from "../../../planner";

const compliant = {
  flags: {
    master: "zk://zk1:2181/mesos",
    work_dir: "/data/mesos",
    cgroups_limit_swap: true,
    docker_remove_delay: "6hrs",
  },
  volumes: ["/data/mesos:/data/mesos", "/var/run/docker.sock:/var/run/docker.sock"],
};

describe("requiredAgentSettings", () => {
  it("holds the seed's settings: /data/mesos bind-mounted at the same path, no swap, 6hrs container GC", () => {
    assert.equal(requiredAgentSettings.volume, "/data/mesos:/data/mesos");
    assert.deepEqual(requiredAgentSettings.flags, {
      work_dir: "/data/mesos",
      cgroups_limit_swap: true,
      docker_remove_delay: "6hrs",
    });
  });
});

describe("checkRequiredAgentSettings", () => {
  it("accepts the seed's settings at every Mesos version", () => {
    for (const version of ["0.22.1", "0.28.2", "1.0.0"]) {
      assert.deepEqual(checkRequiredAgentSettings(version, compliant), []);
    }
  });

  it("refuses a work dir mounted at a different path inside the container", () => {
    const problems = checkRequiredAgentSettings("0.28.2", { ...compliant, volumes: ["/data/mesos:/var/lib/mesos"] });
    assert.deepEqual(
      problems.map((p) => p.message.split(":").slice(0, 3).join(":")),
      ["the agent container must mount -v /data/mesos:/data/mesos, got -v /data/mesos:/var/lib/mesos"],
    );
  });

  it("refuses the default work dir, missing swap limit, a short container GC delay and a log_dir, all at once", () => {
    const problems = checkRequiredAgentSettings("0.28.2", {
      flags: { docker_remove_delay: "1hrs", log_dir: "/var/log/mesos" },
      volumes: [],
    });
    assert.deepEqual(
      problems.map((p) => p.flag),
      ["work_dir", "work_dir", "cgroups_limit_swap", "docker_remove_delay", "log_dir"],
    );
    assert.equal(
      problems[3]?.message,
      `--docker_remove_delay must be set to at least 6hrs (seed keeps failed containers' logs 6hrs for now), got "1hrs"`,
    );
  });

  it("accepts a longer container GC delay than the seed's 6 hours", () => {
    assert.deepEqual(
      checkRequiredAgentSettings("0.28.2", {
        ...compliant,
        flags: { ...compliant.flags, docker_remove_delay: "1days" },
      }),
      [],
    );
  });
});
