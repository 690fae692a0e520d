// `npm run -s review`: the repository's stack files with a hosts file, a change against a git ref, and versions
// recorded in a real backend.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { forecastRollout, type HostVersions } from "../../../stacks/rollout";
import { rawConfigOf, settingsOf } from "../../../stacks/review";
import { hasNoOtherHost } from "../../../stacks/singleHost";
import { repoRoot } from "../../../toolchain/paths";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";
import { tempDir } from "../../support/tmp";

const REVIEW = path.join(repoRoot, "dist", "stacks", "review.js");
const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

/** Runs the review command as CI would: no backend login unless `env` gives one. */
function review(args: readonly string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [REVIEW, ...args], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(result.stderr, "", "the review writes its report to stdout only");
  return { status: result.status, stdout: result.stdout };
}

/** Host versions at the seed's starting point for every host of a committed stack file. */
function seedVersions(stack: string): HostVersions {
  const file = parseYaml(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, Array<{ name: string; roles: string[] }>>;
  };
  return Object.fromEntries(
    file.config["mesos-upgrade:hosts"].map((h) => [
      h.name,
      {
        docker: "1.7.1",
        ...Object.fromEntries(h.roles.map((role) => [role, role === "marathon" ? "0.9.1" : "0.22.1"])),
      },
    ]),
  );
}

function git(dir: string, ...args: string[]): void {
  execFileSync("git", ["-C", dir, "-c", "user.name=ci", "-c", "user.email=ci@example.com", ...args], {
    stdio: "ignore",
  });
}

