import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FlagError, flagChanges, flagSchema, flagsForVersion, toCommandLine, validateFlags } from "../../../planner";

const messages = (problems: readonly { message: string }[]) => problems.map((p) => p.message);

describe("flagSchema", () => {
  it("lists a flag under its name at the version, with the old name as a deprecated alias after a rename", () => {
    const at100 = flagSchema("mesos-master", "1.0.0").find((f) => f.name === "agent_ping_timeout");
    assert.deepEqual(
      { ...at100, source: undefined, description: undefined },
      {
        name: "agent_ping_timeout",
        type: "duration",
        since: "1.0.0",
        required: false,
        aliases: ["slave_ping_timeout"],
        default: "15secs",
        renamedFrom: { name: "slave_ping_timeout", in: "1.0.0" },
        min: "1secs",
        max: "15mins",
        source: undefined,
        description: undefined,
      },
    );
    assert.equal(
      flagSchema("mesos-master", "0.28.2").find((f) => f.name === "agent_ping_timeout"),
      undefined,
    );
  });

  it("leaves out flags not yet added", () => {
    const names = (v: string) => flagSchema("mesos-master", v).map((f) => f.name);
    assert.ok(!names("0.22.1").includes("slave_ping_timeout"), "added in 0.23.0");
    assert.ok(names("0.23.0").includes("slave_ping_timeout"));
  });

  it("makes the agent work_dir required with no default from 1.0 (default /tmp/mesos before)", () => {
    const workDir = (v: string) => flagSchema("mesos-slave", v).find((f) => f.name === "work_dir");
    assert.deepEqual([workDir("0.28.2")?.required, workDir("0.28.2")?.default], [false, "/tmp/mesos"]);
    assert.deepEqual([workDir("1.0.0")?.required, workDir("1.0.0")?.default], [true, undefined]);
  });

  it("gives the default of the version", () => {
    const maxTasks = (v: string) => flagSchema("marathon", v).find((f) => f.name === "max_tasks_per_offer")?.default;
    assert.deepEqual(["0.9.0", "0.11.0", "0.15.7", "1.0.0-RC1", "1.1.7"].map(maxTasks), [1, 100, 100, 5, 5]);
  });

  it("throws naming version for an unknown release", () => {
    assert.throws(() => flagSchema("mesos-slave", "0.29.0"), { name: "PlanInputError", field: "version" });
  });
});

