import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunningContainer } from "../../../observe/containers";
import { decideRun, PREFLIGHT_CHECKS, type RunDecision, type RunFacts } from "../../../stacks/decide";
import type { DiscoveredHost } from "../../../stacks/discover";
import { parseStackSettings } from "../../../stacks/settings";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

/** A running container of `image` with these arguments. */
function container(name: string, image: string, args: string[] = [], volumes: string[] = []): RunningContainer {
  return {
    id: name,
    name,
    image,
    imageId: `sha256:${name}`,
    running: true,
    path: "",
    args,
    env: { LANG: "C", MESOS_QUORUM: "1" },
    volumes,
    hostNetwork: true,
    privileged: false,
    restart: "always",
    pidHost: false,
  };
}

type Versions = { docker: string; mesos: string; marathon: string };

/** m1 (master + Marathon) and a1 (agent) at these versions, as discovery finds them. */
function cluster(v: Versions): DiscoveredHost[] {
  return [
    {
      name: "m1",
      address: "10.0.0.1",
      roles: ["mesos-master", "marathon"],
      leader: ["mesos-master", "marathon"],
      problems: [],
      versions: { docker: v.docker, "mesos-master": v.mesos, marathon: v.marathon },
      containers: {
        "mesos-master": container(
          "master",
          `mesosphere/mesos-master:${v.mesos}`,
          ["--zk=zk://10.0.0.1:2181/mesos", "--log_dir=/var/log/mesos"],
          ["/var/lib/mesos:/var/lib/mesos"],
        ),
        marathon: container("marathon", `mesosphere/marathon:v${v.marathon}`, [
          "--master",
          "zk://10.0.0.1:2181/mesos",
          "--checkpoint",
        ]),
      },
    },
    {
      name: "a1",
      address: "10.0.0.2",
      roles: ["mesos-slave"],
      leader: [],
      problems: [],
      versions: { docker: v.docker, "mesos-slave": v.mesos },
      containers: {
        "mesos-slave": container(
          "slave",
          `mesosphere/mesos-slave:${v.mesos}`,
          ["--master=zk://10.0.0.1:2181/mesos", `--docker_mesos_image=mesosphere/mesos-slave:${v.mesos}`],
          ["/var/run/docker.sock:/var/run/docker.sock"],
        ),
      },
    },
  ];
}

const SEED: Versions = { docker: "1.7.1", mesos: "0.22.1", marathon: "0.9.1" };

