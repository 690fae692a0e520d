import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as YAML from "yaml";
import { parseStackSettings, StackSettingsError, type StackSettings } from "../../../stacks/settings";
import { repoRoot } from "../../../toolchain/paths";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

/** The config of a committed stack file, without the project namespace; placeholders filled in unless asked. */
function stackFileConfig(stack: string, keepPlaceholders = false): Record<string, unknown> {
  let text = fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8");
  if (!keepPlaceholders) text = text.replace(/SHA256:REPLACE-WITH-[\w-]+/g, FINGERPRINT);
  const file = YAML.parse(text) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(file.config).map(([key, value]) => [key.replace(/^mesos-upgrade:/, ""), value]),
  );
}

function minimal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    environment: "prod",
    hosts: [{ name: "m1", address: "10.0.0.1", roles: ["mesos-master", "marathon"], hostKeyFingerprint: FINGERPRINT }],
    targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.1" },
    ...overrides,
  };
}

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parseStackSettings(raw);
  } catch (error) {
    assert.ok(error instanceof StackSettingsError);
    return error.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return assert.fail("expected problems");
}

describe("stack settings", () => {
  for (const stack of ["local", "test", "dev", "demo", "prod"]) {
    it(`reads the committed Pulumi.${stack}.yaml with the seed's agent settings`, () => {
      const settings: StackSettings = parseStackSettings(stackFileConfig(stack));
      assert.equal(settings.environment, stack);
      assert.equal(settings.mesosSlave.workDir, "/data/mesos");
      assert.equal(settings.mesosSlave.flags.cgroups_limit_swap, true);
      assert.equal(settings.mesosSlave.flags.docker_remove_delay, "6hrs");
      assert.ok(!("log_dir" in settings.mesosSlave.flags) && !("log_dir" in settings.mesosMaster.flags));
      // The local stack ends with the seed's last step (Docker's log output off); the others keep it on for now.
      assert.equal(settings.docker.logDriver, stack === "local" ? "none" : "json-file");
      assert.equal(settings.targets.docker, "1.11.2");
    });
  }

  it("reads the committed Pulumi.newest.yaml: the test environment's targets past the seed's table, the newest releases", () => {
    const settings = parseStackSettings(stackFileConfig("newest"));
    assert.equal(settings.environment, "test");
    assert.deepEqual(settings.targets, { docker: "18.06.3", mesos: "1.11.0", marathon: "1.10.26" });
    assert.equal(settings.mesosSlave.workDir, "/data/mesos");
    assert.equal(settings.mesosSlave.flags.cgroups_limit_swap, true);
    assert.equal(settings.mesosSlave.flags.docker_remove_delay, "6hrs");
  });

  it("refuses to run a real environment whose host keys are still placeholders", () => {
    const problems = problemsOf(stackFileConfig("dev", true));
    assert.deepEqual(problems, [
      'hosts[0].hostKeyFingerprint: is still the placeholder "SHA256:REPLACE-WITH-dev-1-HOST-KEY"; put dev-1\'s real key fingerprint here (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the host)',
    ]);
  });

  it("makes dev a single host running every component, promoted from test", () => {
    const dev = parseStackSettings(stackFileConfig("dev"));
    assert.equal(dev.hosts.length, 1);
    assert.deepEqual([...dev.hosts[0].roles].sort(), ["marathon", "mesos-master", "mesos-slave"]);
    assert.equal(dev.promotedFrom, "test");
    assert.equal(parseStackSettings(stackFileConfig("prod")).promotedFrom, "demo");
    assert.equal(parseStackSettings(stackFileConfig("demo")).promotedFrom, "dev");
  });

  it("fills documented defaults so the common case is short", () => {
    const settings = parseStackSettings(minimal());
    assert.deepEqual(settings.ssh, {
      user: "root",
      port: 22,
      sudo: false,
      connectTimeoutSeconds: 10,
      commandTimeoutSeconds: 300,
    });
    assert.deepEqual(settings.rollout, {
      maxUnavailableSlaves: 1,
      gateTimeoutSeconds: 300,
      gateIntervalSeconds: 0.5,
      rollbackOnFailure: true,
      policy: "marathon-docs",
      agentRestartSeconds: 30,
    });
    assert.equal(settings.docker.suite, "trusty");
  });

  it("names an unknown key with the nearest valid one", () => {
    assert.deepEqual(problemsOf(minimal({ rolout: {} })), [
      'rolout: is not a setting of this project; did you mean "rollout"? (see Pulumi.yaml for every key)',
    ]);
    assert.deepEqual(problemsOf(minimal({ rollout: { maxUnavailableSlave: 2 } })), [
      'rollout.maxUnavailableSlave: is not a setting of rollout; did you mean "maxUnavailableSlaves"? Valid: maxUnavailableSlaves, gateTimeoutSeconds, gateIntervalSeconds, rollbackOnFailure, policy, agentRestartSeconds',
    ]);
  });

  it("takes the gates' pace in seconds, a fraction too, and names a pace out of range with the range", () => {
    assert.equal(
      parseStackSettings(minimal({ rollout: { gateIntervalSeconds: 0.1 } })).rollout.gateIntervalSeconds,
      0.1,
    );
    assert.equal(
      parseStackSettings(minimal({ rollout: { gateIntervalSeconds: "2.5" } })).rollout.gateIntervalSeconds,
      2.5,
    );
    assert.deepEqual(problemsOf(minimal({ rollout: { gateIntervalSeconds: 0.01 } })), [
      "rollout.gateIntervalSeconds: must be a number of seconds from 0.05 to 60, got 0.01; e.g. 0.5",
    ]);
    assert.deepEqual(problemsOf(minimal({ rollout: { gateIntervalSeconds: "fast" } })), [
      'rollout.gateIntervalSeconds: must be a number of seconds from 0.05 to 60, got "fast"; e.g. 0.5',
    ]);
  });

  it("reports every problem at once, each with the value and the fix", () => {
    const problems = problemsOf(
      minimal({
        hosts: [
          { name: "m1", address: "10.0.0.1", roles: ["mesos-master", "zookeeper"], hostKeyFingerprint: "SHA256:short" },
          { name: "m1", address: "10.0.0.2", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
        ],
        rollout: { maxUnavailableSlaves: 0 },
      }),
    );
    assert.deepEqual(problems, [
      'hosts[0].roles[1]: must be one of mesos-master, mesos-slave, marathon, got "zookeeper"',
      'hosts[0].hostKeyFingerprint: "SHA256:short" is not an SSH SHA256 fingerprint; copy it from `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on m1',
      'hosts[1].name: "m1" is listed twice; host names must be unique',
      "rollout.maxUnavailableSlaves: must be a whole number of at least 1, got 0",
    ]);
  });

  it("backs ZooKeeper up from its usual data directory unless told otherwise, and names a ZooKeeper host the stack lacks", () => {
    assert.deepEqual(parseStackSettings(minimal()).zookeeper, {
      hosts: [],
      dataDir: "/var/lib/zookeeper",
      backupDir: "/var/backups/mesos-upgrade",
    });
    assert.deepEqual(problemsOf(minimal({ zookeeper: { hosts: ["m2"], dataDir: "var/zk" } })), [
      'zookeeper.hosts: "m2" is not one of the stack\'s hosts; did you mean "m1"?',
      'zookeeper.dataDir: must be an absolute path on the hosts, got "var/zk"; write it from the root, e.g. "/var/zk"',
    ]);
  });

  it("refuses a real environment without hosts", () => {
    assert.deepEqual(problemsOf(minimal({ hosts: [] })), [
      'hosts: stack of environment "prod" lists no hosts; add the cluster\'s hosts',
    ]);
  });
  it("names containers mesos_master, mesos_slave and marathon unless told, and refuses names an agent would stop", () => {
    const settings = parseStackSettings(minimal());
    assert.deepEqual(
      [settings.mesosMaster.containerName, settings.mesosSlave.containerName, settings.marathon.containerName],
      ["mesos_master", "mesos_slave", "marathon"],
    );
    assert.deepEqual(
      problemsOf(minimal({ mesosSlave: { containerName: "mesos-slave" }, marathon: { containerName: "my marathon" } })),
      [
        'mesosSlave.containerName: "mesos-slave" starts with "mesos-": a Mesos agent on the host would stop it as an orphan when it recovers; use "mesos_slave"',
        'marathon.containerName: "my marathon" is not a Docker container name (letters, digits, "_", ".", "-"); e.g. "marathon"',
      ],
    );
  });

  it("checks addresses, ports, users and paths with the rest of the stack file, listing every problem with its key, value and fix", () => {
    const problems = problemsOf(
      minimal({
        hosts: [
          {
            name: "m1",
            address: "10.0.0.256",
            roles: ["mesos-master"],
            hostKeyFingerprint: FINGERPRINT,
            sshPort: 70000,
          },
          {
            name: "m2",
            address: "m2_.example.com",
            roles: ["mesos-slave"],
            hostKeyFingerprint: FINGERPRINT,
            sshPort: 0,
          },
          { name: "m3", address: "fe80::1::2", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
          { name: "m4", address: "fd00::4", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
          { name: "m5", address: "agent-5.prod.example.com", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
        ],
        ssh: { user: "-oProxyCommand=x", port: "22x" },
        mesosSlave: { workDir: "data/mesos" },
      }),
    );
    assert.deepEqual(problems, [
      'hosts[0].address: "10.0.0.256" is not an IPv4 address (four numbers 0-255 joined by dots); write the host\'s IP address or DNS name',
      "hosts[0].sshPort: must be a TCP port from 1 to 65535, got 70000; write the port the host's SSH server listens on (22 by default)",
      'hosts[1].address: "m2_.example.com" is not a host name: label "m2_" (labels are letters, digits and inner hyphens); write the host\'s IP address or DNS name',
      "hosts[1].sshPort: must be a TCP port from 1 to 65535, got 0; write the port the host's SSH server listens on (22 by default)",
      'hosts[2].address: "fe80::1::2" is not an IPv6 address (and a host name has no colon; put an SSH port in sshPort); write the host\'s IP address or DNS name',
      'ssh.user: "-oProxyCommand=x" is not a login name (letters, digits, ".", "_" and "-", not starting with "-"); write the user the operator\'s key logs in as',
      `ssh.port: must be a TCP port from 1 to 65535, got "22x"; write the port the host's SSH server listens on (22 by default)`,
      'mesosSlave.workDir: must be an absolute path on the hosts, got "data/mesos"; write it from the root, e.g. "/data/mesos"',
    ]);
  });
});
