// No provider input can reach a host's shell: hostile flag values, environment values and bind mounts arrive at the
// containers verbatim, each as one argument; what an argument cannot carry is refused by `check`, naming the field;
// and no private key appears in any message or output.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import type { FlagValue } from "../../../planner";
import { inspectContainer, type RunningContainer } from "../../../observe/containers";
import { DockerEngine } from "../../../providers/dockerEngine";
import { MarathonInstance } from "../../../providers/marathonInstance";
import { MesosMaster } from "../../../providers/mesosMaster";
import { MesosSlave } from "../../../providers/mesosSlave";
import { taskKillingReason } from "../../../planner";
import { closeAllConnections, sshShell } from "../../../remote/ssh";
import { startCluster, type AppDefinition, type Cluster, type LedgerEntry, type SimHost } from "../../../sim";
import { envWithoutFlags, marathonFlagsOf, mesosFlagsOf } from "../../../stacks/flags";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

/**
 * A value no shell may interpret: a command after `;`, command substitution both ways, single and double quotes,
 * a variable, a backslash, a pipe, a redirection and a background job — each would leave /tmp/pwned-<tag>-<n>.
 */
function hostile(tag: string): string {
  return `${tag}; touch /tmp/pwned-${tag}-1 && $(touch /tmp/pwned-${tag}-2) \`touch /tmp/pwned-${tag}-3\` 'single '"double" $HOME \\ | tee /tmp/pwned-${tag}-4 > /tmp/pwned-${tag}-5 & touch /tmp/pwned-${tag}-6`;
}
const TAGS = [
  "master-flag",
  "agent-flag",
  "marathon-flag",
  "env",
  "volume",
  "mirror",
  "insecure",
  "log",
  "suite",
  "newline",
  "key",
];

/**
 * Whether a command line, as the host's SSH server received it, is only literal words: plain safe characters,
 * single-quoted text (in which a POSIX shell interprets nothing) and the `\'` that closes and reopens a quote.
 */
const LITERAL_WORDS = /^(?:(?:[A-Za-z0-9_@%+=:,./-]|'[^']*'|\\')+(?: |$))+$/;

