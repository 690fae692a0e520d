import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runArgv, specOf } from "../../../providers/container";
import { parseInspect } from "../../../observe/containers";
import { optionFlags, optionsOf, ownEnvironment } from "../../../observe/container-options";
import { replacementSpec } from "../../../providers/containerized";

const ID = "0123456789abcdef0123456789abcdef";
const inspected = {
  Id: ID,
  Name: "/mesos_master",
  Image: "sha256:old",
  Path: "/usr/sbin/mesos-master",
  Args: ["--quorum=1"],
  State: { Running: true },
  Config: {
    Image: "mesosphere/mesos-master:0.25.1-2.0.70.ubuntu1404",
    Hostname: "m1.corp.example",
    User: "root",
    WorkingDir: "",
    Entrypoint: ["/usr/sbin/mesos-master"],
    Labels: { team: "platform" },
    Cmd: ["--quorum=1"],
    Env: ["GLOG_v=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  },
  HostConfig: {
    Binds: ["/var/lib/mesos:/var/lib/mesos"],
    NetworkMode: "bridge",
    PidMode: "host",
    Privileged: false,
    RestartPolicy: { Name: "on-failure", MaximumRetryCount: 5 },
    LogConfig: { Type: "syslog", Config: { tag: "m" } },
    Memory: 536870912,
    MemorySwap: 0,
    Dns: ["10.0.0.2"],
    ExtraHosts: ["zk1:10.0.0.11"],
    Ulimits: [{ Name: "nofile", Soft: 8192, Hard: 16384 }],
    ShmSize: 67108864,
    CpuShares: 0,
  },
};
const image = {
  Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  Entrypoint: ["mesos-master"],
};

describe("a container's whole configuration, read and given back", () => {
  it("keeps the options an operator gave and leaves the daemon's and the image's defaults out", () => {
    const options = optionsOf(inspected, image, "json-file", ID);
    assert.deepEqual(options, {
      hostname: "m1.corp.example",
      user: "root",
      entrypoint: ["/usr/sbin/mesos-master"],
      labels: { team: "platform" },
      logDriver: "syslog",
      logOptions: { tag: "m" },
      restartRetries: 5,
      memory: 536870912,
      dns: ["10.0.0.2"],
      extraHosts: ["zk1:10.0.0.11"],
      ulimits: ["nofile=8192:16384"],
    });
  });

  it("leaves the hostname of a container on the host's network to the host (docker run refuses -h with --net host)", () => {
    assert.equal(
      optionsOf({ ...inspected, HostConfig: { ...inspected.HostConfig, NetworkMode: "host" } }, image, "json-file", ID)
        .hostname,
      undefined,
    );
  });

  it("leaves a container that follows the daemon's log driver following it, and an image's own entrypoint to the next image", () => {
    const following = {
      ...inspected,
      HostConfig: { ...inspected.HostConfig, LogConfig: { Type: "json-file", Config: {} } },
      Config: { ...inspected.Config, Entrypoint: ["mesos-master"] },
    };
    const options = optionsOf(following, image, "json-file", ID);
    assert.equal(options.logDriver, undefined);
    assert.equal(options.entrypoint, undefined);
    assert.equal(
      optionsOf(following, image, "none", ID).logDriver,
      "json-file",
      "a driver other than the daemon's is the container's own",
    );
  });

  it("reads the environment without what the image sets, so the next image brings its own", () => {
    assert.deepEqual(ownEnvironment(inspected.Config.Env, image), ["GLOG_v=1"]);
    assert.deepEqual(
      ownEnvironment(["PATH=/opt/bin"], image),
      ["PATH=/opt/bin"],
      "a variable the operator changed is the operator's",
    );
    const running = parseInspect(inspected, { images: new Map([["sha256:old", image]]), daemonLogDriver: "json-file" });
    assert.deepEqual(running.env, { GLOG_v: "1" });
  });

  it("renders every option as docker run flags before the image", () => {
    const running = parseInspect(inspected, { images: new Map([["sha256:old", image]]), daemonLogDriver: "json-file" });
    const argv = runArgv(specOf(running));
    assert.deepEqual(argv.slice(argv.indexOf("--restart"), argv.indexOf("--restart") + 2), [
      "--restart",
      "on-failure:5",
    ]);
    for (const flag of [
      ["--memory", "536870912"],
      ["--dns", "10.0.0.2"],
      ["--add-host", "zk1:10.0.0.11"],
      ["--ulimit", "nofile=8192:16384"],
      ["--log-driver", "syslog"],
      ["--log-opt", "tag=m"],
      ["--entrypoint", "/usr/sbin/mesos-master"],
      ["--user", "root"],
      ["--hostname", "m1.corp.example"],
      ["--label", "team=platform"],
      ["--pid", "host"],
    ]) {
      const at = argv.indexOf(flag[0] as string);
      assert.ok(
        at > 0 && argv[at + 1] === flag[1] && at < argv.indexOf(running.image),
        `${flag.join(" ")} in ${argv.join(" ")}`,
      );
    }
    assert.deepEqual(optionFlags(undefined), []);
  });

  it("re-creates with the stack's image, arguments and settings and everything else of the running container", () => {
    const running = parseInspect(inspected, { images: new Map([["sha256:old", image]]), daemonLogDriver: "json-file" });
    const wanted = {
      name: "mesos_master",
      image: "mesosphere/mesos-master:0.26.2-2.0.60.ubuntu1404",
      args: ["--quorum=1", "--work_dir=/var/lib/mesos"],
      env: { GLOG_v: "2" },
      volumes: ["/var/lib/mesos:/var/lib/mesos"],
      hostNetwork: true,
      privileged: false,
      restart: "always" as const,
    };
    const spec = replacementSpec(wanted, running);
    assert.equal(spec.image, wanted.image);
    assert.deepEqual(spec.args, wanted.args);
    assert.deepEqual(spec.env, { GLOG_v: "2" }, "what the stack changed");
    assert.equal(spec.pidHost, true, "host PID an operator gave stays");
    assert.equal(spec.restart, "on-failure");
    assert.equal(spec.options?.memory, 536870912);
    assert.deepEqual(replacementSpec(wanted, undefined), wanted, "a new container is what the stack asks for");
  });
});
