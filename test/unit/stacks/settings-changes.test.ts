import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunningContainer } from "../../../observe/containers";
import { decideRun, type RunDecision, type RunFacts } from "../../../stacks/decide";
import type { DiscoveredHost } from "../../../stacks/discover";
import { containerSettingsState, logDriverThisRun, settingsChangesOf } from "../../../stacks/settings-changes";
import { parseStackSettings } from "../../../stacks/settings";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
const AT = { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" };
const AGENTS = ["a1", "a2", "a3", "a4"];

function container(name: string, image: string, args: string[], volumes: string[], pidHost = false): RunningContainer {
  return {
    id: name,
    name,
    image,
    imageId: `sha256:${name}`,
    running: true,
    path: "",
    args,
    env: {},
    volumes,
    hostNetwork: true,
    privileged: pidHost,
    restart: "always",
    pidHost,
  };
}

/** An agent at 0.28.2 as the provider leaves it: the seed's flags, its work dir mounted, executor containers. */
function agentContainer(
  flags: Record<string, string> = {},
  volumes = ["/data/mesos:/data/mesos", "/var/run/docker.sock:/var/run/docker.sock"],
): RunningContainer {
  const all = {
    cgroups_limit_swap: "true",
    containerizers: "docker,mesos",
    docker_mesos_image: "mesosphere/mesos-slave:0.28.2",
    docker_remove_delay: "6hrs",
    master: "zk://10.0.0.1:2181/mesos",
    work_dir: "/data/mesos",
    ...flags,
  };
  return container(
    "mesos_slave",
    "mesosphere/mesos-slave:0.28.2",
    Object.entries(all).map(([k, v]) => `--${k}=${v}`),
    volumes,
    true,
  );
}

/**
 * The seed's cluster at its targets: m1 (master + Marathon, leading) and four agents, with `agent` overriding a1's
 * container.
 */
function converged(a1?: RunningContainer, logDriver = "json-file"): DiscoveredHost[] {
  return [
    {
      name: "m1",
      address: "10.0.0.1",
      roles: ["mesos-master", "marathon"],
      leader: ["mesos-master", "marathon"],
      problems: [],
      dockerLogDriver: logDriver,
      versions: { docker: AT.docker, "mesos-master": AT.mesos, marathon: AT.marathon },
      containers: {
        "mesos-master": container(
          "mesos_master",
          "mesosphere/mesos-master:0.28.2",
          ["--zk=zk://10.0.0.1:2181/mesos", "--quorum=1", "--work_dir=/var/lib/mesos"],
          ["/var/lib/mesos:/var/lib/mesos"],
        ),
        marathon: container(
          "marathon",
          "mesosphere/marathon:v1.1.7",
          ["--master", "zk://10.0.0.1:2181/mesos", "--zk", "zk://10.0.0.1:2181/marathon"],
          [],
        ),
      },
    },
    ...AGENTS.map((name, i): DiscoveredHost => ({
      name,
      address: `10.0.0.${i + 2}`,
      roles: ["mesos-slave"],
      leader: [],
      problems: [],
      dockerLogDriver: logDriver,
      versions: { docker: AT.docker, "mesos-slave": AT.mesos },
      containers: { "mesos-slave": name === "a1" && a1 ? a1 : agentContainer() },
    })),
  ];
}

function facts(found: readonly DiscoveredHost[], settings: Record<string, unknown> = {}): RunFacts {
  return {
    stack: "test",
    settings: parseStackSettings({
      environment: "test",
      hosts: found.map((h) => ({ name: h.name, address: h.address, roles: h.roles, hostKeyFingerprint: FINGERPRINT })),
      targets: AT,
      mesosSlave: {
        workDir: "/data/mesos",
        flags: { cgroups_limit_swap: true, docker_remove_delay: "6hrs", containerizers: "docker,mesos" },
      },
      ...settings,
    }),
    found,
    adopted: true,
    recordedBackups: [],
    previousCompleted: undefined,
  };
}

const withAgentFlags = (flags: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  mesosSlave: {
    workDir: "/data/mesos",
    flags: { cgroups_limit_swap: true, docker_remove_delay: "6hrs", containerizers: "docker,mesos", ...flags },
  },
  ...more,
});

function declared(decision: RunDecision): Extract<RunDecision, { kind: "declare" }> {
  if (decision.kind !== "declare") return assert.fail(`expected resources, got the refusal: ${decision.message}`);
  return decision;
}

