import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { componentDiff } from "../../../providers/component";
import { runArgv } from "../../../providers/container";
import { parseInspect } from "../../../observe/containers";
import { desiredSpec, type ContainerizedInputs } from "../../../providers/containerized";
import { dockerOpts, implementation as dockerEngine, packageVersion } from "../../../providers/dockerEngine";
import { imageFor, versionOfImage } from "../../../catalogue/images";
import { implementation as slave } from "../../../providers/mesosSlave";
import { masterGate } from "../../../providers/mesosMaster";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

function agentInputs(overrides: Partial<ContainerizedInputs> = {}): ContainerizedInputs {
  return {
    connection: { name: "a1", address: "127.0.1.4", hostKeyFingerprint: FINGERPRINT },
    privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
    version: "0.23.1",
    targetVersion: "0.28.2",
    flags: {
      master: "zk://127.0.1.1:2181/mesos",
      work_dir: "/data/mesos",
      containerizers: "docker,mesos",
      cgroups_limit_swap: true,
      docker_remove_delay: "6hrs",
    },
    masters: ["127.0.1.1"],
    ...overrides,
  };
}

describe("what the providers send to a host", () => {
  it("names images by Mesosphere's tags and reads the version back", () => {
    assert.equal(imageFor("mesos-slave", "0.22.1"), "mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404");
    assert.equal(imageFor("mesos-master", "0.28.2"), "mesosphere/mesos-master:0.28.2-2.0.27.ubuntu1404");
    assert.equal(
      imageFor("marathon", "1.1.1", "harbor.local/mesosphere/marathon"),
      "harbor.local/mesosphere/marathon:v1.1.1",
    );
    assert.equal(versionOfImage("mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404"), "0.22.1");
    assert.equal(versionOfImage("registry:5000/mesosphere/marathon:v1.0.0-RC1"), "1.0.0-RC1");
  });

  it("runs the agent with its work dir mounted at the same path and the seed's flags", () => {
    const { spec } = desiredSpec(
      {
        component: "mesos-slave",
        line: "mesos",
        containerName: "mesos-slave",
        defaultVolumes: (i) => [`${i.flags.work_dir}:${i.flags.work_dir}`, "/var/run/docker.sock:/var/run/docker.sock"],
        gates: async () => {
          throw new Error("unused");
        },
      },
      agentInputs(),
      "0.23.1",
    );
    assert.deepEqual(runArgv(spec), [
      "docker",
      "run",
      "-d",
      "--name",
      "mesos-slave",
      "--net",
      "host",
      "--privileged",
      "--restart",
      "always",
      "-v",
      "/data/mesos:/data/mesos",
      "-v",
      "/var/run/docker.sock:/var/run/docker.sock",
      "mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404",
      ...spec.args,
    ]);
    assert.ok(spec.args.includes("--work_dir=/data/mesos"));
    assert.ok(spec.args.includes("--cgroups_limit_swap=true"));
    assert.ok(spec.args.includes("--docker_remove_delay=6hrs"));
    assert.ok(!spec.args.some((arg) => arg.startsWith("--log_dir")));
  });

  it("refuses an agent without the bind-mounted work dir, naming the fix", async () => {
    const result = await slave.check({}, agentInputs({ volumes: ["/var/lib/mesos:/data/mesos"] }));
    assert.ok(result.failures && result.failures.length > 0);
    assert.match(result.failures[0].reason, /-v \/data\/mesos:\/data\/mesos/);
  });

  it("refuses an unknown flag with the nearest valid name", async () => {
    const result = await slave.check({}, agentInputs({ flags: { ...agentInputs().flags, cgroup_limit_swap: true } }));
    assert.ok(
      result.failures?.some((f) => f.property === "flags.cgroup_limit_swap" && /cgroups_limit_swap/.test(f.reason)),
      JSON.stringify(result.failures),
    );
  });

  it("refuses a version never to land on", async () => {
    const result = await slave.check({}, agentInputs({ version: "0.24.0" }));
    assert.ok(
      result.failures?.some((f) => f.property === "version" && /MESOS-3834/.test(f.reason)),
      JSON.stringify(result.failures),
    );
  });

  it("reads docker inspect's JSON", () => {
    const running = parseInspect({
      Id: "abc",
      Name: "/mesos-slave",
      Image: "sha256:1",
      Args: ["--work_dir=/data/mesos"],
      Config: { Image: "mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404", Env: ["MESOS_QUORUM=2", "PATH=/usr/bin"] },
      State: { Running: true },
      HostConfig: {
        Binds: ["/data/mesos:/data/mesos"],
        NetworkMode: "host",
        Privileged: true,
        RestartPolicy: { Name: "always" },
      },
    });
    assert.equal(running.name, "mesos-slave");
    assert.deepEqual(running.env, { MESOS_QUORUM: "2", PATH: "/usr/bin" });
    assert.equal(running.restart, "always");
  });

  it("writes the engine's options and package versions the way docker-engine on trusty reads them", () => {
    assert.equal(
      dockerOpts({ logDriver: "json-file", insecureRegistries: ["192.0.2.40:5000"] }),
      'DOCKER_OPTS="--log-driver=json-file --insecure-registry=192.0.2.40:5000"',
    );
    assert.equal(packageVersion("1.11.2"), "1.11.2-0~trusty");
    assert.equal(packageVersion("1.12.3"), "1.12.3-0~trusty");
    assert.equal(
      packageVersion("1.12.4"),
      "1.12.4-0~ubuntu-trusty",
      "apt.dockerproject.org names 1.12.4+ -0~ubuntu-trusty",
    );
    assert.equal(packageVersion("1.13.1", "ubuntu-trusty"), "1.13.1-0~ubuntu-trusty");
    assert.equal(packageVersion("18.06.3"), "18.06.3~ce~3-0~ubuntu");
  });
});