describe("validateFlags", () => {
  it("accepts a complete, valid agent configuration", () => {
    assert.deepEqual(
      validateFlags("mesos-slave", "1.0.0", {
        master: "zk://zk1:2181/mesos",
        work_dir: "/data/mesos",
        cgroups_limit_swap: true,
        docker_remove_delay: "6hrs",
        containerizers: "docker,mesos",
      }),
      [],
    );
  });

  it("rejects an unknown flag with the nearest valid name", () => {
    assert.deepEqual(
      messages(validateFlags("mesos-master", "0.28.2", { slave_ping_timout: "30secs" }, { partial: true })),
      ["--slave_ping_timout is not a Mesos master flag the project manages; did you mean --slave_ping_timeout?"],
    );
  });

  it("says when a flag belongs to the other Mesos component", () => {
    assert.deepEqual(
      messages(validateFlags("mesos-slave", "0.28.2", { slave_ping_timeout: "30secs" }, { partial: true })),
      ["--slave_ping_timeout is a Mesos master flag, not a Mesos agent flag; move it"],
    );
  });

  it("refuses a 1.0 name before 1.0, pointing at the old name", () => {
    assert.deepEqual(
      messages(validateFlags("mesos-master", "0.28.2", { agent_ping_timeout: "30secs" }, { partial: true })),
      [
        "--agent_ping_timeout is not available in Mesos master 0.28.2 (it is the 1.0.0 name of --slave_ping_timeout); use --slave_ping_timeout",
      ],
    );
  });

  it("warns about an old name after the 1.0 rename, which still loads", () => {
    assert.deepEqual(validateFlags("mesos-master", "1.0.0", { slave_ping_timeout: "30secs" }, { partial: true }), [
      {
        flag: "slave_ping_timeout",
        value: "30secs",
        severity: "warning",
        message:
          "--slave_ping_timeout is deprecated in Mesos master 1.0.0 (renamed --agent_ping_timeout in 1.0.0); use --agent_ping_timeout",
      },
    ]);
  });

  it("refuses an old name after a rename without an alias", () => {
    assert.deepEqual(
      messages(
        validateFlags("mesos-slave", "0.24.2", { docker_sandbox_directory: "/mnt/mesos/sandbox" }, { partial: true }),
      ),
      [
        "--docker_sandbox_directory no longer loads in Mesos agent 0.24.2 (renamed --sandbox_directory in 0.24.0 without an alias); use --sandbox_directory",
      ],
    );
  });

  it("refuses a flag not yet available at the version", () => {
    assert.deepEqual(
      messages(validateFlags("mesos-slave", "0.22.1", { docker_kill_orphans: false }, { partial: true })),
      ["--docker_kill_orphans is not available in Mesos agent 0.22.1 (added in 0.23.0); leave it out until 0.23.0"],
    );
  });

  it("refuses log_dir on masters and agents, per the seed", () => {
    for (const component of ["mesos-master", "mesos-slave"] as const) {
      assert.match(
        messages(validateFlags(component, "0.28.2", { log_dir: "/var/log/mesos" }, { partial: true }))[0] ?? "",
        /^--log_dir is refused by the seed plan: /,
      );
    }
  });

  it("requires the agent work_dir at 1.0 but not at 0.28", () => {
    assert.deepEqual(validateFlags("mesos-slave", "0.28.2", { master: "zk://zk1:2181/mesos" }), []);
    assert.deepEqual(validateFlags("mesos-slave", "1.0.0", { master: "zk://zk1:2181/mesos" }), [
      {
        flag: "work_dir",
        value: undefined,
        severity: "error",
        message: "--work_dir is required by Mesos agent 1.0.0; set it",
      },
    ]);
  });

  it("requires --quorum when --zk is set on a master", () => {
    assert.deepEqual(
      messages(validateFlags("mesos-master", "0.28.2", { work_dir: "/var/lib/mesos", zk: "zk://zk1:2181/mesos" })),
      ["--quorum is required when --zk is set; set it"],
    );
  });

  const wrong: [string, Record<string, string | number | boolean>, string][] = [
    [
      "a number for a duration",
      { docker_remove_delay: 6 },
      "--docker_remove_delay must be a duration such as 15secs, 10mins or 6hrs, got 6",
    ],
    [
      "an unknown duration unit",
      { docker_remove_delay: "6h" },
      '--docker_remove_delay must be a duration such as 15secs, 10mins or 6hrs, got "6h"',
    ],
    ["a word for a boolean", { cgroups_limit_swap: "yes" }, '--cgroups_limit_swap must be true or false, got "yes"'],
    [
      "a relative path",
      { work_dir: "data/mesos" },
      '--work_dir must be an absolute path such as /data/mesos, got "data/mesos"',
    ],
    [
      "a value off the list",
      { recover: "restart" },
      '--recover must be one of reconnect, cleanup, got "restart"; did you mean reconnect?',
    ],
  ];
  for (const [what, flags, message] of wrong) {
    it(`rejects ${what}`, () =>
      assert.deepEqual(messages(validateFlags("mesos-slave", "0.28.2", flags, { partial: true })), [message]));
  }

  it("enforces the documented bounds of master timeouts", () => {
    assert.deepEqual(
      messages(
        validateFlags(
          "mesos-master",
          "0.28.2",
          { slave_reregister_timeout: "5mins", max_slave_ping_timeouts: 0 },
          { partial: true },
        ),
      ),
      [
        '--slave_reregister_timeout must be at least 10mins, got "5mins"',
        "--max_slave_ping_timeouts must be at least 1, got 0",
      ],
    );
  });

  it("refuses --registry_strict=true from 1.0 only", () => {
    assert.deepEqual(validateFlags("mesos-master", "0.28.2", { registry_strict: true }, { partial: true }), []);
    assert.deepEqual(messages(validateFlags("mesos-master", "1.0.0", { registry_strict: true }, { partial: true })), [
      "--registry_strict=true is refused by Mesos master 1.0.0: Mesos 1.0 disabled --registry_strict and the master exits when it is true",
    ]);
  });

  it("refuses the same flag under its old and new name", () => {
    assert.deepEqual(
      messages(
        validateFlags(
          "mesos-master",
          "1.0.0",
          { agent_ping_timeout: "30secs", slave_ping_timeout: "30secs" },
          { partial: true },
        ),
      ).filter((m) => m.includes("same flag")),
      ["--slave_ping_timeout and --agent_ping_timeout name the same flag; keep --agent_ping_timeout"],
    );
  });

  it("refuses a false Marathon switch before --disable_ exists (0.13)", () => {
    assert.deepEqual(messages(validateFlags("marathon", "0.11.1", { checkpoint: false }, { partial: true })), [
      "--checkpoint cannot be false in Marathon 0.11.1: --disable_checkpoint exists from 0.13.0; leave the default (true) until then",
    ]);
    assert.deepEqual(validateFlags("marathon", "0.13.0", { checkpoint: false }, { partial: true }), []);
  });

  it("warns about Marathon's deprecated max_tasks_per_offer_cycle", () => {
    assert.deepEqual(
      validateFlags("marathon", "0.11.0", { max_tasks_per_offer_cycle: 100 }, { partial: true }).map((p) => p.severity),
      ["warning"],
    );
  });
});