const agentFlag = (decision: Extract<RunDecision, { kind: "declare" }>, host: string, flag: string) => {
  const resource = decision.resources.find((r) => r.name === `${host}-mesos-slave`);
  return resource?.component === "mesos-slave" ? resource.args.flags[flag] : undefined;
};

describe("settings of masters, agents and Marathon against what each host runs", () => {
  it('finds nothing to change when every stack flag runs with the same value, written either way (true and "true")', () => {
    const settings = facts(converged()).settings;
    assert.deepEqual(settingsChangesOf(converged(), settings), []);
  });

  it("counts a flag left unset as in effect when the version's default is the stack's value", () => {
    const settings = facts(converged()).settings;
    const a1 = agentContainer();
    const withoutDelay = { ...a1, args: a1.args.filter((a) => !a.startsWith("--docker_remove_delay")) };
    const host = converged(withoutDelay)[1] as DiscoveredHost;
    assert.deepEqual(containerSettingsState("mesos-slave", host, settings).changes, []);
  });

  it("names each agent whose running flag differs from the stack's, with the value it runs and the one it gets", () => {
    const settings = facts(converged(), withAgentFlags({ docker_remove_delay: "12hrs" })).settings;
    assert.deepEqual(
      settingsChangesOf(converged(), settings),
      AGENTS.map((host) => ({
        host,
        component: "mesos-slave",
        change: "flag docker_remove_delay 6hrs → 12hrs (mesosSlave.flags)",
      })),
    );
  });

  it("holds a changed flag the agent runs by default at its default until the agent's step, so the seed's required settings stay in its inputs", () => {
    const a1 = agentContainer();
    const withoutDelay = { ...a1, args: a1.args.filter((a) => !a.startsWith("--docker_remove_delay")) };
    const found = converged(withoutDelay);
    const settings = facts(found, withAgentFlags({ docker_remove_delay: "12hrs" })).settings;
    const state = containerSettingsState("mesos-slave", found[1] as DiscoveredHost, settings);
    assert.deepEqual(state.changes, ["flag docker_remove_delay 6hrs → 12hrs (mesosSlave.flags)"]);
    assert.equal(state.inEffect.flags.docker_remove_delay, "6hrs");
    const behind = found.map((h) =>
      h.name === "m1"
        ? {
            ...h,
            versions: { ...h.versions, marathon: "1.1.5" },
            containers: {
              ...h.containers,
              marathon: container(
                "marathon",
                "mesosphere/marathon:v1.1.5",
                ["--master", "zk://10.0.0.1:2181/mesos"],
                [],
              ),
            },
          }
        : h,
    );
    const decision = declared(decideRun(facts(behind, withAgentFlags({ docker_remove_delay: "12hrs" }))));
    assert.equal(agentFlag(decision, "a1", "docker_remove_delay"), "6hrs");
  });

  it("names a master's and Marathon's flag changes under their own stack keys", () => {
    const settings = facts(converged(), {
      mesosMaster: { flags: { max_slave_ping_timeouts: 10 } },
      marathon: { flags: { task_launch_timeout: 600000 } },
    }).settings;
    const changes = settingsChangesOf(converged(), settings).map((c) => `${c.host} ${c.component}: ${c.change}`);
    assert.deepEqual(changes, [
      "m1 mesos-master: flag max_slave_ping_timeouts 5 → 10 (mesosMaster.flags)",
      "m1 marathon: flag task_launch_timeout 300000 → 600000 (marathon.flags)",
    ]);
  });

  it("names a work dir the agent does not run and mount as a change of its flag and its volume", () => {
    const settings = facts(converged()).settings;
    const moved = { ...settings, mesosSlave: { ...settings.mesosSlave, workDir: "/srv/mesos" } };
    assert.deepEqual(containerSettingsState("mesos-slave", converged()[1] as DiscoveredHost, moved).changes, [
      "work dir /data/mesos → /srv/mesos, mounted -v /srv/mesos:/srv/mesos (mesosSlave.workDir)",
    ]);
  });

  it("leaves an agent that lacks the seed's required settings to its next version hop, as before (its inputs keep the stack's settings)", () => {
    const bare = agentContainer({ work_dir: "/tmp/mesos" }, ["/var/run/docker.sock:/var/run/docker.sock"]);
    const settings = facts(converged(bare)).settings;
    const state = containerSettingsState("mesos-slave", converged(bare)[1] as DiscoveredHost, settings);
    assert.deepEqual(state.changes, []);
    assert.equal(state.inEffect.workDir, "/data/mesos");
  });
});

