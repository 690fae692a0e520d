import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applySteps, forecastRollout, pathsOf, type HostVersions } from "../../../stacks/rollout";
import { settingsChangesBetween } from "../../../stacks/review-settings";
import { parseStackSettings, type StackSettings } from "../../../stacks/settings";
import { renderForecast } from "../../../stacks/review-report";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

/** A stack of one master (with Marathon) and two agents, overridable. */
function stack(overrides: Record<string, unknown> = {}): StackSettings {
  const host = (name: string, roles: string[]) => ({
    name,
    address: "10.0.0.1",
    roles,
    hostKeyFingerprint: FINGERPRINT,
  });
  return parseStackSettings({
    environment: "prod",
    hosts: [host("m1", ["mesos-master", "marathon"]), host("a1", ["mesos-slave"]), host("a2", ["mesos-slave"])],
    targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    ...overrides,
  });
}

const seed: HostVersions = {
  m1: { docker: "1.7.1", "mesos-master": "0.22.1", marathon: "0.9.1" },
  a1: { docker: "1.7.1", "mesos-slave": "0.22.1" },
  a2: { docker: "1.7.1", "mesos-slave": "0.22.1" },
};

describe("the forecast of a stack's remaining rollout", () => {
  it("plans run after run from the versions each run leaves until every host is at its target", () => {
    const forecast = forecastRollout(stack(), seed, { recorded: true });
    assert.deepEqual(forecast.refusals, []);
    const last = forecast.runs[forecast.runs.length - 1];
    assert.equal(last?.plan.phase, "converged");
    assert.equal(last?.plan.steps.length, 0);
    const final = forecast.runs.slice(0, -1).reduce((versions, run) => applySteps(versions, run.plan.steps), seed);
    assert.deepEqual(final, {
      m1: { docker: "1.11.2", "mesos-master": "0.28.2", marathon: "1.1.7" },
      a1: { docker: "1.11.2", "mesos-slave": "0.28.2" },
      a2: { docker: "1.11.2", "mesos-slave": "0.28.2" },
    });
    assert.deepEqual(
      forecast.runs.map((r) => r.run),
      forecast.runs.map((_, i) => i + 1),
    );
    assert.equal(forecast.adopting, false);
  });

  it("counts task-killing restarts where the plan marks them: Docker before 1.12 on agents, 0.22 agents, the switch into executor containers", () => {
    const forecast = forecastRollout(stack(), seed, { recorded: true });
    const killing = forecast.runs
      .filter((r) => r.taskKillingRestarts.length)
      .map(
        (r) => `${r.plan.phase} ${r.plan.steps[0]?.from} → ${r.plan.steps[0]?.to}: ${r.taskKillingRestarts.join(", ")}`,
      );
    assert.deepEqual(
      killing,
      ["mesos 0.22.1 → 0.22.2: a1, a2", "docker 1.7.1 → 1.11.2: a1, a2", "mesos 0.22.2 → 0.23.1: a1, a2"],
      "m1 restarts too, but runs no tasks; agents keep their tasks from their first 0.23 restart on",
    );
    const dockerRun = forecast.runs.find((r) => r.plan.phase === "docker");
    assert.match(
      dockerRun?.downtime.find((line) => line.startsWith("docker ")) ?? "",
      /^docker 1\.7\.1 → 1\.11\.2 on 2 hosts \(a1, a2\) stops each host's tasks \(Docker 1\.7\.1 stops every container when the engine restarts/,
    );
    // m1 is the only Marathon: its restarts take Marathon's API down, but no task.
    assert.ok(
      forecast.runs
        .filter((r) => r.plan.phase === "marathon")
        .every(
          (r) =>
            r.taskKillingRestarts.length === 0 &&
            r.downtime.length === 1 &&
            /^Marathon's API \(m1:8080\) is down while Marathon \S+ → \S+ restarts on m1: it is the only Marathon/.test(
              r.downtime[0] ?? "",
            ),
        ),
    );
  });

  it("forecasts a single host's outages without promising another host: every API and app a step stops there", () => {
    const dev = stack({
      hosts: [
        {
          name: "dev1",
          address: "10.0.0.31",
          roles: ["mesos-master", "mesos-slave", "marathon"],
          hostKeyFingerprint: FINGERPRINT,
        },
      ],
    });
    const forecast = forecastRollout(
      dev,
      { dev1: { docker: "1.7.1", "mesos-master": "0.22.1", "mesos-slave": "0.22.1", marathon: "0.9.1" } },
      { recorded: true },
    );
    const lines = forecast.runs.flatMap((r) => r.downtime);
    assert.ok(lines.length > 0);
    assert.ok(
      lines.every((line) => !line.includes("elsewhere")),
      lines.find((line) => line.includes("elsewhere")),
    );
    const docker = forecast.runs.find((r) => r.plan.phase === "docker");
    assert.ok(
      docker?.downtime.some((line) =>
        /^every app with a task on dev1 is down while Docker 1\.7\.1 → 1\.11\.2 restarts on dev1 .*there is no other host/.test(
          line,
        ),
      ),
      docker?.downtime.join("\n"),
    );
    assert.ok(
      forecast.runs
        .filter((r) => r.plan.phase === "marathon")
        .every((r) => r.downtime.every((line) => line.startsWith("Marathon's API (dev1:8080) is down"))),
    );
  });

  it("walks each layer's path hop by hop", () => {
    const paths = pathsOf(forecastRollout(stack(), seed, { recorded: true }));
    assert.deepEqual(paths.mesos, ["0.22.2", "0.23.1", "0.24.2", "0.25.1", "0.26.2", "0.27.3", "0.28.2"]);
    assert.equal(paths.docker[paths.docker.length - 1], "1.11.2");
    assert.equal(paths.marathon[paths.marathon.length - 1], "1.1.7");
  });

  it("batches agents by rollout.maxUnavailableSlaves where restarts keep tasks, one at a time where they kill them", () => {
    const agentWaves = (settings: StackSettings, hop: string) => {
      const run = forecastRollout(settings, seed, { recorded: true }).runs.find(
        (r) => r.plan.phase === "mesos" && `${r.plan.steps[0]?.from} → ${r.plan.steps[0]?.to}` === hop,
      );
      return new Set(run?.plan.steps.filter((s) => s.component === "mesos-slave").map((s) => s.wave)).size;
    };
    assert.equal(agentWaves(stack(), "0.24.2 → 0.25.1"), 2);
    assert.equal(agentWaves(stack({ rollout: { maxUnavailableSlaves: 2 } }), "0.24.2 → 0.25.1"), 1);
    assert.equal(
      agentWaves(stack({ rollout: { maxUnavailableSlaves: 2 } }), "0.22.1 → 0.22.2"),
      2,
      "0.22 agents' executors die with them",
    );
  });

  it("says the first run only adopts when the versions are not the stack's own record", () => {
    assert.equal(forecastRollout(stack(), seed, { recorded: false }).adopting, true);
  });

  it("refuses a host of the stack file without versions, naming it and the fix", () => {
    const { a2: _a2, ...partial } = seed;
    const forecast = forecastRollout(stack(), partial, { recorded: false });
    assert.deepEqual(forecast.runs, []);
    assert.match(
      forecast.refusals[0] ?? "",
      /^no versions for host\(s\) "a2" of the stack file: give them in the hosts file/,
    );
  });

  it("refuses the next run when the promotedFrom stack has not completed its hop, and lists later gated runs", () => {
    const settings = stack({ promotedFrom: "demo" });
    const gated = forecastRollout(settings, seed, {
      recorded: true,
      previousCompleted: { docker: "1.7.1", mesos: "0.22.1", marathon: "0.9.1" },
    });
    assert.match(
      gated.refusals[0] ?? "",
      /^promotion gate \(next run\):\n  mesos 0\.22\.1 → 0\.22\.2 is not completed in stack "demo" \(it runs mesos 0\.22\.1\)/,
    );
    assert.ok(gated.runs.slice(1).some((r) => r.gated.length > 0));
    const done = forecastRollout(settings, seed, {
      recorded: true,
      previousCompleted: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    });
    assert.deepEqual(done.refusals, []);
    assert.ok(done.runs.every((r) => r.gated.length === 0));
    const missing = forecastRollout(settings, seed, { recorded: true, previousCompleted: null });
    assert.match(missing.refusals[0] ?? "", /stack "demo" \(promotedFrom\) has no recorded versions/);
    assert.deepEqual(
      forecastRollout(settings, seed, { recorded: true }).refusals,
      [],
      "an unread record is not checked",
    );
  });

  it("keeps the gate open when promotionOverride gives a reason", () => {
    const forecast = forecastRollout(
      stack({ promotedFrom: "demo", promotionOverride: "hotfix approved by ops" }),
      seed,
      { recorded: true, previousCompleted: null },
    );
    assert.deepEqual(forecast.refusals, []);
    assert.ok(forecast.runs[0]?.gated.length);
  });

  it("refuses versions the planner cannot plan, naming them", () => {
    const forecast = forecastRollout(
      stack(),
      { ...seed, a1: { docker: "1.7.1", "mesos-slave": "0.99.0" } },
      { recorded: true },
    );
    assert.match(forecast.refusals[0] ?? "", /^plan: .*0\.99\.0/);
  });

  it("warns when the stack's master flags leave agents too short a silence window", () => {
    const forecast = forecastRollout(stack({ rollout: { agentRestartSeconds: 200 } }), seed, { recorded: true });
    assert.ok(
      forecast.warnings.some((w) =>
        /^run \d+: unless the running masters already set longer timeouts, the masters declare a silent agent lost after 75s/.test(
          w,
        ),
      ),
    );
  });
});

