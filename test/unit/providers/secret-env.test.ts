// Which container environment values are secrets, how they travel (an env file over stdin), and how the program
// declares them (Pulumi secrets, the env output kept secret).
import assert from "node:assert/strict";
import { test } from "node:test";
import { replaceContainer, replaceScript, type ContainerSpec } from "../../../providers/container";
import type { RunningContainer } from "../../../observe/containers";
import { envFileText } from "../../../providers/env-file";
import { sectionsScript } from "../../../remote/sections";
import { isSecretEnvName, splitSecretEnv } from "../../../catalogue/secret-env";
import type { CommandResult, RemoteShell, RunOptions } from "../../../remote/ssh";
import { envWithoutFlags, mesosFlagsOf } from "../../../stacks/flags";
import { sealEnv } from "../../../stacks/secret-env";

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
  for (const name of [
    "MARATHON_HTTP_CREDENTIALS",
    "REGISTRY_PASSWORD",
    "MESOS_SECRET",
    "API_TOKEN",
    "db_passwd",
    "AWS_SECRET_ACCESS_KEY",
  ]) {
    assert.ok(isSecretEnvName(name), name);
  }
  for (const name of ["JAVA_OPTS", "MESOS_IP", "MARATHON_ZK"]) assert.ok(!isSecretEnvName(name), name);
  assert.ok(isSecretEnvName("AUDIT_HOOK_DSN", ["AUDIT_HOOK_DSN"]));
  assert.deepEqual(splitSecretEnv(spec.env, spec.secretEnv), {
    plain: { JAVA_OPTS: "-Xmx512m" },
    secret: { MARATHON_HTTP_CREDENTIALS: "ops:pa55", AUDIT_HOOK_DSN: "https://k@audit/7" },
  });
});

/** A shell that answers a replacement's batch with each section's exit code from `codes` (default 0). */
function batchShell(
  codes: Readonly<Record<string, number>> = {},
): RemoteShell & { calls: Array<{ argv: readonly string[]; stdin?: string }> } {
  const calls: Array<{ argv: readonly string[]; stdin?: string }> = [];
  return {
    label: "a1 (10.0.0.1:22)",
    calls,
    async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
      calls.push({ argv, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
      const names = [...(argv[2] ?? "").matchAll(/mesos-upgrade-section out %s %s\\n' ([a-z-]+)/g)].map(
        (m) => m[1] as string,
      );
      const stdout = names
        .map((name) => `${name === "run" ? "c0ffee" : ""}\n@@mesos-upgrade-section out ${name} ${codes[name] ?? 0}\n`)
        .join("");
      const stderr = names
        .map((name) => `${codes[name] ? `${name} failed` : ""}\n@@mesos-upgrade-section err ${name}\n`)
        .join("");
      return { code: 0, stdout, stderr };
    },
  };
}

test("replaces a container in one command, its secret values in an env file written over stdin, never on a command line", async () => {
  const shell = batchShell();
  assert.deepEqual(await replaceContainer(shell, spec, ["marathon"]), { kind: "started", id: "c0ffee" });
  assert.equal(shell.calls.length, 1);
  const [call] = shell.calls;
  assert.equal(call?.stdin, "AUDIT_HOOK_DSN=https://k@audit/7\nMARATHON_HTTP_CREDENTIALS=ops:pa55\n");
  assert.ok(
    !call?.argv.join(" ").includes("pa55") && !call?.argv.join(" ").includes("audit/7"),
    "no secret value on the command line",
  );
  assert.deepEqual(
    replaceScript(spec, ["marathon"]).sections.map((s) => s.name),
    ["envfile", "remove", "run", "cleanup"],
  );
  const script = sectionsScript(replaceScript(spec, ["marathon"]).sections);
  assert.match(
    script,
    /install -d -m 0700 -o root -g root \/run\/mesos-upgrade && cat > \/run\/mesos-upgrade\/marathon.env/,
  );
  assert.match(
    script,
    /docker run -d --name marathon --net host --restart always --env-file \/run\/mesos-upgrade\/marathon.env -e JAVA_OPTS=-Xmx512m mesosphere\/marathon:v0.11.1 --master zk:\/\/z:2181\/mesos/,
  );
  assert.match(script, /rm -f \/run\/mesos-upgrade\/marathon.env/);
});

test("replaces a container without secrets exactly as before: no env file", () => {
  const script = replaceScript({ ...spec, env: { JAVA_OPTS: "-Xmx512m" } }, ["marathon"]);
  assert.equal(script.stdin, undefined);
  assert.doesNotMatch(sectionsScript(script.sections), /env-file|mesos-upgrade\/marathon.env/);
});

test("stops the old container and removes the renamed one before starting the new one", () => {
  const script = sectionsScript(
    replaceScript({ ...spec, name: "marathon_new" }, ["marathon", "marathon_new"]).sections,
  );
  const order = [
    "docker stop -t 30 marathon ",
    "docker rm -f marathon ",
    "docker stop -t 30 marathon_new",
    "docker rm -f marathon_new",
    "docker run -d --name marathon_new",
  ].map((text) => script.indexOf(text));
  assert.ok(
    order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] as number))),
    `${order}`,
  );
});