describe("an agent flag changed on a converged cluster is a run of settings steps in waves", () => {
  it("restarts the agents one per wave with batch size 1, each getting the new flag at its own step", () => {
    const decision = declared(decideRun(facts(converged(), withAgentFlags({ docker_remove_delay: "12hrs" }))));
    assert.equal(decision.plan.phase, "settings");
    assert.deepEqual(
      decision.plan.steps.map((s) => [s.wave, s.host, s.component, s.settings]),
      AGENTS.map((host, i) => [i + 1, host, "mesos-slave", "flag docker_remove_delay 6hrs → 12hrs (mesosSlave.flags)"]),
    );
    for (const host of AGENTS) assert.equal(agentFlag(decision, host, "docker_remove_delay"), "12hrs", host);
    const a2 = decision.resources.find((r) => r.name === "a2-mesos-slave");
    assert.deepEqual(a2?.dependsOn, ["a1-mesos-slave"], "a2's step waits for a1's wave");
    assert.match(decision.notices.map((n) => n.text).join("\n"), /a1\s+mesos-slave\s+0\.28\.2\s+restart \(settings\)/);
  });

  it("keeps tasks at these restarts (executor containers from 0.23), so agents go two per wave with batch size 2", () => {
    const decision = declared(
      decideRun(
        facts(converged(), withAgentFlags({ docker_remove_delay: "12hrs" }, { rollout: { maxUnavailableSlaves: 2 } })),
      ),
    );
    assert.deepEqual(
      decision.plan.steps.map((s) => `${s.wave} ${s.host}`),
      ["1 a1", "1 a2", "2 a3", "2 a4"],
    );
    assert.ok(decision.plan.steps.every((s) => s.killsTasks === undefined));
  });

  it("marks an agent restart that would move its executors into their own containers as task-killing, alone in its wave", () => {
    const a1 = agentContainer();
    const noExecutorContainers = { ...a1, pidHost: false };
    const decision = declared(
      decideRun(
        facts(
          converged(noExecutorContainers),
          withAgentFlags({ docker_remove_delay: "12hrs" }, { rollout: { maxUnavailableSlaves: 2 } }),
        ),
      ),
    );
    const step = decision.plan.steps.find((s) => s.host === "a1");
    assert.match(step?.killsTasks ?? "", /moves its executors into their own containers/);
    assert.deepEqual(
      decision.plan.steps.filter((s) => s.wave === step?.wave).map((s) => s.host),
      ["a1"],
    );
  });

  it("holds the new flag back while a version hop remains: no agent gets it and none restarts", () => {
    const behind = converged().map((h) =>
      h.name === "m1"
        ? {
            ...h,
            versions: { ...h.versions, marathon: "1.1.5" },
            containers: {
              ...h.containers,
              marathon: container(
                "marathon",
                "mesosphere/marathon:v1.1.5",
                ["--master", "zk://10.0.0.1:2181/mesos"],
                [],
              ),
            },
          }
        : h,
    );
    const decision = declared(decideRun(facts(behind, withAgentFlags({ docker_remove_delay: "12hrs" }))));
    assert.equal(decision.plan.phase, "marathon");
    for (const host of AGENTS) {
      assert.equal(agentFlag(decision, host, "docker_remove_delay"), "6hrs", `${host} keeps the flag it runs`);
    }
    assert.match(
      decision.notices.map((n) => n.text).join("\n"),
      /settings changes waiting for a later run[\s\S]*mesos-slave on 4 hosts \(a1\.\.a4\): flag docker_remove_delay 6hrs → 12hrs/,
    );
  });

  it("changes Docker's log driver only at a settings step, never at a version hop", () => {
    const host = converged()[1] as DiscoveredHost;
    const hop = { seq: 1, wave: 1, host: "a1", component: "docker" as const, from: "1.7.1", to: "1.11.2" };
    assert.equal(logDriverThisRun(host, hop, { logDriver: "none" }), "json-file");
    assert.equal(
      logDriverThisRun(
        host,
        { ...hop, from: "1.11.2", settings: "log driver json-file → none" },
        { logDriver: "none" },
      ),
      "none",
    );
    assert.equal(logDriverThisRun(host, undefined, { logDriver: "none" }), "json-file");
  });
});