/** The words a POSIX shell makes of a line of literal words (spaces split, quotes and `\'` are removed). */
function literalWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === "'") quoted = false;
      else word += c;
    } else if (c === " ") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      word ??= "";
      quoted = true;
    } else {
      word = (word ?? "") + (c === "\\" ? (line[++i] as string) : c);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

const WEB_APP: AppDefinition = {
  id: "/web",
  instances: 1,
  cpus: 0.1,
  mem: 64,
  container: {
    type: "DOCKER",
    docker: { image: "nginx:1.9", network: "BRIDGE", portMappings: [{ containerPort: 80, hostPort: 0 }] },
  },
};

describe("shell injection through provider inputs", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  const running = new Map<string, RunningContainer>();
  /** Everything the engine printed and every error it returned, for the secret check at the end. */
  const texts: string[] = [];
  const stranger = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;

  const connection = (host: SimHost) => ({
    name: host.name,
    address: host.address,
    port: host.sshPort,
    user: cluster.userKey.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
  });

  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "injection-"));
    cluster = await startCluster("m1:master+marathon;a1:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.84",
      versions: { mesos: "0.23.1" },
      apps: [WEB_APP],
    });
    for (const [host, name] of [
      ["m1", "mesos-master"],
      ["m1", "marathon"],
      ["a1", "mesos-slave"],
    ] as const) {
      const container = await inspectContainer(
        sshShell({ ...connection(cluster.host(host)), privateKey: cluster.userKey.privateKey }),
        name.replace("-", "_"),
      ); // the sim names containers mesos_master, mesos_slave
      assert.ok(container, `${name} runs on ${host}`);
      running.set(name, container);
    }
    await closeAllConnections();
  });
  after(async () => {
    await closeAllConnections();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Settings {
    readonly flags: Record<string, Record<string, FlagValue>>;
    readonly env: Record<string, Record<string, string>>;
    readonly volumes: Record<string, string[]>;
  }
  const original = (): Settings => ({
    flags: {
      "mesos-master": mesosFlagsOf(running.get("mesos-master")),
      "mesos-slave": {
        ...mesosFlagsOf(running.get("mesos-slave")),
        docker_remove_delay: "6hrs",
        cgroups_limit_swap: true,
      },
      marathon: marathonFlagsOf(running.get("marathon")),
    },
    env: {
      "mesos-master": envWithoutFlags(running.get("mesos-master")?.env),
      "mesos-slave": envWithoutFlags(running.get("mesos-slave")?.env),
      marathon: { ...(running.get("marathon")?.env ?? {}) },
    },
    volumes: {
      "mesos-master": [...(running.get("mesos-master")?.volumes ?? [])],
      "mesos-slave": [...(running.get("mesos-slave")?.volumes ?? [])],
      marathon: [...(running.get("marathon")?.volumes ?? [])],
    },
  });
  const VOLUME = `/tmp/${hostile("volume")}:/mnt/injected`;
  /** Each component gets a hostile value in a string flag it takes, in an environment variable, and in a bind mount. */
  const injected = (): Settings => {
    const base = original();
    const env = (name: string) => ({ ...base.env[name], INJECTED: hostile("env") });
    return {
      flags: {
        "mesos-master": { ...base.flags["mesos-master"], cluster: hostile("master-flag") },
        "mesos-slave": {
          ...base.flags["mesos-slave"],
          executor_environment_variables: JSON.stringify({ INJECTED: hostile("agent-flag") }),
        },
        marathon: { ...base.flags.marathon, framework_name: hostile("marathon-flag") },
      },
      env: { "mesos-master": env("mesos-master"), "mesos-slave": env("mesos-slave"), marathon: env("marathon") },
      volumes: {
        "mesos-master": [...base.volumes["mesos-master"], VOLUME],
        "mesos-slave": [...base.volumes["mesos-slave"], VOLUME],
        marathon: [...base.volumes.marathon, VOLUME],
      },
    };
  };

  const open = (stack: string, program: () => Promise<Record<string, unknown>>): Promise<Stack> =>
    openStack({
      stack,
      program,
      scratchProject: { name: "injection", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });
  const components = (s: Settings) => async () => {
    const m1 = cluster.host("m1");
    const a1 = cluster.host("a1");
    const common = {
      privateKey: pulumi.secret(cluster.userKey.privateKey),
      gateTimeoutSeconds: 20,
      masters: [m1.address],
    };
    const setting = (name: string) => ({ flags: s.flags[name], env: s.env[name], volumes: s.volumes[name] });
    const master = new MesosMaster("m1-mesos-master", {
      ...common,
      ...setting("mesos-master"),
      connection: connection(m1),
      version: "0.23.1",
      targetVersion: "0.28.2",
    });
    // A settings change of a 0.23 agent without executor containers kills its tasks: marked as the planner does.
    const killsTasks = taskKillingReason(
      { name: "a1", roles: ["mesos-slave"], versions: { "mesos-slave": "0.23.1" } },
      "mesos-slave",
      "0.23.1",
      "0.23.1",
    );
    const slave = new MesosSlave(
      "a1-mesos-slave",
      {
        ...common,
        ...setting("mesos-slave"),
        marathons: [m1.address],
        ...(killsTasks ? { killsTasks } : {}),
        connection: connection(a1),
        version: "0.23.1",
        targetVersion: "0.28.2",
      },
      { dependsOn: [master] },
    );
    const marathon = new MarathonInstance(
      "m1-marathon",
      { ...common, ...setting("marathon"), connection: connection(m1), version: "0.9.1", targetVersion: "1.1.7" },
      { dependsOn: [slave] },
    );
    return { master: master.gateObserved, slave: slave.gateObserved, marathon: marathon.gateObserved };
  };
  /** Runs `up`, keeping everything it printed and the error it ended with. */
  const up = async (stack: Stack) => {
    try {
      return await stack.up({ onOutput: (text) => texts.push(text) });
    } catch (error) {
      texts.push((error as Error).message);
      throw error;
    }
  };
  const upFailure = async (stack: Stack): Promise<string> => {
    let message = "";
    await assert.rejects(up(stack), (error: Error) => {
      message = error.message;
      return true;
    });
    return message;
  };

  /** Marker files as the hosts' shells would have written them (own root under isolation, else the machine's /tmp). */
  const markers = () =>
    cluster.hosts.flatMap((host) =>
      TAGS.flatMap((tag) => [1, 2, 3, 4, 5, 6].map((n) => `pwned-${tag}-${n}`)).flatMap((file) => [
        path.join(cluster.stateDir, "hosts", host.name, "root", "tmp", file),
        path.join("/tmp", file),
      ]),
    );
  const pwned = () => markers().filter((file) => fs.existsSync(file));

  it("finds a file a host's shell writes, so the marker checks below can fail", async () => {
    const wrote = await cluster.exec("a1", "touch /tmp/pwned-env-1");
    assert.equal(wrote.code, 0, wrote.stderr);
    const found = pwned();
    assert.equal(found.length, 1, JSON.stringify(found));
    fs.rmSync(found[0] as string);
    assert.deepEqual(pwned(), []);
  });

  it("adopts the running master, agent and Marathon", async () => {
    const result = await up(await open("scratch-injection", components(original())));
    for (const name of ["master", "slave", "marathon"]) assert.match(result.outputs[name].value, /adopted/);
  });

  it("hands hostile flag values, environment values and bind mounts to each container verbatim, one argument each, and runs nothing else", async () => {
    const before = cluster.ledger().length;
    const result = await up(await open("scratch-injection", components(injected())));
    assert.match(result.outputs.master.value, /leader/);
    assert.match(result.outputs.slave.value, /agent 0\.23\.1 registered, apps degraded: none/);
    assert.match(result.outputs.marathon.value, /\/ping pong/);
    const ledger = cluster.ledger().slice(before);

    // Each `docker run` received the values as single, unchanged arguments.
    const runs = ledger.filter((e) => e.kind === "exec" && e.program === "docker" && e.argv?.[0] === "run");
    const runOf = (host: string, name: string) => {
      const found = runs.filter((e) => e.host === host && e.argv?.includes(name.replace("-", "_")));
      assert.equal(found.length, 1, `one docker run of ${name} on ${host}: ${JSON.stringify(found)}`);
      return (found[0] as LedgerEntry).argv as string[];
    };
    const expected: Array<[string, string, string[]]> = [
      ["m1", "mesos-master", [`--cluster=${hostile("master-flag")}`]],
      [
        "a1",
        "mesos-slave",
        [`--executor_environment_variables=${JSON.stringify({ INJECTED: hostile("agent-flag") })}`],
      ],
      ["m1", "marathon", ["--framework_name", hostile("marathon-flag")]],
    ];
    for (const [host, name, flag] of expected) {
      const argv = runOf(host, name);
      const at = argv.indexOf(flag[0] as string);
      assert.ok(at > 0, `${name}: ${JSON.stringify(flag[0])} is one argument of ${JSON.stringify(argv)}`);
      assert.deepEqual(argv.slice(at, at + flag.length), flag);
      assert.equal(
        argv[argv.indexOf(`INJECTED=${hostile("env")}`) - 1],
        "-e",
        `${name}: the variable is one -e argument`,
      );
      assert.equal(argv[argv.indexOf(VOLUME) - 1], "-v", `${name}: the bind mount is one -v argument`);

      // And the container runs with them, as Docker recorded it.
      const inspected = await cluster.exec(host, `docker inspect ${name.replace("-", "_")}`);
      const [container] = JSON.parse(inspected.stdout) as Array<{
        Args: string[];
        Config: { Env: string[] };
        HostConfig: { Binds: string[] };
      }>;
      assert.ok(container, inspected.stderr);
      for (const word of flag) {
        assert.ok(
          container.Args.includes(word),
          `${name} runs with ${JSON.stringify(word)}: ${JSON.stringify(container.Args)}`,
        );
      }
      assert.ok(container.Config.Env.includes(`INJECTED=${hostile("env")}`), JSON.stringify(container.Config.Env));
      assert.ok(container.HostConfig.Binds.includes(VOLUME), JSON.stringify(container.HostConfig.Binds));
    }

    // The SSH server received only literal words (nothing for a shell to interpret): a command, or `sh -c` with a
    // script the provider wrote (a container swap: remote/sections.ts) whose `docker run` line is literal words again,
    // and they are the argv docker got.
    const commands = ledger.filter((e) => e.kind === "ssh.exec").map((e) => e.command ?? "");
    assert.ok(commands.length > 0);
    for (const command of commands) assert.match(command, LITERAL_WORDS);
    const runLines = (command: string): string[] => {
      const words = literalWords(command);
      const script = words[0] === "sh" && words[1] === "-c" ? (words[2] ?? "") : "";
      return [...script.matchAll(/then (docker run .*?) <\/dev\/null; else/g)].map((m) => m[1] as string);
    };
    for (const host of ["m1", "a1"]) {
      const lines = ledger
        .filter((e) => e.host === host && e.kind === "ssh.exec")
        .flatMap((e) => runLines(e.command ?? ""));
      for (const line of lines) assert.match(line, LITERAL_WORDS);
      assert.deepEqual(
        lines.map((line) => literalWords(line).slice(1)),
        runs.filter((e) => e.host === host).map((e) => e.argv),
      );
    }
    // Only the Docker CLI ran (no other program from these commands), and no marker file exists anywhere.
    assert.deepEqual([...new Set(ledger.filter((e) => e.kind === "exec").map((e) => e.program))], ["docker"]);
    assert.deepEqual(pwned(), []);
  });

  it("refuses what an argument cannot carry before touching any host, naming the field and the value", async () => {
    const before = cluster.ledger().length;
    const base = original();
    const message = await upFailure(
      await open("scratch-refused", async () => {
        const m1 = cluster.host("m1");
        new MesosMaster("m1-mesos-master", {
          connection: connection(m1),
          privateKey: pulumi.secret(cluster.userKey.privateKey),
          version: "0.23.1",
          targetVersion: "0.28.2",
          masters: [m1.address],
          flags: { ...base.flags["mesos-master"], cluster: "prod\ntouch /tmp/pwned-newline-1" },
          env: { "A;touch /tmp/pwned-key-1": "x", INJECTED: "one\u0000two" },
          volumes: [
            "/var/lib/mesos:/var/lib/mesos",
            "/tmp/a\ntouch /tmp/pwned-newline-2:/mnt/a",
            "/etc:/mnt/etc:/tmp/pwned-newline-3",
          ],
        });
        return {};
      }),
    );
    assert.match(
      message,
      /flags\.cluster: "prod\\ntouch \/tmp\/pwned-newline-1" contains a control character \(newline, tab, NUL…\); write the value on one line/,
    );
    assert.match(
      message,
      /env\.A;touch \/tmp\/pwned-key-1: "A;touch \/tmp\/pwned-key-1" is not an environment variable name/,
    );
    assert.match(message, /env\.INJECTED: "one\\u0000two" is not a one-line string/);
    assert.match(
      message,
      /volumes\[1\]: "\/tmp\/a\\ntouch \/tmp\/pwned-newline-2:\/mnt\/a" is not a bind mount "hostPath:containerPath\[:ro\|rw\]"/,
    );
    assert.match(message, /volumes\[2\]: "\/etc:\/mnt\/etc:\/tmp\/pwned-newline-3" is not a bind mount/);
    assert.doesNotMatch(message, /volumes\[0\]/);
    assert.deepEqual(cluster.ledger().slice(before), [], "no host was contacted");
    assert.deepEqual(pwned(), []);
  });

  it("refuses Docker daemon options that would be shell in /etc/default/docker, naming the field and the value", async () => {
    const before = cluster.ledger().length;
    const message = await upFailure(
      await open("scratch-refused-docker", async () => {
        const a1 = cluster.host("a1");
        new DockerEngine("a1-docker", {
          connection: connection(a1),
          privateKey: pulumi.secret(cluster.userKey.privateKey),
          version: "1.7.1",
          targetVersion: "1.11.2",
          runsAgent: true,
          masters: [cluster.host("m1").address],
          marathons: [cluster.host("m1").address],
          mesosVersion: "0.23.1",
          registryMirrors: ["https://mirror.local:5000", hostile("mirror")],
          insecureRegistries: [hostile("insecure")],
          logDriver: hostile("log"),
          suite: hostile("suite"),
        });
        return {};
      }),
    );
    for (const [field, tag] of [
      ["registryMirrors", "mirror"],
      ["insecureRegistries", "insecure"],
      ["logDriver", "log"],
    ]) {
      assert.ok(
        message.includes(`${field}: ${JSON.stringify(hostile(tag as string))} is not a valid ${field} value`),
        `${field} is named with its value in: ${message}`,
      );
    }
    assert.ok(message.includes(`suite: ${JSON.stringify(hostile("suite"))} is not an Ubuntu suite`), message);
    assert.ok(
      !message.includes(`${JSON.stringify("https://mirror.local:5000")} is not`),
      "a plain mirror address is accepted",
    );
    assert.deepEqual(cluster.ledger().slice(before), [], "no host was contacted");
    assert.deepEqual(pwned(), []);
  });

  it("says what failed on the host without the key when a command fails or the key is refused", async () => {
    await cluster.inject("m1", { kind: "pull-fails", image: "mesosphere/marathon" });
    const pull = await upFailure(await open("scratch-injection", components(original())));
    await cluster.clear("m1", "pull-fails");
    assert.match(
      pull,
      /m1 \(127\.0\.84\.11:\d+\): `docker pull mesosphere\/marathon:v0\.9\.1` failed with exit code 1/,
    );
    const refused = await upFailure(
      await open("scratch-stranger", async () => {
        const m1 = cluster.host("m1");
        const marathon = new MarathonInstance("m1-marathon", {
          connection: connection(m1),
          privateKey: pulumi.secret(stranger),
          version: "0.9.1",
          targetVersion: "1.1.7",
          masters: [m1.address],
          flags: original().flags.marathon,
        });
        return { gate: marathon.gateObserved };
      }),
    );
    assert.match(
      refused,
      /m1 \(127\.0\.84\.11:\d+\): the private key was refused for user "[^"]+"; authorise its public key on the host or set ssh\.user/,
    );
  });

  it("shows no private key in any message, output or stored state", () => {
    assert.ok(texts.length > 5, "the runs above left their output here");
    const stored = fs
      .readdirSync(path.join(dir, "state"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".json"))
      .map((f) => fs.readFileSync(path.join(dir, "state", f), "utf8"));
    assert.ok(stored.length > 0);
    for (const key of [cluster.userKey.privateKey, stranger]) {
      const lines = key.split("\n").filter((line) => line.length >= 16 && !line.startsWith("-----"));
      assert.ok(lines.length > 0);
      for (const text of [...texts, ...stored]) {
        for (const line of lines) {
          assert.ok(!text.includes(line), "a line of a private key was shown or stored in plain text");
        }
      }
    }
  });
});
