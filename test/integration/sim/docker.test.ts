// The simulated Docker engine, CLI, apt and service, driven over SSH exactly like a real Ubuntu 14.04 host.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventually, ssh, useCluster } from "./helpers";

describe("docker on a simulated host", () => {
  const cluster = useCluster("h1,h2:none", { network: "127.0.35", bootstrap: false });
  const run = (command: string, host = "h1") => ssh(cluster(), host, command);

  test("prints `docker version` in 1.7's line format, and has no --format before 1.8", async () => {
    const result = await run("docker version");
    assert.equal(result.code, 0);
    assert.match(
      result.stdout,
      /^Client version: 1\.7\.1\nClient API version: 1\.19\n.*\nServer version: 1\.7\.1\nServer API version: 1\.19\n/s,
    );
    assert.equal((await run("docker --version")).stdout, "Docker version 1.7.1, build 786b29d\n");
  });

  test("runs, lists, inspects, logs, stops and removes containers", async () => {
    const started = await run(
      "docker run -d --name web --restart=always -e A=1 -v /data/web:/srv --net host redis:3.0.7 redis-server --appendonly yes",
    );
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /^[0-9a-f]{64}\n$/);
    assert.match(started.stderr, /Unable to find image 'redis:3.0.7' locally/);
    const ps = await run("docker ps");
    const [header, row] = ps.stdout.split("\n").map((line) => line.split(/ {3,}/));
    assert.deepEqual(header, ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]);
    assert.deepEqual([row?.[1], row?.[2], row?.at(-1)], ["redis:3.0.7", '"redis-server --appe', "web"]);
    assert.match(ps.stdout, /^CONTAINER ID {8}IMAGE {15}COMMAND {16}CREATED/);
    const inspect = await run(
      `docker inspect --format '{{.Name}} {{.HostConfig.NetworkMode}} {{.HostConfig.RestartPolicy.Name}} {{index .Volumes "/srv"}} {{.State.Running}}' web`,
    );
    assert.equal(inspect.stdout, "/web host always /data/web true\n");
    const conflict = await run("docker run -d --name web redis:3.0.7");
    assert.equal(conflict.code, 1);
    assert.match(
      conflict.stderr,
      /^Error response from daemon: Conflict\. The name "\/web" is already in use by container [0-9a-f]{64}\. You have to remove \(or rename\) that container to be able to reuse that name\.\n$/,
    );
    const once = await run("docker run --name once busybox echo hello world; echo rc=$?; docker logs once");
    assert.equal(once.stdout, "hello world\nrc=0\nhello world\n");
    assert.equal((await run("docker stop web")).stdout, "web\n");
    assert.match((await run("docker ps -a --filter name=web")).stdout, /Exited \(0\)/);
    assert.equal((await run("docker rm web once")).stdout, "web\nonce\n");
    const missing = await run("docker rm web");
    assert.deepEqual(
      [missing.code, missing.stderr],
      [1, "Error response from daemon: no such id: web\nError: failed to remove containers: [web]\n"],
    );
  });

  test("fails unknown flags like mflag, with its exit code", async () => {
    const result = await run("docker run --detatch redis");
    assert.deepEqual(
      [result.code, result.stderr],
      [2, "flag provided but not defined: --detatch\nSee 'docker run --help'.\n"],
    );
  });

  test("reports every docker run option in inspect, merges the image's environment and refuses -h on the host's network", async () => {
    const started = await run(
      "docker run -d --name opts -m 64m --memory-swap -1 --dns 10.0.0.2 --add-host zk1:10.0.0.11 --ulimit nofile=1024:2048 -u nobody -l team=platform --log-driver syslog --log-opt tag=x -e A=1 busybox sleep 1000",
    );
    assert.equal(started.code, 0, started.stderr);
    const [inspected] = JSON.parse((await run("docker inspect opts")).stdout) as Array<{
      Config: { Env: string[]; User: string; Labels: Record<string, string> };
      HostConfig: Record<string, unknown>;
    }>;
    assert.deepEqual(
      [
        inspected?.HostConfig.Memory,
        inspected?.HostConfig.MemorySwap,
        inspected?.HostConfig.Dns,
        inspected?.HostConfig.ExtraHosts,
      ],
      [67108864, -1, ["10.0.0.2"], ["zk1:10.0.0.11"]],
    );
    assert.deepEqual(inspected?.HostConfig.Ulimits, [{ Name: "nofile", Hard: 2048, Soft: 1024 }]);
    assert.deepEqual(inspected?.HostConfig.LogConfig, { Type: "syslog", Config: { tag: "x" } });
    assert.deepEqual(
      [inspected?.Config.User, inspected?.Config.Labels, inspected?.Config.Env],
      ["nobody", { team: "platform" }, ["A=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]],
    );
    const refused = await run("docker run -d --net host -h other busybox true");
    assert.deepEqual([refused.code, refused.stderr], [1, "Conflicting options: -h and the network mode (--net)\n"]);
    assert.equal((await run("docker rm -f opts")).code, 0);
  });

  test("changes the engine only through apt: the package restarts the daemon, which stops every container", async () => {
    await run("docker run -d --name keep --restart=always redis:3.0.7 && docker run -d --name plain redis:3.0.7");
    const install = await run("apt-get install -y docker-engine=1.9.1-0~trusty");
    assert.equal(install.code, 0, install.stderr);
    assert.match(
      install.stdout,
      /Preparing to unpack \.\.\.\/docker-engine_1\.9\.1-0~trusty_amd64\.deb \.\.\.\ndocker stop\/waiting\nUnpacking docker-engine \(1\.9\.1-0~trusty\) over \(1\.7\.1-0~trusty\) \.\.\./,
    );
    assert.match(
      install.stdout,
      /Setting up docker-engine \(1\.9\.1-0~trusty\) \.\.\.\ndocker start\/running, process \d+\n$/,
    );
    assert.equal((await run("docker version --format '{{.Server.Version}}'")).stdout, "1.9.1\n");
    const states = await run("docker ps -a --format '{{.Names}} {{.Status}}'");
    assert.match(states.stdout, /keep Up/);
    assert.match(states.stdout, /plain Exited \(0\)/);
    const stops = cluster()
      .ledger("h1")
      .filter((e) => e.kind === "container.stop" && e.reason === "engine stop")
      .map((e) => e.name)
      .sort();
    assert.deepEqual(stops, ["keep", "plain"]);
  });

  test("refuses an unknown version and a downgrade without --force-yes", async () => {
    const unknown = await run("apt-get install -y docker-engine=1.11.9-0~trusty");
    assert.deepEqual(
      [unknown.code, unknown.stderr],
      [100, "E: Version '1.11.9-0~trusty' for 'docker-engine' was not found\n"],
    );
    const down = await run("apt-get install -y docker-engine=1.7.1-0~trusty");
    assert.deepEqual([down.code, down.stderr], [100, "E: There are problems and -y was used without --force-yes\n"]);
  });

  test("says the daemon cannot be reached while the service is stopped", async () => {
    assert.equal((await run("service docker stop")).stdout, "docker stop/waiting\n");
    const ps = await run("docker ps");
    assert.deepEqual(
      [ps.code, ps.stderr],
      [1, "Cannot connect to the Docker daemon. Is the docker daemon running on this host?\n"],
    );
    const again = await run("service docker stop");
    assert.deepEqual([again.code, again.stderr], [1, "stop: Unknown instance: \n"]);
    const restart = await run("service docker restart");
    assert.equal(restart.code, 0);
    assert.match(restart.stdout, /^docker start\/running, process \d+\n$/);
  });

  test("keeps containers across a restart with live-restore on 1.12, and reports daemon options", async (t) => {
    if (cluster().file.isolation !== "namespace") {
      return t.skip("writes the host's /etc: needs per-host filesystems (root)");
    }
    const install = await run(
      'apt-get install -y docker-engine=1.12.6-0~ubuntu-trusty && echo \'{"live-restore": true, "log-driver": "json-file", "insecure-registries": ["harbor.local:5000"]}\' > /etc/docker/daemon.json && service docker restart',
    );
    assert.equal(install.code, 0, install.stderr);
    const before = await run("docker inspect --format '{{.State.StartedAt}}' keep");
    const restart = await run("service docker restart && docker info");
    assert.match(restart.stdout, /Live Restore Enabled: true/);
    assert.match(restart.stdout, /Insecure Registries:\n harbor\.local:5000\n 127\.0\.0\.0\/8/);
    assert.equal((await run("docker inspect --format '{{.State.StartedAt}}' keep")).stdout, before.stdout);
  });

  test("leaves a half-configured package and a stopped daemon when the install fails half way", async () => {
    await cluster().inject("h2", { kind: "package-install-fails" });
    const install = await run("apt-get install -y docker-engine=1.8.3-0~trusty", "h2");
    assert.equal(install.code, 100);
    assert.match(
      install.stdout,
      /Unpacking docker-engine \(1\.8\.3-0~trusty\) over \(1\.7\.1-0~trusty\) \.\.\.\n.*Setting up docker-engine \(1\.8\.3-0~trusty\) \.\.\.\nstart: Job failed to start\n/s,
    );
    assert.match(
      install.stderr,
      /dpkg: error processing package docker-engine \(--configure\):\n subprocess installed post-installation script returned error exit status 1\n/,
    );
    assert.equal(
      (await run("dpkg-query -W -f='${Version} ${db:Status-Abbrev}' docker-engine", "h2")).stdout,
      "1.8.3-0~trusty iF ",
    );
    assert.equal((await run("docker ps", "h2")).code, 1);
    await cluster().clear("h2", "package-install-fails");
    const fix = await run("apt-get install -f -y && docker version --format '{{.Server.Version}}'", "h2");
    assert.equal(fix.code, 0, fix.stderr);
    assert.match(fix.stdout, /1\.8\.3\n$/);
  });

  test("fails pulls with Docker's network error while pull-fails is injected, and slows them with pull-slow", async () => {
    await cluster().inject("h2", { kind: "pull-fails", image: "mesosphere/mesos-slave" });
    const pull = await run("docker pull mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404", "h2");
    assert.deepEqual(
      [pull.code, pull.stderr],
      [
        1,
        "Error while pulling image: Get https://index.docker.io/v1/repositories/mesosphere/mesos-slave/images: net/http: TLS handshake timeout\n",
      ],
    );
    const missing = await run("docker pull mesosphere/mesos-slave:0.99.0", "h2");
    assert.equal(
      missing.stderr,
      "Error while pulling image: Get https://index.docker.io/v1/repositories/mesosphere/mesos-slave/images: net/http: TLS handshake timeout\n",
    );
    await cluster().clear("h2", "pull-fails");
    const unknownTag = await run("docker pull mesosphere/mesos-slave:0.99.0", "h2");
    assert.equal(unknownTag.stderr, "Tag 0.99.0 not found in repository docker.io/mesosphere/mesos-slave\n");
    await cluster().inject("h2", { kind: "pull-slow", seconds: 60 });
    const started = Date.now();
    const slow = await run("docker pull busybox:1.24", "h2");
    assert.equal(slow.code, 0);
    assert.ok(
      Date.now() - started >= 60 * 1000 * cluster().file.profile.timeScale,
      "pull-slow holds the pull for 60 simulated seconds",
    );
    await cluster().clear("h2");
  });

  test("restarts a crash-looping container under its restart policy", async () => {
    await cluster().inject("h2", { kind: "crash-loop", image: "redis" });
    await run("docker run -d --name flappy --restart=always redis:3.0.7", "h2");
    const count = await eventually("two restarts", async () => {
      const n = Number((await run("docker inspect --format '{{.RestartCount}}' flappy", "h2")).stdout);
      return n >= 2 ? n : undefined;
    });
    assert.ok(count >= 2);
    const waiting = await eventually("a look while it waits out its restart delay", async () => {
      const state = (await run("docker inspect --format '{{.State.Running}} {{.State.Restarting}}' flappy", "h2"))
        .stdout;
      return state.endsWith(" true\n") ? state : undefined;
    });
    assert.equal(
      waiting,
      "true true\n",
      "a restarting container is still Running, as Docker's State.SetRestarting has it",
    );
    assert.ok(
      cluster()
        .ledger("h2")
        .filter((e) => e.kind === "container.stop" && e.name === "flappy" && e.reason === "crashed").length >= 2,
    );
    await cluster().clear("h2");
  });

  test("keeps the daemon down when its options are invalid, logging why", async (t) => {
    if (cluster().file.isolation !== "namespace") {
      return t.skip("writes the host's /etc: needs per-host filesystems (root)");
    }
    const result = await run(
      "echo 'DOCKER_OPTS=\"--bogus-flag\"' >> /etc/default/docker && service docker restart; docker ps; cat /var/log/upstart/docker.log",
      "h2",
    );
    assert.match(
      result.stdout,
      /docker start\/running, process 0\n.*level=fatal msg="flag provided but not defined: --bogus-flag"/s,
    );
    assert.match(result.stderr, /Cannot connect to the Docker daemon/);
    await run("sed -i '/bogus/d' /etc/default/docker && service docker start", "h2");
  });
});
