// Secret environment values of a container (by name, and by the stack's own `secretEnv` list), under the real engine:
// ciphertext in the state, never in a preview or a run's output, never on a command line the host sees, and in the
// container's environment after a hop, as on a real host.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { bootstrapCommands, CONTAINER_NAMES, type Cluster } from "../../../sim";
import { oneHopScratchStack, type ScratchStack } from "../../support/scratch-stack";

/** A registry password (secret by its name) and an audit hook's URL (secret because the stack lists it). */
const PASSWORD = "s3cr3t-Registry-Pa55 with spaces=and#signs";
const DSN = "https://key:hunter2@audit.example/7";
const ENV_FILE = "/run/mesos-upgrade/mesos_slave.env";

/** Every file under `dir` whose text contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(file).includes(needle)) found.push(file);
  }
  return found;
}

/**
 * The JSON paths in `value` whose strings contain `needle` (the places a plain value leaked to, without printing it).
 */
function pathsContaining(value: unknown, needle: RegExp, at = "$"): string[] {
  if (typeof value === "string") return needle.test(value) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsContaining(v, needle, `${at}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => pathsContaining(v, needle, `${at}.${k}`));
  }
  return [];
}

describe("secret environment values of a container", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;
  let adoptOutput = "";

  before(async () => {
    scratch = await oneHopScratchStack({
      stack: "scratch-secret-env",
      hosts: "m1:master+marathon;a1:agent",
      network: "127.0.163",
      gateTimeoutSeconds: 60,
      config: { secretEnv: ["AUDIT_HOOK_DSN"] },
      adopt: false,
    });
    ({ cluster, stack } = scratch);
    // The operator's agent already carries both values (started by hand, before this project managed it).
    const host = cluster.file.hosts.find((h) => h.name === "a1");
    assert.ok(host);
    const [agentRun] = bootstrapCommands(cluster.file, host).filter((c) =>
      c.includes(`--name ${CONTAINER_NAMES.agent}`),
    );
    assert.ok(agentRun);
    const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
    const withSecrets = agentRun.replace(
      " -v ",
      ` -e ${quoted(`REGISTRY_PASSWORD=${PASSWORD}`)} -e ${quoted(`AUDIT_HOOK_DSN=${DSN}`)} -v `,
    );
    const replaced = await cluster.exec("a1", `docker rm -f ${CONTAINER_NAMES.agent} && ${withSecrets}`);
    assert.equal(replaced.code, 0, replaced.stderr);
    const adopted = await stack.up({
      onOutput: (text) => {
        adoptOutput += text;
      },
    });
    assert.equal(adopted.outputs.phase.value, "adopting");
  });
  after(async () => {
    await scratch?.close();
  });

  it("keeps both values only as ciphertext in the state, its backups and history", async () => {
    // Decrypted by the Automation API's export, each value sits inside a secret ({4dabf18193072939515e22adb298388d…,
    // plaintext}).
    assert.deepEqual(
      pathsContaining((await stack.exportStack()).deployment, /hunter2|s3cr3t/).map((p) =>
        p.replace(/^\$\.resources\[\d+\]/, ""),
      ),
      [".inputs.env.AUDIT_HOOK_DSN.plaintext", ".inputs.env.REGISTRY_PASSWORD.plaintext", ".outputs.env.plaintext"],
      "only the agent's env holds them, as secrets",
    );
    // On disk, as the backend keeps it: ciphertext only.
    const stateDir = path.join(scratch.dir, "state");
    const [stateFile] = fs
      .readdirSync(stateDir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith("scratch-secret-env.json"));
    assert.ok(stateFile, "the stack's state file exists");
    const deployment = (
      JSON.parse(fs.readFileSync(path.join(stateDir, stateFile), "utf8")) as {
        checkpoint: {
          latest: {
            resources: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
          };
        };
      }
    ).checkpoint.latest;
    const agent = deployment.resources.find((r) => r.type.endsWith(":MesosSlave"));
    assert.ok(agent, "the state holds the agent");
    const env = agent.inputs?.env as Record<string, unknown>;
    assert.match(JSON.stringify(env.REGISTRY_PASSWORD), /"ciphertext":"v1:/, "the input value is a secret");
    assert.match(JSON.stringify(env.AUDIT_HOOK_DSN), /"ciphertext":"v1:/, "the listed input value is a secret");
    assert.match(JSON.stringify(agent.outputs?.env), /"ciphertext":"v1:/, "the env output is a secret");
    for (const needle of [PASSWORD, DSN, "hunter2", "s3cr3t"]) {
      assert.deepEqual(
        filesContaining(stateDir, needle),
        [],
        "no file of the backend (state, backups, history) holds the value",
      );
    }
    assert.doesNotMatch(adoptOutput, /hunter2|s3cr3t/);
  });

  it("shows neither value in the preview of the hop nor in the run's output, and runs the agent with them from an env file", async () => {
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /a1-mesos-slave/, "the preview shows the agent's hop");
    assert.doesNotMatch(preview, /hunter2|s3cr3t/);
    const since = cluster.ledger().length;
    let output = "";
    const result = await stack.up({
      onOutput: (text) => {
        output += text;
      },
    });
    assert.equal(
      (result.outputs.hostVersions.value as Record<string, Record<string, string>>).a1?.["mesos-slave"],
      "0.26.2",
    );
    assert.doesNotMatch(output, /hunter2|s3cr3t/);

    // What the host saw: the commands over SSH and the docker CLI's argv carry the file's path, never a value.
    const seen = cluster
      .ledger()
      .slice(since)
      .filter((e) => e.host === "a1");
    const texts = seen.map((e) => JSON.stringify(e));
    assert.deepEqual(
      texts.filter((t) => /hunter2|s3cr3t/.test(t)),
      [],
      "no command line on the host carries a value",
    );
    const run = seen.find((e) => e.kind === "exec" && e.program === "docker" && e.argv?.[0] === "run");
    assert.ok(run?.argv, "the agent was started with docker run");
    assert.equal(run.argv[run.argv.indexOf("--env-file") + 1], ENV_FILE, JSON.stringify(run.argv));
    assert.ok(!run.argv.some((a) => /REGISTRY_PASSWORD|AUDIT_HOOK_DSN/.test(a)), "neither variable is passed with -e");
    const commands = seen.filter((e) => e.kind === "ssh.exec").map((e) => e.command ?? "");
    // One command swaps the agent (providers/container.ts replaceScript): it writes the file, runs, then removes it.
    const swap = commands.find((c) => c.includes("docker run") && c.includes("--env-file")) ?? "";
    const [write, dockerRun, remove] = [`cat > ${ENV_FILE}`, `--env-file ${ENV_FILE}`, `rm -f ${ENV_FILE}`].map(
      (text) => swap.indexOf(text),
    ) as [number, number, number];
    assert.ok(
      write >= 0 && write < dockerRun && dockerRun < remove,
      `written, used, then removed: ${commands.join("\n")}`,
    );

    // What the container got, as `docker inspect` on a real host shows it.
    const inspect = await cluster.exec("a1", `docker inspect ${CONTAINER_NAMES.agent}`);
    const [container] = JSON.parse(inspect.stdout) as Array<{ Config: { Env: string[]; Image: string } }>;
    assert.match(container?.Config.Image ?? "", /0\.26\.2/);
    assert.ok(
      container?.Config.Env.includes(`REGISTRY_PASSWORD=${PASSWORD}`),
      JSON.stringify(container?.Config.Env.filter((e) => !e.startsWith("MESOS_"))),
    );
    assert.ok(container?.Config.Env.includes(`AUDIT_HOOK_DSN=${DSN}`));

    // The file is gone; its directory is root's alone.
    const left = await cluster.exec("a1", `test -e ${ENV_FILE}; echo $?; stat -c '%a %U' /run/mesos-upgrade`);
    assert.deepEqual(left.stdout.trim().split("\n"), ["1", "700 root"]);
    for (const needle of [PASSWORD, DSN]) {
      assert.deepEqual(filesContaining(path.join(scratch.dir, "state"), needle), []);
    }
  });
});
