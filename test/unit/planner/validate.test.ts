import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PlanInputError, validatePlanInput, type PlanInput } from "../../../planner";
import { seedCluster } from "./helpers";

/** A deep copy of the seed cluster as plain JSON, to break in one place. */
function raw(): Record<string, any> {
  return JSON.parse(JSON.stringify(seedCluster(2)));
}

function problemsOf(input: unknown): { field: string; message: string }[] {
  try {
    validatePlanInput(input);
  } catch (error) {
    assert.ok(error instanceof PlanInputError);
    return error.problems.map(({ field, message }) => ({ field, message }));
  }
  assert.fail("expected a PlanInputError");
}

describe("validatePlanInput", () => {
  it("returns a valid input unchanged", () => {
    const input = seedCluster(2);
    assert.equal(validatePlanInput(input), input);
  });

  const cases: [string, (r: Record<string, any>) => unknown, { field: string; message: string }][] = [
    [
      "an unknown version, with the nearest release",
      (r) => ((r.desired.mesos = "0.29.0"), r),
      {
        field: "desired.mesos",
        message: 'desired.mesos must be a known Mesos release (0.22.0 to 1.11.0), got "0.29.0"; did you mean "0.28.3"?',
      },
    ],
    [
      "an unknown host version",
      (r) => ((r.hosts[3].versions["mesos-slave"] = "0.22.9"), r),
      {
        field: "hosts[3].versions.mesos-slave",
        message:
          'hosts[3].versions.mesos-slave must be a known Mesos release (0.22.0 to 1.11.0), got "0.22.9"; did you mean "0.22.2"?',
      },
    ],
    [
      "a downgrade",
      (r) => ((r.hosts[0].versions["mesos-master"] = "0.28.3"), r),
      {
        field: "hosts[0].versions.mesos-master",
        message:
          'hosts[0].versions.mesos-master must be no newer than desired.mesos "0.28.2", got "0.28.3"; the planner never downgrades: raise desired.mesos to "0.28.3" or later',
      },
    ],
    [
      "an unknown role, with the project's name for it",
      (r) => ((r.hosts[3].roles = ["mesos-agent"]), r),
      {
        field: "hosts[3].roles[0]",
        message:
          'hosts[3].roles[0] must be one of "mesos-master", "mesos-slave", "marathon", got "mesos-agent"; did you mean "mesos-slave"?',
      },
    ],
    [
      "a duplicate host",
      (r) => ((r.hosts[4].name = "a1"), r),
      {
        field: "hosts[4].name",
        message: 'hosts[4].name must be unique (hosts[3].name is the same), got "a1"; rename one of them',
      },
    ],
    [
      "a missing desired version",
      (r) => (delete r.desired.marathon, r),
      {
        field: "desired.marathon",
        message: 'desired.marathon must be a Marathon release, got nothing; add it, e.g. "1.10.26"',
      },
    ],
    [
      "a missing host version for a role",
      (r) => (delete r.hosts[1].versions.marathon, r),
      {
        field: "hosts[1].versions.marathon",
        message: 'hosts[1].versions.marathon must be a Marathon release, got nothing; add it, e.g. "1.10.26"',
      },
    ],
    [
      "a missing rollout",
      (r) => (delete r.rollout, r),
      {
        field: "rollout",
        message: 'rollout must be an object with maxUnavailableSlaves, got nothing; add {"maxUnavailableSlaves": 1}',
      },
    ],
    [
      "maxUnavailableSlaves below 1",
      (r) => ((r.rollout.maxUnavailableSlaves = 0), r),
      {
        field: "rollout.maxUnavailableSlaves",
        message: "rollout.maxUnavailableSlaves must be an integer >= 1, got 0; use 1 to upgrade one agent at a time",
      },
    ],
    [
      "a fractional maxUnavailableSlaves",
      (r) => ((r.rollout.maxUnavailableSlaves = 1.5), r),
      {
        field: "rollout.maxUnavailableSlaves",
        message: "rollout.maxUnavailableSlaves must be an integer >= 1, got 1.5; use 1 to upgrade one agent at a time",
      },
    ],
    [
      "a known-bad desired Mesos",
      (r) => ((r.desired.mesos = "0.26.0"), r),
      {
        field: "desired.mesos",
        message:
          'desired.mesos must be a release that is not known-bad (MESOS-3834: its agents abort (CHECK(frameworkInfo.has_id()) in Slave::recoverFramework) when recovering framework checkpoints written by Mesos 0.22 or earlier), got "0.26.0"; use "0.26.1"',
      },
    ],
    [
      "a misspelt top-level field",
      (r) => ((r.frameworx = {}), r),
      {
        field: "frameworx",
        message:
          'input must only have the keys "desired", "hosts", "rollout", "frameworks", "policy", "settingsChanges", got "frameworx"; did you mean "frameworks"?',
      },
    ],
    [
      "an unknown policy",
      (r) => ((r.policy = "seed"), r),
      {
        field: "policy",
        message: 'policy must be one of "marathon-docs", "seed-table", got "seed"; did you mean "seed-table"?',
      },
    ],
    [
      "an unknown framework",
      (r) => ((r.frameworks = { jenkins: "0.13.1" }), r),
      {
        field: "frameworks.jenkins",
        message:
          'frameworks must only have the keys "jenkins-mesos-plugin", "mesos-dns", "bamboo", got "jenkins"; did you mean "jenkins-mesos-plugin"?',
      },
    ],
    [
      "a leader role the host does not have",
      (r) => ((r.hosts[3].leader = ["mesos-master"]), r),
      {
        field: "hosts[3].leader[0]",
        message:
          'hosts[3].leader[0] must be a role of this host that elects a leader (none), got "mesos-master"; this host has no role with a leader: remove the mark',
      },
    ],
    [
      "a framework version that is not a version",
      (r) => ((r.frameworks = { "mesos-dns": "latest" }), r),
      {
        field: "frameworks.mesos-dns",
        message: 'frameworks.mesos-dns must be a version such as "0.13.1", got "latest"',
      },
    ],
    [
      "two leaders of one role",
      (r) => ((r.hosts[1].leader = ["marathon"]), r),
      {
        field: "hosts[1].leader",
        message:
          'hosts[1].leader must be free of "marathon" (hosts[0] already leads it), got ["marathon"]; mark one marathon leader',
      },
    ],
    [
      "a version for a role the host lacks",
      (r) => ((r.hosts[3].versions.marathon = "0.9.0"), r),
      {
        field: "hosts[3].versions.marathon",
        message:
          'hosts[3].versions.marathon must be the version of a role of this host (roles: mesos-slave), got "0.9.0"; remove it or add "marathon" to hosts[3].roles',
      },
    ],
    [
      "no master at all",
      (r) => ((r.hosts = r.hosts.slice(3)), r),
      {
        field: "hosts",
        message: 'hosts must be a list with at least one "mesos-master" host, got ["a1","a2"]; add the masters',
      },
    ],
    [
      "a desired Marathon that the desired Mesos cannot run",
      (r) => ((r.desired.mesos = "0.27.3"), r),
      {
        field: "desired.marathon",
        message:
          'desired.marathon must be a Marathon that runs on desired.mesos "0.27.3", got "1.1.7"; Marathon 1.1.7 needs Mesos >= 0.28.0 (Marathon docs): raise desired.mesos or lower desired.marathon',
      },
    ],
    [
      "a desired Docker that the desired Mesos cannot drive",
      (r) => ((r.desired.mesos = "0.22.1"), (r.desired.marathon = "0.9.2"), r),
      {
        field: "desired.mesos",
        message:
          'desired.mesos must be a Mesos whose Docker containerizer drives desired.docker "1.11.2", got "0.22.1"; Mesos <= 0.22.1 parses `Client version:` from `docker version`, which Docker >= 1.8 no longer prints, so the agent refuses to start its Docker containerizer ("Insufficient version of Docker! Please upgrade to >= 1.0.0", MESOS-2986); use "0.22.2" or later',
      },
    ],
    [
      "a desired Marathon whose libmesos cannot find the desired masters",
      (r) => ((r.desired.marathon = "0.10.1"), r),
      {
        field: "desired.marathon",
        message:
          'desired.marathon must be a Marathon that can talk to Mesos 0.28.2 masters, got "0.10.1"; Marathon 0.10.1 links libmesos 0.22.1, and 0.24 masters publish their info in ZooKeeper as JSON (json.info_ znodes) and a 0.22 libmesos cannot read it, so schedulers must link libmesos >= 0.23 before any master moves to 0.24; raise desired.marathon',
      },
    ],
    [
      "a host's multi-instance apps that are not a list of app ids",
      (r) => ((r.hosts[3].multiInstanceApps = "/redis"), r),
      {
        field: "hosts[3].multiInstanceApps",
        message:
          'hosts[3].multiInstanceApps must be the ids of the Marathon apps of more than one instance with a task on the host, e.g. ["/redis"], got "/redis"',
      },
    ],
    [
      "a host's Marathon task count that is not a whole number",
      (r) => ((r.hosts[3].marathonTasks = 1.5), r),
      {
        field: "hosts[3].marathonTasks",
        message:
          "hosts[3].marathonTasks must be how many Marathon tasks run on the host: a whole number, 0 or more, e.g. 2, got 1.5",
      },
    ],
  ];

  for (const [what, breakIt, expected] of cases) {
    it(`throws for ${what}, naming the field, the value and the fix`, () => {
      const [first] = problemsOf(breakIt(raw()));
      assert.equal(first?.field, expected.field);
      if (expected.message !== "") assert.equal(first?.message, expected.message);
      assert.doesNotMatch(first?.message ?? "", /\n/, "one line");
    });
  }

  it("throws for a value that is not an object", () => {
    assert.deepEqual(problemsOf([1, 2]), [
      { field: "input", message: "input must be a JSON object with desired, hosts and rollout, got [1,2]" },
    ]);
  });

  it("collects every problem instead of stopping at the first", () => {
    const r = raw();
    r.desired.docker = "1.7.9";
    r.rollout.maxUnavailableSlaves = -1;
    r.hosts[3].roles = ["slave"];
    assert.deepEqual(
      problemsOf(r).map((p) => p.field),
      ["desired.docker", "hosts[3].roles[0]", "hosts[3].versions.mesos-slave", "rollout.maxUnavailableSlaves"],
    );
  });

  it("carries field, value and choices of the first problem on the error", () => {
    const r = raw();
    r.desired.mesos = "0.24.1";
    assert.throws(() => validatePlanInput(r as PlanInput), {
      name: "PlanInputError",
      code: "InvalidPlanInput",
      field: "desired.mesos",
      value: "0.24.1",
      choices: ["0.24.2"],
    });
  });
});
