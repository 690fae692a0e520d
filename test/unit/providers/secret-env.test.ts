// Which container environment values are secrets, how they travel (an env file over stdin), and how the program
// declares them (Pulumi secrets, the env output kept secret).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runContainer, type ContainerSpec, type RunningContainer } from "../../../providers/container";
import { envFileText, withEnvFile } from "../../../providers/env-file";
import { isSecretEnvName, splitSecretEnv } from "../../../catalogue/secret-env";
import type { CommandResult, RemoteShell, RunOptions } from "../../../remote/ssh";
import { envWithoutFlags, mesosFlagsOf } from "../../../stacks/flags";
import { sealEnv } from "../../../stacks/secret-env";

/** A shell that records each command and its stdin, failing the commands `fails` matches. */
function recordingShell(fails?: RegExp): RemoteShell & { calls: Array<{ argv: readonly string[]; stdin?: string }> } {
  const calls: Array<{ argv: readonly string[]; stdin?: string }> = [];
  return {
    label: "a1 (10.0.0.1:22)",
    calls,
    async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
      calls.push({ argv, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
      if (fails?.test(argv.join(" "))) throw new Error(`${argv[0]} failed`);
      return { code: 0, stdout: "c0ffee\n", stderr: "" };
    },
  };
}

const spec: ContainerSpec = {
  name: "marathon",
  image: "mesosphere/marathon:v0.11.1",
  args: ["--master", "zk://z:2181/mesos"],
  env: { MARATHON_HTTP_CREDENTIALS: "ops:pa55", JAVA_OPTS: "-Xmx512m", AUDIT_HOOK_DSN: "https://k@audit/7" },
  volumes: [],
  hostNetwork: true,
  privileged: false,
  restart: "always",
  secretEnv: ["AUDIT_HOOK_DSN"],
};

test("treats PASSWORD, SECRET, TOKEN and CREDENTIAL names and the stack's listed names as secrets", () => {
  for (const name of ["MARATHON_HTTP_CREDENTIALS", "REGISTRY_PASSWORD", "MESOS_SECRET", "API_TOKEN", "db_passwd", "AWS_SECRET_ACCESS_KEY"]) assert.ok(isSecretEnvName(name), name);
  for (const name of ["JAVA_OPTS", "MESOS_IP", "MARATHON_ZK"]) assert.ok(!isSecretEnvName(name), name);
  assert.ok(isSecretEnvName("AUDIT_HOOK_DSN", ["AUDIT_HOOK_DSN"]));
  assert.deepEqual(splitSecretEnv(spec.env, spec.secretEnv), { plain: { JAVA_OPTS: "-Xmx512m" }, secret: { MARATHON_HTTP_CREDENTIALS: "ops:pa55", AUDIT_HOOK_DSN: "https://k@audit/7" } });
});

test("runs a container with its secret values in an env file written over stdin, never on a command line", async () => {
  const shell = recordingShell();
  await runContainer(shell, spec);
  assert.deepEqual(shell.calls, [
    { argv: ["sh", "-c", 'umask 077 && install -d -m 0700 -o root -g root "$1" && cat > "$2"', "sh", "/run/mesos-upgrade", "/run/mesos-upgrade/marathon.env"], stdin: "AUDIT_HOOK_DSN=https://k@audit/7\nMARATHON_HTTP_CREDENTIALS=ops:pa55\n" },
    { argv: ["docker", "run", "-d", "--name", "marathon", "--net", "host", "--restart", "always", "--env-file", "/run/mesos-upgrade/marathon.env", "-e", "JAVA_OPTS=-Xmx512m", "mesosphere/marathon:v0.11.1", "--master", "zk://z:2181/mesos"] },
    { argv: ["rm", "-f", "/run/mesos-upgrade/marathon.env"] },
  ]);
});

test("runs a container without secrets exactly as before: no env file", async () => {
  const shell = recordingShell();
  await runContainer(shell, { ...spec, env: { JAVA_OPTS: "-Xmx512m" } });
  assert.deepEqual(shell.calls.map((c) => c.argv[0]), ["docker"]);
});

test("removes the env file when docker run fails, and passes the failure on", async () => {
  const shell = recordingShell(/^docker run/);
  await assert.rejects(runContainer(shell, spec), /docker failed/);
  assert.deepEqual(shell.calls.at(-1)?.argv, ["rm", "-f", "/run/mesos-upgrade/marathon.env"]);
});

test("removes the env file when writing it fails half way", async () => {
  const shell = recordingShell(/^sh -c/);
  await assert.rejects(withEnvFile(shell, "mesos_slave", { A_TOKEN: "t" }, async () => "never"), /sh failed/);
  assert.deepEqual(shell.calls.map((c) => c.argv[0]), ["sh", "rm"]);
});

test("writes one NAME=value line per variable, sorted, values verbatim", () => {
  assert.equal(envFileText({ B_TOKEN: " spaced = and # kept ", A_PASSWORD: "x" }), "A_PASSWORD=x\nB_TOKEN= spaced = and # kept \n");
});

test("declares secret values as Pulumi secrets and keeps the env output secret; other env stays plain", async () => {
  const sealed = sealEnv({ REGISTRY_PASSWORD: "p", AUDIT_HOOK_DSN: "d", JAVA_OPTS: "-Xmx1g" }, ["AUDIT_HOOK_DSN", "NOT_SET_HERE"]);
  const isSecret = async (value: unknown) => typeof value === "object" && value !== null && "isSecret" in value && (await (value as { isSecret: Promise<boolean> }).isSecret);
  assert.equal(await isSecret(sealed.args.env.REGISTRY_PASSWORD), true);
  assert.equal(await isSecret(sealed.args.env.AUDIT_HOOK_DSN), true);
  assert.equal(sealed.args.env.JAVA_OPTS, "-Xmx1g");
  assert.deepEqual(sealed.args.secretEnv, ["AUDIT_HOOK_DSN"]);
  assert.deepEqual(sealed.opts, { additionalSecretOutputs: ["env"] });
  assert.deepEqual(sealEnv({ JAVA_OPTS: "-Xmx1g" }, ["AUDIT_HOOK_DSN"]), { args: { env: { JAVA_OPTS: "-Xmx1g" } }, opts: {} });
});

test("keeps a secret MESOS_* variable in the environment instead of turning it into a command-line flag", () => {
  const container = { env: { MESOS_HTTP_CREDENTIALS: "file:///etc/mesos/creds.json", MESOS_QUORUM: "2", MESOS_AUDIT_KEY_ID: "k" }, args: [] } as unknown as RunningContainer;
  assert.deepEqual(mesosFlagsOf(container, ["MESOS_AUDIT_KEY_ID"]), { quorum: "2" });
  assert.deepEqual(envWithoutFlags(container.env, ["MESOS_AUDIT_KEY_ID"]), { MESOS_HTTP_CREDENTIALS: "file:///etc/mesos/creds.json", MESOS_AUDIT_KEY_ID: "k" });
});