function facts(
  overrides: Omit<Partial<RunFacts>, "settings"> & { settings?: Record<string, unknown>; at?: Versions } = {},
): RunFacts {
  const { settings, at, ...rest } = overrides;
  return {
    stack: "test",
    settings: parseStackSettings({
      environment: "test",
      hosts: [
        { name: "m1", address: "10.0.0.1", roles: ["mesos-master", "marathon"], hostKeyFingerprint: FINGERPRINT },
        { name: "a1", address: "10.0.0.2", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
      ],
      targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
      ...settings,
    }),
    found: cluster(at ?? SEED),
    adopted: true,
    recordedBackups: [],
    previousCompleted: undefined,
    ...rest,
  };
}

/** m1 and six agents a1..a6 (10.0.0.2…7) at the seed's versions, in waves of at most two. */
function sixAgents(): RunFacts {
  const agents = ["a1", "a2", "a3", "a4", "a5", "a6"];
  const [master, agent] = cluster(SEED) as [DiscoveredHost, DiscoveredHost];
  return {
    ...facts(),
    found: [master, ...agents.map((name, i) => ({ ...agent, name, address: `10.0.0.${i + 2}` }))],
    settings: parseStackSettings({
      environment: "test",
      hosts: [
        { name: "m1", address: "10.0.0.1", roles: ["mesos-master", "marathon"], hostKeyFingerprint: FINGERPRINT },
        ...agents.map((name, i) => ({
          name,
          address: `10.0.0.${i + 2}`,
          roles: ["mesos-slave"],
          hostKeyFingerprint: FINGERPRINT,
        })),
      ],
      targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
      rollout: { maxUnavailableSlaves: 2 },
    }),
  };
}

function declared(decision: RunDecision): Extract<RunDecision, { kind: "declare" }> {
  if (decision.kind !== "declare") return assert.fail(`expected resources, got the refusal: ${decision.message}`);
  return decision;
}

describe("deciding a run", () => {
  it("lists the preflight checks in order, only the promotion gate overridable (by promotionOverride)", () => {
    assert.deepEqual(
      PREFLIGHT_CHECKS.map((c) => [c.name, c.override ?? "mandatory"]),
      [
        ["host-problems", "mandatory"],
        ["plan", "mandatory"],
        ["path-flags", "mandatory"],
        ["promotion-gate", "promotionOverride"],
        ["silence-window", "mandatory"],
        ["zookeeper-backup", "mandatory"],
      ],
    );
  });

  it("refuses with every host problem before planning anything", () => {
    const found = cluster(SEED).map((h) => ({
      ...h,
      problems: [`${h.name}: the Docker daemon does not answer \`docker version\``],
    }));
    const decision = decideRun(facts({ found }));
    assert.deepEqual(decision, {
      kind: "refuse",
      check: "host-problems",
      notices: [],
      message:
        "preflight: 2 host problem(s), nothing was touched:\n  m1: the Docker daemon does not answer `docker version`\n  a1: the Docker daemon does not answer `docker version`",
    });
  });

  it("refuses a plan the planner cannot make in the stack's own keys", () => {
    const decision = decideRun(
      facts({ settings: { targets: { docker: "1.11.2", mesos: "0.29.0", marathon: "1.1.7" } } }),
    );
    assert.equal(decision.kind, "refuse");
    assert.equal(decision.kind === "refuse" && decision.check, "plan");
    assert.match(decision.kind === "refuse" ? decision.message : "", /^plan: .*targets\.mesos/);
  });

  it("only adopts on a stack's first run: no step, every resource at the version it runs", () => {
    const decision = declared(decideRun(facts({ adopted: false })));
    assert.equal(decision.outputs.phase, "adopting");
    assert.deepEqual(decision.outputs.thisRun, []);
    assert.match(
      decision.notices[0].text,
      /^first run of stack "test": adopting the running cluster, nothing is restarted; the next run applies: \d+ step\(s\) of mesos/,
    );
    assert.deepEqual(
      decision.resources.map((r) => [r.name, r.args.version, r.dependsOn]),
      [
        ["a1-docker", "1.7.1", []],
        ["a1-mesos-slave", "0.22.1", []],
        ["m1-docker", "1.7.1", []],
        ["m1-mesos-master", "0.22.1", []],
        ["m1-marathon", "0.9.1", []],
      ],
    );
  });

  it("declares the plan's steps first, each wave after the wave before it, with the targets beside the versions", () => {
    const decision = declared(decideRun(facts()));
    const steps = decision.resources.filter((r) => r.wave !== undefined);
    assert.ok(steps.length > 0);
    assert.deepEqual(decision.resources.slice(0, steps.length), steps);
    assert.deepEqual(
      steps.map((s) => [s.name, s.args.version, s.args.targetVersion, s.dependsOn]),
      [
        ["m1-mesos-master", "0.22.2", "0.28.2", []],
        ["a1-mesos-slave", "0.22.2", "0.28.2", ["m1-mesos-master"]],
      ],
    );
    const docker = decision.resources.find((r) => r.name === "a1-docker");
    assert.equal(docker?.component, "docker");
    if (docker?.component === "docker") {
      assert.deepEqual(
        {
          version: docker.args.version,
          target: docker.args.targetVersion,
          runsAgent: docker.args.runsAgent,
          masters: docker.args.masters,
          mesos: docker.args.mesosVersion,
        },
        { version: "1.7.1", target: "1.11.2", runsAgent: true, masters: ["10.0.0.1"], mesos: "0.22.1" },
      );
    }
    assert.deepEqual(decision.outputs.thisRun, [
      "wave 1  m1       mesos-master  0.22.1 → 0.22.2",
      "wave 2  a1       mesos-slave   0.22.1 → 0.22.2",
    ]);
  });

  it("has each step wait for the wave right before it alone, so a step's dependencies do not grow with the cluster", () => {
    const decision = declared(decideRun(sixAgents()));
    const steps = decision.resources.filter((r) => r.wave !== undefined);
    const waves = [...new Set(steps.map((s) => s.wave as number))].sort((a, b) => a - b);
    assert.ok(waves.length >= 3, `several waves: ${JSON.stringify(steps.map((s) => [s.name, s.wave]))}`);
    for (const step of steps) {
      const before = waves.filter((w) => w < (step.wave as number)).pop();
      const expected = steps.filter((s) => s.wave === before).map((s) => s.name);
      assert.deepEqual(step.dependsOn, expected, `${step.name} (wave ${step.wave})`);
    }
    const last = steps[steps.length - 1] as (typeof steps)[number];
    assert.ok(
      last.dependsOn.length <= 2,
      `the last step waits for ${last.dependsOn.length} steps, not every earlier one`,
    );
  });

  it("waves the task-killing agent restarts of hosts that share no multi-instance app once Marathon's placement is known", () => {
    const agentWaves = (decision: Extract<RunDecision, { kind: "declare" }>) =>
      decision.plan.steps.filter((s) => s.component === "mesos-slave").map((s) => `${s.wave} ${s.host}`);
    const unknown = declared(decideRun(sixAgents()));
    assert.deepEqual(agentWaves(unknown), ["2 a1", "3 a2", "4 a3", "5 a4", "6 a5", "7 a6"], "alone while unknown");
    // Marathon names a task's host by address or by name; /harbor has one instance, so it constrains nothing.
    const placed = declared(
      decideRun({
        ...sixAgents(),
        apps: [
          { id: "/redis", instances: 2, tasks: [{ host: "10.0.0.2" }, { host: "a2" }] },
          { id: "/harbor", instances: 1, tasks: [{ host: "10.0.0.4" }] },
        ],
      }),
    );
    // a4..a6 run no task and go first; the /redis hosts a1 and a2 go apart, last.
    assert.deepEqual(agentWaves(placed), ["2 a4", "2 a5", "3 a1", "3 a6", "4 a2", "4 a3"]);
    assert.ok(placed.plan.steps.filter((s) => s.component === "mesos-slave").every((s) => s.killsTasks));
  });

  it("gives every resource the gates' pace only when the stack sets one, so a state written before sees no new input", () => {
    const paces = (decision: Extract<RunDecision, { kind: "declare" }>) =>
      decision.resources.map((r) => (r.args as { gateIntervalSeconds?: number }).gateIntervalSeconds);
    const usual = paces(declared(decideRun(facts())));
    assert.ok(usual.length > 0);
    assert.deepEqual(
      usual,
      usual.map(() => undefined),
    );
    const paced = paces(declared(decideRun(facts({ settings: { rollout: { gateIntervalSeconds: 0.1 } } }))));
    assert.deepEqual(
      paced,
      paced.map(() => 0.1),
    );
  });

  it("keeps an agent's running flags and mounts, adds the stack's, drops log_dir and the executor image derived from its own", () => {
    const decision = declared(decideRun(facts({ at: { docker: "1.11.2", mesos: "0.22.1", marathon: "0.9.1" } })));
    const agent = decision.resources.find((r) => r.name === "a1-mesos-slave");
    assert.equal(agent?.component, "mesos-slave");
    if (agent?.component !== "mesos-slave") return;
    assert.equal(agent.args.flags.master, "zk://10.0.0.1:2181/mesos");
    assert.equal(agent.args.flags.work_dir, "/data/mesos", "the stack's mesosSlave.workDir");
    assert.equal(agent.args.flags.docker_mesos_image, undefined);
    assert.deepEqual(agent.args.volumes, ["/data/mesos:/data/mesos", "/var/run/docker.sock:/var/run/docker.sock"]);
    assert.deepEqual(agent.args.env, { LANG: "C" }, "MESOS_* variables are rendered as arguments instead");
    const master = decision.resources.find((r) => r.name === "m1-mesos-master");
    assert.equal(master?.component === "mesos-master" && master.args.flags.log_dir, undefined);
    assert.equal(master?.component === "mesos-master" && master.args.flags.quorum, "1");
  });

  it("refuses hops the promotedFrom stack has not completed, and says what it overrides when given a reason", () => {
    const gated = decideRun(facts({ settings: { promotedFrom: "dev" }, previousCompleted: null }));
    assert.deepEqual(gated.kind === "refuse" && [gated.check, gated.message], [
      "promotion-gate",
      'promotion gate:\n  stack "dev" (promotedFrom) does not exist in this backend: run it first, or set promotionOverride to a reason',
    ]);
    const overridden = declared(
      decideRun(facts({ settings: { promotedFrom: "dev", promotionOverride: "hotfix" }, previousCompleted: null })),
    );
    assert.deepEqual(overridden.notices[0], {
      level: "warn",
      text: 'promotion gate overridden ("hotfix"):\n  stack "dev" (promotedFrom) does not exist in this backend: run it first, or set promotionOverride to a reason',
    });
    assert.deepEqual(overridden.outputs.promotionOverride, {
      reason: "hotfix",
      overridden: [
        'stack "dev" (promotedFrom) does not exist in this backend: run it first, or set promotionOverride to a reason',
      ],
    });
  });

  it("refuses agent restarts longer than the masters' silence window, naming the flags to raise", () => {
    const decision = decideRun(facts({ settings: { rollout: { agentRestartSeconds: 80 } } }));
    assert.equal(decision.kind === "refuse" && decision.check, "silence-window");
    assert.match(
      decision.kind === "refuse" ? decision.message : "",
      /^preflight: the masters declare a silent agent lost after 75s, but an agent restart takes up to 80s: its tasks would be LOST\. Raise nothing on 0\.22 \(hard-coded 15s × 5\): upgrade the masters to 0\.23 first/,
    );
  });
});

describe("flags judged at every release on the path", () => {
  const at = { docker: "1.11.2", mesos: "1.8.1", marathon: "1.8.244" };
  const targets = { docker: "1.11.2", mesos: "1.11.0", marathon: "1.10.26" };
  const whitelist = (...types: string[]) => JSON.stringify({ capabilities: types.map((type) => ({ type })) });
  const BASE = ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT", "AGENT_OPERATION_FEEDBACK"];

  it("refuses the first run whose agents' whitelist a later release on the way refuses, naming the release and what to add", () => {
    const decision = decideRun(
      facts({ at, settings: { targets, mesosSlave: { flags: { agent_features: whitelist(...BASE) } } } }),
    );
    assert.equal(decision.kind === "refuse" && decision.check, "path-flags");
    const message = decision.kind === "refuse" ? decision.message : "";
    assert.match(message, /^preflight: 1 flag problem\(s\) on the way to the targets, nothing was touched:/);
    assert.match(
      message,
      /mesosSlave\.flags\.agent_features at Mesos 1\.9\.0: --agent_features does not enable AGENT_DRAINING: Mesos 1\.9\.0 requires AGENT_DRAINING .*add \{"type": "AGENT_DRAINING"\} to its "capabilities".* \(on a1\)$/,
    );
  });

  it("takes a whitelist that names every release's capabilities ahead of time", () => {
    const all = [...BASE, "AGENT_DRAINING", "RESOURCE_PROVIDER", "TASK_RESOURCE_LIMITS"];
    const decision = declared(
      decideRun(facts({ at, settings: { targets, mesosSlave: { flags: { agent_features: whitelist(...all) } } } })),
    );
    assert.ok(decision.plan.paths.mesos.includes("1.11.0"), "the path reaches 1.11.0");
  });
});

describe("the ZooKeeper backup of a Marathon storage migration", () => {
  const atMarathonHop = { docker: "1.11.2", mesos: "0.24.2", marathon: "0.10.0" };

  it("declares the backup first and makes every resource wait for it", () => {
    const decision = declared(decideRun(facts({ at: atMarathonHop })));
    assert.deepEqual(
      decision.backups.map((b) => [b.name, b.args.connections.map((c) => c.name), b.args.dataDir, b.args.reason]),
      [["zookeeper-backup-marathon-0.10.0-0.11.0", ["m1"], "/var/lib/zookeeper", "marathon 0.10.0 → 0.11.0"]],
    );
    assert.ok(decision.resources.every((r) => r.dependsOn[0] === "zookeeper-backup-marathon-0.10.0-0.11.0"));
    assert.ok(
      decision.notices.some((n) =>
        /^preflight: marathon 0\.10\.0 → 0\.11\.0 migrates Marathon's storage \(at [^)]+\); ZooKeeper's \/var\/lib\/zookeeper on m1 is archived to \/var\/backups\/mesos-upgrade before anything is touched$/.test(
          n.text,
        ),
      ),
    );
    assert.deepEqual(decision.outputs.zookeeperBackups, [
      {
        from: "0.10.0",
        to: "0.11.0",
        hosts: ["m1"],
        dataDir: "/var/lib/zookeeper",
        backupDir: "/var/backups/mesos-upgrade",
      },
    ]);
  });

  it("refuses when zookeeper.hosts names a host the stack does not have", () => {
    // The settings check refuses such a name first; the decision still refuses settings made by other code.
    const base = facts({ at: atMarathonHop });
    const decision = decideRun({
      ...base,
      settings: { ...base.settings, zookeeper: { ...base.settings.zookeeper, hosts: ["zk9"] } },
    });
    assert.deepEqual(decision.kind === "refuse" && [decision.check, decision.message], [
      "zookeeper-backup",
      "preflight: marathon 0.10.0 → 0.11.0 migrates Marathon's storage and needs a ZooKeeper backup first, but zookeeper.hosts names \"zk9\", not among the stack's hosts; set zookeeper.hosts to the hosts that run ZooKeeper",
    ]);
  });

  it("keeps declaring the backups earlier runs took while one of their hosts is the stack's", () => {
    const kept = { from: "0.9.1", to: "0.11.1", hosts: ["m1"], dataDir: "/var/lib/zookeeper", backupDir: "/b" };
    const gone = { ...kept, from: "0.8.0", hosts: ["old"] };
    const decision = declared(decideRun(facts({ recordedBackups: [kept, gone] })));
    assert.deepEqual(
      decision.backups.map((b) => b.name),
      ["zookeeper-backup-marathon-0.9.1-0.11.1"],
    );
    assert.ok(
      decision.resources.every((r) => !r.dependsOn.includes("zookeeper-backup-marathon-0.9.1-0.11.1")),
      "an old backup holds nothing back",
    );
  });
});