describe("the review of a whole-cluster Marathon hop (1.1 → 1.3)", () => {
  const host = (name: string, roles: string[]) => ({
    name,
    address: "10.0.0.1",
    roles,
    hostKeyFingerprint: FINGERPRINT,
  });
  const settings = parseStackSettings({
    environment: "prod",
    hosts: [
      host("m1", ["mesos-master", "marathon"]),
      host("m2", ["mesos-master", "marathon"]),
      host("a1", ["mesos-slave"]),
      host("a2", ["mesos-slave"]),
    ],
    targets: { docker: "1.11.2", mesos: "1.0.1", marathon: "1.3.14" },
    zookeeper: { hosts: ["m1"] },
  });
  const versions: HostVersions = {
    m1: { docker: "1.11.2", "mesos-master": "1.0.1", marathon: "1.1.7" },
    m2: { docker: "1.11.2", "mesos-master": "1.0.1", marathon: "1.1.7" },
    a1: { docker: "1.11.2", "mesos-slave": "1.0.1" },
    a2: { docker: "1.11.2", "mesos-slave": "1.0.1" },
  };

  it("marks the wave whole-cluster, and says Marathon's API is down until a 1.3.14 instance leads while tasks keep running", () => {
    const forecast = forecastRollout(settings, versions, { recorded: true });
    const text = renderForecast("prod", forecast, { kind: "hosts-file", file: "hosts.json", why: "given" }).join("\n");
    assert.match(
      text,
      /wave 1 \(whole-cluster: every instance stops, then all start\): marathon 1\.1\.7 → 1\.3\.14 on 2 hosts \(m1, m2\)\n/,
    );
    assert.match(
      text,
      /downtime: Marathon's API \(every instance: m\d, m\d\) is down from the first stop until a 1\.3\.14 instance leads[^\n]*running tasks keep running/,
    );
    assert.match(
      text,
      /note \[marathon\]: whole-cluster restart: all 2 Marathon instance\(s\) stop before any starts at 1\.3\.14/,
    );
  });
});