describe("flagsForVersion", () => {
  it("renames slave_* flags to agent_* for 1.0 and reports each rename", () => {
    const out = flagsForVersion("mesos-master", "1.0.0", {
      slave_ping_timeout: "30secs",
      max_slave_ping_timeouts: 10,
      zk: "zk://zk1:2181/mesos",
    });
    assert.deepEqual(out.flags, {
      agent_ping_timeout: "30secs",
      max_agent_ping_timeouts: 10,
      zk: "zk://zk1:2181/mesos",
    });
    assert.deepEqual(
      out.renamed.map((r) => [r.from, r.to]),
      [
        ["slave_ping_timeout", "agent_ping_timeout"],
        ["max_slave_ping_timeouts", "max_agent_ping_timeouts"],
      ],
    );
    assert.deepEqual(out.dropped, []);
  });

  it("renames new names back for versions before the rename", () => {
    assert.deepEqual(flagsForVersion("mesos-slave", "0.28.2", { agent_subsystems: "memory" }).flags, {
      slave_subsystems: "memory",
    });
  });

  it("drops flags the version does not take and says why", () => {
    const out = flagsForVersion("mesos-slave", "0.23.1", {
      docker_store_dir: "/tmp/store",
      docker_remove_delay: "6hrs",
      no_such_flag: 1,
    });
    assert.deepEqual(out.flags, { docker_remove_delay: "6hrs" });
    assert.deepEqual(
      out.dropped.map((d) => d.reason),
      [
        "Mesos agent 0.23.1 does not take --docker_store_dir: added in 0.26.0",
        "Mesos agent 0.23.1 does not take --no_such_flag: not a managed flag",
      ],
    );
  });
});

describe("toCommandLine", () => {
  it("renders Mesos flags as --name=value sorted by name, booleans as --name=true|false", () => {
    assert.deepEqual(
      toCommandLine("mesos-slave", "0.28.2", {
        work_dir: "/data/mesos",
        strict: false,
        cgroups_limit_swap: true,
        docker_remove_delay: "6hrs",
        port: 5051,
      }),
      [
        "--cgroups_limit_swap=true",
        "--docker_remove_delay=6hrs",
        "--port=5051",
        "--strict=false",
        "--work_dir=/data/mesos",
      ],
    );
  });

  it("renders Marathon flags as --name value, booleans as --name / --disable_name", () => {
    assert.deepEqual(
      toCommandLine("marathon", "1.1.7", {
        master: "zk://zk1:2181/mesos",
        ha: true,
        checkpoint: false,
        max_tasks_per_offer: 20,
      }),
      ["--disable_checkpoint", "--ha", "--master", "zk://zk1:2181/mesos", "--max_tasks_per_offer", "20"],
    );
  });

  it("keeps a value with shell metacharacters as one argv entry", () => {
    assert.deepEqual(toCommandLine("mesos-master", "0.28.2", { cluster: "prod; rm -rf / $(id)" }), [
      "--cluster=prod; rm -rf / $(id)",
    ]);
  });

  it("throws a FlagError listing the errors instead of rendering what a component would refuse", () => {
    assert.throws(
      () => toCommandLine("mesos-slave", "0.28.2", { log_dir: "/var/log" }),
      (e: unknown) => {
        assert.ok(e instanceof FlagError);
        assert.equal(e.problems[0]?.flag, "log_dir");
        return true;
      },
    );
  });
});

describe("flagChanges", () => {
  it("lists what the 0.28 → 1.0 hop renames and requires on agents", () => {
    assert.deepEqual(flagChanges("mesos-slave", "0.28.2", "1.0.0"), [
      "Mesos agent 1.0.0: --work_dir is required (no default)",
      "Mesos agent 1.0.0: --docker_stop_timeout is deprecated",
      "Mesos agent 1.0.0: --slave_subsystems is renamed --agent_subsystems (the old name still loads, deprecated)",
    ]);
  });

  it("lists the docker_sandbox_directory rename without alias on the 0.23 → 0.24 hop", () => {
    assert.deepEqual(flagChanges("mesos-slave", "0.23.1", "0.24.2"), [
      "Mesos agent 0.24.0: --docker_sandbox_directory is renamed --sandbox_directory (the old name no longer loads)",
    ]);
  });

  it("lists Marathon 1.0's new defaults", () => {
    assert.deepEqual(flagChanges("marathon", "0.15.3", "1.0.0-RC1"), [
      "Marathon 1.0.0-RC1: --max_tasks_per_offer defaults to 5 (was 100)",
      "Marathon 1.0.0-RC1: --launch_tokens defaults to 100 (was 1000)",
      "Marathon 1.0.0-RC1: --reconciliation_interval defaults to 600000 (was 300000)",
    ]);
  });
});