describe("a component's gate", () => {
  it("looks at the stack's pace when the resource carries one, else every half second", () => {
    const paced = masterGate(agentInputs({ gateIntervalSeconds: 0.2 }), "0.27.2");
    assert.deepEqual([paced.intervalSeconds, paced.stableIntervalSeconds, paced.stableChecks], [0.2, 0.1, 2]);
    const usual = masterGate(agentInputs(), "0.27.2");
    assert.deepEqual([usual.intervalSeconds, usual.stableIntervalSeconds, usual.stableChecks], [0.5, 0.25, 2]);
  });
});

describe("the diff rule", () => {
  const olds = { connection: { name: "m1", address: "10.0.0.1" }, version: "0.24.2", flags: { quorum: 2 } };
  it("shows nothing when no input changed", () => {
    assert.deepEqual(componentDiff(olds, { ...olds, flags: { quorum: 2 } }, ["connection", "version", "flags"]), {
      changes: false,
    });
  });
  it("shows nothing when only the gates' pace changed: it says how the provider looks, not what runs", () => {
    const keys = ["connection", "version", "flags", "gateIntervalSeconds"];
    assert.deepEqual(componentDiff(olds, { ...olds, gateIntervalSeconds: 0.1 }, keys), { changes: false });
    assert.deepEqual(componentDiff(olds, { ...olds, gateIntervalSeconds: 0.1, version: "0.25.1" }, keys), {});
  });
  it("lets the engine show the changed properties for a hop", () => {
    assert.deepEqual(componentDiff(olds, { ...olds, version: "0.25.1" }, ["connection", "version", "flags"]), {});
  });
  it("shows nothing when only the way to the hosts' HTTP ports changed: the stack's config says it, not the resource", () => {
    const routed = (hosts: string[], scheme = "http") => ({
      ...olds,
      connection: { ...olds.connection, http: { via: "ssh", scheme, hosts: hosts.map((name) => ({ name })) } },
    });
    const before = routed(["m1", "a1", "a2", "a3"]);
    assert.deepEqual(componentDiff(before, routed(["m1"]), ["connection", "version"]), { changes: false });
    assert.deepEqual(componentDiff(before, routed(["m1"], "https"), ["connection", "version"]), { changes: false });
    assert.deepEqual(componentDiff(before, olds, ["connection", "version"]), { changes: false }, "a table from before");
    assert.deepEqual(componentDiff(before, { ...olds, version: "0.28.2" }, ["connection", "version"]), {});
  });
  it("replaces only when the host itself changes", () => {
    assert.deepEqual(
      componentDiff(olds, { ...olds, connection: { name: "m1", address: "10.0.0.9" } }, ["connection"]),
      { replaces: ["connection"], deleteBeforeReplace: false },
    );
  });
  it("refuses a container name Docker would refuse in check, and names the container after the inputs", async () => {
    const checked = await slave.check!({}, agentInputs({ containerName: "my agent" }));
    assert.deepEqual(checked.failures, [
      {
        property: "containerName",
        reason:
          'containerName "my agent" is not a Docker container name (letters, digits, "_", ".", "-"; e.g. "mesos_slave")',
      },
    ]);
    assert.equal(
      desiredSpec(
        {
          component: "mesos-slave",
          line: "mesos",
          containerName: "mesos_slave",
          defaultVolumes: () => [],
          gates: async () => {
            throw new Error("unused");
          },
        },
        agentInputs({ containerName: "agent" }),
        "0.23.1",
      ).spec.name,
      "agent",
    );
  });
});

describe("DockerEngine check past docker-engine", () => {
  it("accepts docker-ce releases (17.06 to 18.06.3) and refuses a release that is not catalogued, naming it", async () => {
    const inputs = {
      connection: { name: "a1", address: "127.0.1.4", hostKeyFingerprint: FINGERPRINT },
      privateKey: "unused-by-check",
      version: "17.03.2",
      targetVersion: "18.06.3",
    };
    assert.equal((await dockerEngine.check({}, inputs)).failures, undefined);
    assert.deepEqual((await dockerEngine.check({}, { ...inputs, targetVersion: "18.09.0" })).failures, [
      {
        property: "targetVersion",
        reason: 'targetVersion "18.09.0" is not a known Docker engine release; e.g. "1.11.2" or "18.06.3"',
      },
    ]);
  });
});