describe("the review's settings steps", () => {
  const changed = () =>
    stack({ docker: { logDriver: "none" }, mesosSlave: { flags: { docker_remove_delay: "12hrs" } } });

  it("names each host's restart for what the change alters against the base: the log driver everywhere, agent flags on agents", () => {
    const base = stack();
    assert.deepEqual(
      settingsChangesBetween(base, changed()).map((c) => `${c.host} ${c.component}: ${c.change}`),
      [
        `m1 docker: log driver ${base.docker.logDriver} → none (docker.logDriver)`,
        `a1 docker: log driver ${base.docker.logDriver} → none (docker.logDriver)`,
        `a1 mesos-slave: flag docker_remove_delay ${String(base.mesosSlave.flags.docker_remove_delay ?? "(unset)")} → 12hrs (mesosSlave.flags)`,
        `a2 docker: log driver ${base.docker.logDriver} → none (docker.logDriver)`,
        `a2 mesos-slave: flag docker_remove_delay ${String(base.mesosSlave.flags.docker_remove_delay ?? "(unset)")} → 12hrs (mesosSlave.flags)`,
      ],
    );
    assert.deepEqual(settingsChangesBetween(base, stack()), [], "the same file changes nothing");
  });

  it("forecasts settings restarts at the targets as the run plans them: one layer per run, agents one per wave, task-killing ones marked", () => {
    const atTargets: HostVersions = {
      m1: { docker: "1.11.2", "mesos-master": "0.28.2", marathon: "1.1.7" },
      a1: { docker: "1.11.2", "mesos-slave": "0.28.2" },
      a2: { docker: "1.11.2", "mesos-slave": "0.28.2" },
    };
    const settings = changed();
    const forecast = forecastRollout(settings, atTargets, {
      recorded: true,
      settingsChanges: settingsChangesBetween(stack(), settings),
    });
    assert.deepEqual(forecast.refusals, []);
    const shape = forecast.runs.map((r) => ({
      phase: r.plan.phase,
      steps: r.plan.steps.map(
        (s) => `w${s.wave} ${s.host} ${s.component} ${s.from}=${s.to}${s.killsTasks ? " kills" : ""}`,
      ),
      killing: r.taskKillingRestarts,
    }));
    assert.deepEqual(
      shape.map((r) => r.phase),
      ["settings", "settings", "converged"],
    );
    // Docker 1.11 stops its containers (before 1.12's live restore); an agent this forecast has not restarted counts as
    // without executor containers (planInputOf), so its restart is marked too.
    assert.deepEqual(shape, [
      {
        phase: "settings",
        steps: ["w1 m1 docker 1.11.2=1.11.2", "w2 a1 docker 1.11.2=1.11.2 kills", "w3 a2 docker 1.11.2=1.11.2 kills"],
        killing: ["a1", "a2"],
      },
      {
        phase: "settings",
        steps: ["w1 a1 mesos-slave 0.28.2=0.28.2 kills", "w2 a2 mesos-slave 0.28.2=0.28.2 kills"],
        killing: ["a1", "a2"],
      },
      { phase: "converged", steps: [], killing: [] },
    ]);
    const agentRun = forecast.runs[1];
    assert.ok(agentRun);
    assert.deepEqual(
      agentRun.plan.steps.map((s) => [s.host, s.component, s.settings]),
      [
        [
          "a1",
          "mesos-slave",
          "flag docker_remove_delay " +
            String(stack().mesosSlave.flags.docker_remove_delay ?? "(unset)") +
            " → 12hrs (mesosSlave.flags)",
        ],
        [
          "a2",
          "mesos-slave",
          "flag docker_remove_delay " +
            String(stack().mesosSlave.flags.docker_remove_delay ?? "(unset)") +
            " → 12hrs (mesosSlave.flags)",
        ],
      ],
    );
    assert.equal(new Set(agentRun.plan.steps.map((s) => s.wave)).size, 2, "one agent per wave");
    for (const run of forecast.runs) {
      assert.deepEqual(run.taskKillingRestarts, [
        ...new Set(run.plan.steps.filter((s) => s.killsTasks).map((s) => s.host)),
      ]);
    }
  });

  it("leaves an agent flag to the agents' version hops, and the log driver to a settings run after the last hop", () => {
    const settings = changed();
    const forecast = forecastRollout(settings, seed, {
      recorded: true,
      settingsChanges: settingsChangesBetween(stack(), settings),
    });
    assert.deepEqual(forecast.refusals, []);
    const settingsRuns = forecast.runs.filter((r) => r.plan.phase === "settings");
    assert.deepEqual(
      settingsRuns.map((r) => r.plan.steps.map((s) => `${s.host} ${s.component}`)),
      [["m1 docker", "a1 docker", "a2 docker"]],
    );
    const hops = forecast.runs.filter((r) => r.plan.phase !== "settings" && r.plan.steps.length > 0);
    assert.ok(
      (settingsRuns[0]?.run ?? 0) > (hops[hops.length - 1]?.run ?? Infinity),
      "the settings run comes after every version hop",
    );
  });
});