test("reports a failed docker run as an outcome to undo (the env file is still removed by the script)", async () => {
  const shell = batchShell({ run: 125 });
  assert.deepEqual(await replaceContainer(shell, spec, ["marathon"]), {
    kind: "start-failed",
    failure: "`docker run … mesosphere/marathon:v0.11.1` failed with exit code 125: run failed",
  });
});

test("stops nothing when the env file cannot be written", async () => {
  await assert.rejects(
    replaceContainer(batchShell({ envfile: 1 }), spec, ["marathon"]),
    /writing the env file of marathon \(\/run\/mesos-upgrade\) failed with exit code 1: envfile failed; nothing was stopped/,
  );
  assert.match(sectionsScript(replaceScript(spec, ["marathon"]).sections), /if \[ "\$e" = 0 \]; then\ndocker stop/);
});

test("writes one NAME=value line per variable, sorted, values verbatim", () => {
  assert.equal(
    envFileText({ B_TOKEN: " spaced = and # kept ", A_PASSWORD: "x" }),
    "A_PASSWORD=x\nB_TOKEN= spaced = and # kept \n",
  );
});

test("declares secret values as Pulumi secrets and keeps the env output secret; other env stays plain", async () => {
  const sealed = sealEnv({ REGISTRY_PASSWORD: "p", AUDIT_HOOK_DSN: "d", JAVA_OPTS: "-Xmx1g" }, [
    "AUDIT_HOOK_DSN",
    "NOT_SET_HERE",
  ]);
  const isSecret = async (value: unknown) =>
    typeof value === "object" &&
    value !== null &&
    "isSecret" in value &&
    (await (value as { isSecret: Promise<boolean> }).isSecret);
  assert.equal(await isSecret(sealed.args.env.REGISTRY_PASSWORD), true);
  assert.equal(await isSecret(sealed.args.env.AUDIT_HOOK_DSN), true);
  assert.equal(sealed.args.env.JAVA_OPTS, "-Xmx1g");
  assert.deepEqual(sealed.args.secretEnv, ["AUDIT_HOOK_DSN"]);
  assert.deepEqual(sealed.opts, { additionalSecretOutputs: ["env"] });
  assert.deepEqual(sealEnv({ JAVA_OPTS: "-Xmx1g" }, ["AUDIT_HOOK_DSN"]), {
    args: { env: { JAVA_OPTS: "-Xmx1g" } },
    opts: {},
  });
});

test("keeps a secret MESOS_* variable in the environment instead of turning it into a command-line flag", () => {
  const container = {
    env: { MESOS_HTTP_CREDENTIALS: "file:///etc/mesos/creds.json", MESOS_QUORUM: "2", MESOS_AUDIT_KEY_ID: "k" },
    args: [],
  } as unknown as RunningContainer;
  assert.deepEqual(mesosFlagsOf(container, ["MESOS_AUDIT_KEY_ID"]), { quorum: "2" });
  assert.deepEqual(envWithoutFlags(container.env, ["MESOS_AUDIT_KEY_ID"]), {
    MESOS_HTTP_CREDENTIALS: "file:///etc/mesos/creds.json",
    MESOS_AUDIT_KEY_ID: "k",
  });
});