describe("reviewing a stack file change without the hosts", () => {
  let toolchain: Toolchain;
  before(async () => {
    toolchain = await ensureToolchain();
  });

  for (const stack of ["test", "dev", "demo", "prod", "newest"]) {
    it(`reviews the repository's Pulumi.${stack}.yaml with a hosts file: its placeholders refused, its whole rollout printed`, (t) => {
      const dir = tempDir(t);
      const hostsFile = path.join(dir, "hosts.json");
      fs.writeFileSync(hostsFile, JSON.stringify(seedVersions(stack)));
      const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_HOME: path.join(dir, "home") };
      delete env.PULUMI_BACKEND_URL;
      delete env.PULUMI_ACCESS_TOKEN;
      const { status, stdout } = review(["--stack", stack, "--hosts", hostsFile], env);
      assert.equal(status, 1, stdout);
      const hosts = Object.keys(seedVersions(stack)).length;
      assert.match(
        stdout,
        new RegExp(
          `config: ${hosts} problem\\(s\\), the program refuses to run until they are fixed:\\n  hosts\\[0\\]\\.hostKeyFingerprint: is still the placeholder`,
        ),
      );
      assert.match(stdout, /host versions: from .*hosts\.json \(no backend chosen, so nothing recorded is read\)/);
      const { settings } = settingsOf(
        rawConfigOf(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8"), stack),
      );
      assert.ok(settings);
      const forecast = forecastRollout(settings, seedVersions(stack), { recorded: false });
      const working = forecast.runs.filter((r) => r.plan.steps.length > 0);
      const restarts = working.reduce((n, r) => n + r.taskKillingRestarts.length, 0);
      assert.ok(working.length > 10 && restarts > 0);
      assert.match(
        stdout,
        new RegExp(
          `remaining rollout: 1 adopting run, then ${working.length} run\\(s\\), ${working.reduce((n, r) => n + r.plan.steps.length, 0)} step\\(s\\), ${restarts} task-killing restart\\(s\\); ends converged`,
        ),
      );
      for (const run of working) {
        assert.ok(
          stdout.includes(
            `run ${run.run}: ${run.plan.phase} → ${run.plan.steps[0]?.to} — ${run.plan.steps.length} step(s)`,
          ),
          `run ${run.run} is printed`,
        );
        for (const step of run.plan.steps) {
          assert.ok(stdout.includes(`${step.host} ${step.component} ${step.from} → ${step.to}`));
        }
      }
      assert.match(stdout, /task-killing restarts: /);
      if (hasNoOtherHost(settings.hosts)) {
        // One agent host (test, dev): its tasks have nowhere else to go, as the converge's forecast says too.
        assert.match(
          stdout,
          /downtime: every app with a task on \S+ is down while Docker \S+ → \S+ restarts on \S+ \(Docker \S+ stops every container.*\): there is no other host/,
        );
        assert.doesNotMatch(stdout, /elsewhere/);
      } else {
        assert.match(
          stdout,
          // One agent's Docker hop, or every agent's alike on one line.
          /downtime: (\S+ docker \S+ → \S+ stops the host's tasks|docker \S+ → \S+ on \d+ hosts \([^)]*\) stops each host's tasks) \(Docker \S+ stops every container/,
        );
      }
      assert.match(stdout, /\nreview: refused \(1\):\n  the stack's config has \d+ problem\(s\)\n$/);
    });
  }

  it("refuses a real stack with neither a backend nor a hosts file, naming both fixes", (t) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_HOME: path.join(tempDir(t), "home") };
    delete env.PULUMI_BACKEND_URL;
    delete env.PULUMI_ACCESS_TOKEN;
    const { status, stdout } = review(["--stack", "prod"], env);
    assert.equal(status, 1);
    assert.match(
      stdout,
      /no Pulumi backend is chosen: .*`pulumi login <url>`.* or set PULUMI_BACKEND_URL.*; or pass --hosts <file\.json>/,
    );
  });

  it("falls back to the hosts file when the backend cannot be read, and never shows the backend's password", (t) => {
    const dir = tempDir(t);
    const hostsFile = path.join(dir, "hosts.json");
    fs.writeFileSync(hostsFile, JSON.stringify(seedVersions("prod")));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_BACKEND_URL: "postgres://reader:pw-never-shown@127.0.0.1:1/state?sslmode=disable",
    };
    const { status, stdout } = review(["--stack", "prod", "--hosts", hostsFile], env);
    assert.equal(status, 1);
    assert.match(
      stdout,
      /host versions: from .*hosts\.json \(cannot read stack "prod" from its backend \(error: .*postgres:\/\/reader:\*\*\*\*@127\.0\.0\.1:1\/state.*connection refused\); check the login or PULUMI_BACKEND_URL\)/,
    );
    assert.doesNotMatch(stdout, /pw-never-shown/);
    assert.match(stdout, /remaining rollout: 1 adopting run, then \d+ run\(s\)/);
  });

  it("refuses unknown flags and missing values with the usage, and prints it for --help", () => {
    for (const args of [["--stak", "prod"], ["--stack"], []]) {
      const { status, stdout } = review(args, process.env);
      assert.equal(status, 2, args.join(" "));
      assert.match(stdout, /^review: .*\n\nusage: npm run -s review -- --stack <name>/);
    }
    const help = review(["--help"], process.env);
    assert.equal(help.status, 0);
    assert.match(
      help.stdout,
      /^usage: npm run -s review -- --stack <name> \[--base <git ref>\] \[--hosts <file\.json>\]/,
    );
  });

  it("reads the versions and the promotedFrom stack's record from a real backend, gates the next run, and says what the change alters", async (t) => {
    const dir = tempDir(t);
    const checkout = path.join(dir, "checkout");
    fs.mkdirSync(checkout);
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(checkout, "Pulumi.yaml"));
    for (const stack of ["test", "dev"]) {
      const text = fs
        .readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")
        .replace(/SHA256:REPLACE-WITH-[\w-]+/g, FINGERPRINT);
      fs.writeFileSync(
        path.join(checkout, `Pulumi.${stack}.yaml`),
        stack === "dev" ? text.replace("marathon: 1.1.7", "marathon: 1.1.1") : text,
      );
    }
    git(checkout, "init", "-q");
    git(checkout, "add", ".");
    git(checkout, "commit", "-qm", "base");
    fs.writeFileSync(
      path.join(checkout, "Pulumi.dev.yaml"),
      fs
        .readFileSync(path.join(checkout, "Pulumi.dev.yaml"), "utf8")
        .replace("marathon: 1.1.1", "marathon: 1.1.7")
        .replace("maxUnavailableSlaves: 1", "maxUnavailableSlaves: 2"),
    );

    // Stacks "test" and "dev" of the project on a real (file) backend, recorded by a program that only exports outputs.
    const backend = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "review-test",
    };
    const record = async (stack: string, outputs: Record<string, unknown>) => {
      const opened = await openStack({
        stack,
        program: async () => outputs,
        scratchProject: { name: "mesos-upgrade", workDir: path.join(dir, `up-${stack}`) },
        env: backend,
        toolchain,
      });
      await opened.up();
    };
    await record("test", {
      hostVersions: {
        "test-master-1": { docker: "1.11.2", "mesos-master": "0.28.2", marathon: "1.1.7" },
        "test-agent-1": { docker: "1.11.2", "mesos-slave": "0.28.2" },
      },
      completed: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    });
    await record("dev", {
      hostVersions: {
        "dev-1": { docker: "1.11.2", "mesos-master": "0.28.2", "mesos-slave": "0.28.2", marathon: "1.1.1" },
      },
      completed: {},
    });

    const { PULUMI_CONFIG_PASSPHRASE: _secret, ...readOnly } = backend;
    const hostsFile = path.join(dir, "unused-hosts.json");
    fs.writeFileSync(hostsFile, "{}");
    const { status, stdout } = review(
      ["--stack", "dev", "--dir", checkout, "--base", "HEAD", "--hosts", hostsFile],
      readOnly,
    );
    assert.match(stdout, /^review of stack "dev" \(Pulumi\.dev\.yaml\)\n\nconfig: valid\n/);
    assert.match(stdout, /\(--hosts .*unused-hosts\.json is not used: the stack has recorded versions\)/);
    assert.match(stdout, /host versions: as stack "dev" last recorded them \(backend file:\/\/.*\/state\)/);
    assert.match(stdout, /remaining rollout: 1 run\(s\), 1 step\(s\), 0 task-killing restart\(s\); ends converged\n/);
    assert.match(
      stdout,
      /run 1: marathon → 1\.1\.7 — 1 step\(s\) in 1 wave\(s\)\n {4}wave 1: dev-1 marathon 1\.1\.1 → 1\.1\.7\n {4}downtime: Marathon's API \(dev-1:8080\) is down while Marathon 1\.1\.1 → 1\.1\.7 restarts on dev-1: it is the only Marathon, no deployment or scaling until it is back\n {4}note \[marathon\]: Marathon 1\.1\.5: a storage migration/,
    );
    assert.match(stdout, /run 2: converged — nothing to do\n/);
    assert.match(
      stdout,
      /\nchange against HEAD:\n  targets:\n    targets\.marathon: "1\.1\.1" → "1\.1\.7"\n  path:\n    marathon: \(no hop\) {2}becomes {2}1\.1\.7\n  batches:\n    rollout\.maxUnavailableSlaves: 1 → 2\n    0 runs, 0 steps in 0 waves, 0 task-killing restarts {2}becomes {2}1 runs, 1 steps in 1 waves, 0 task-killing restarts\n\n/,
    );
    assert.match(
      stdout,
      /\nreview: ok\n$/,
      "test has completed the next run's hop (marathon 1.1.7), so the gate lets it through",
    );
    assert.equal(status, 0);

    // Once test's record falls behind dev's next hop, the gate refuses it and the review fails.
    await record("test", { hostVersions: {}, completed: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.2" } });
    const gated = review(["--stack", "dev", "--dir", checkout], readOnly);
    assert.equal(gated.status, 1);
    assert.match(
      gated.stdout,
      /review: refused \(1\):\n  promotion gate \(next run\):\n    marathon 1\.1\.1 → 1\.1\.7 is not completed in stack "test" \(it runs marathon 1\.1\.2\); upgrade "test" first, or set promotionOverride to a reason\n$/,
    );
  });

  it("forecasts the settings a change alters against --base as restarts: on a version hop left, else settings runs by wave after the last hop", (t) => {
    const dir = tempDir(t);
    const checkout = path.join(dir, "checkout");
    fs.mkdirSync(checkout);
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(checkout, "Pulumi.yaml"));
    const text = fs
      .readFileSync(path.join(repoRoot, "Pulumi.test.yaml"), "utf8")
      .replace(/SHA256:REPLACE-WITH-[\w-]+/g, FINGERPRINT);
    fs.writeFileSync(path.join(checkout, "Pulumi.test.yaml"), text);
    git(checkout, "init", "-q");
    git(checkout, "add", ".");
    git(checkout, "commit", "-qm", "base");
    fs.writeFileSync(
      path.join(checkout, "Pulumi.test.yaml"),
      text
        .replace("logDriver: json-file", "logDriver: none")
        .replace("docker_remove_delay: 6hrs", "docker_remove_delay: 12hrs"),
    );
    // The master host is at its targets; the agent still has its last Mesos hop to go.
    const hostsFile = path.join(dir, "hosts.json");
    fs.writeFileSync(
      hostsFile,
      JSON.stringify({
        "test-master-1": { docker: "1.11.2", "mesos-master": "0.28.2", marathon: "1.1.7" },
        "test-agent-1": { docker: "1.11.2", "mesos-slave": "0.27.3" },
      }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_HOME: path.join(dir, "home") };
    delete env.PULUMI_BACKEND_URL;
    const { status, stdout } = review(
      ["--stack", "test", "--dir", checkout, "--base", "HEAD", "--hosts", hostsFile],
      env,
    );
    assert.equal(status, 0, stdout);
    // The agent's flag rides on its 0.27.3 → 0.28.2 hop; the log driver waits for a settings run after it.
    assert.match(
      stdout,
      /\nrun 1: mesos → 0\.28\.2 — 1 step\(s\) in 1 wave\(s\)\n {4}wave 1: test-agent-1 mesos-slave 0\.27\.3 → 0\.28\.2\n/,
    );
    assert.match(
      stdout,
      /\nrun 2: settings \(restarts at the same versions\) — 2 step\(s\) in 2 wave\(s\)\n {4}wave 1: test-master-1 docker 1\.11\.2 restart \(settings: log driver json-file → none \(docker\.logDriver\)\)\n {4}wave 2: test-agent-1 docker 1\.11\.2 restart \(settings: log driver json-file → none \(docker\.logDriver\)\)\n {4}task-killing restarts: test-agent-1\n/,
    );
    assert.match(stdout, /\nrun 3: converged — nothing to do\n/);
    assert.doesNotMatch(stdout, /mesos-slave 0\.28\.2 restart/, "no second agent restart for the flag its hop applied");
  });
});
