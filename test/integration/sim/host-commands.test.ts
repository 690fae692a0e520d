// The fake host commands as a host's shell sees them, now that they are thin clients of the host's daemon
// (sim/host/tool-client.ts): the client's own working directory, filesystem and environment, its exit status and
// output streams, the ledger, sudo's pass-through, and a client killed mid-command; each case with the compiled C
// client and with the Perl one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { startCluster } from "../../../sim/cluster";
import { paths } from "../../../sim/layout";
import { eventually, ssh, tempStateDir, useCluster } from "./helpers";

const CLIENTS = [
  { toolClient: "compiled", network: "127.0.250", starts: "\x7fELF" },
  { toolClient: "perl", network: "127.0.252", starts: "#!/usr/bin/perl" },
] as const;

for (const { toolClient, network, starts } of CLIENTS) {
  describe(`fake host commands over the daemon's tool socket (${toolClient} client)`, () => {
    const cluster = useCluster("h1:none", { network, bootstrap: false, toolClient });
    const run = (command: string) => ssh(cluster(), "h1", command);

    test(`installs the ${toolClient} client as every fake command`, () => {
      const shim = readFileSync(`${paths.hostDir(cluster().stateDir, "h1")}/bin/docker`, "latin1");
      assert.equal(shim.slice(0, starts.length), starts);
    });

    test("reads --env-file from the shell's working directory and a bare VAR from the shell's environment", async () => {
      const created = await run(
        "mkdir -p work && cd work && printf 'A=1\\nB\\n' > ./app.env && B=two docker create --name envy --env-file ./app.env busybox:1.24 true >/dev/null && docker inspect --format '{{.Config.Env}}' envy",
      );
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /A=1 B=two/);
      const missing = await run("cd work && docker create --env-file ./nope.env busybox:1.24 true");
      assert.deepEqual([missing.code, missing.stderr], [1, "open ./nope.env: no such file or directory\n"]);
    });

    test("keeps stdout and stderr apart, exits with the tool's status, and records the exec with its origin", async () => {
      const result = await run("SIM_ORIGIN=probe docker inspect --format '{{.Name}}' envy nosuch; echo rc=$?");
      assert.equal(result.stdout, "/envy\nrc=1\n");
      assert.equal(result.stderr, "Error: No such image or container: nosuch\n");
      // Inside a namespaced host the Docker socket is at its default path; without isolation it is the host's
      // DOCKER_HOST.
      const socket = cluster().file.isolation === "namespace" ? "unix:///var/run/docker.sock" : '"$DOCKER_HOST"';
      const named = await run(`docker -H ${socket} inspect --format '{{.Name}}' envy`);
      assert.deepEqual([named.code, named.stdout], [0, "/envy\n"], "-H names a socket in the host's own filesystem");
      const apt = await run("apt-get install -y no-such-package; echo rc=$?");
      assert.match(apt.stdout, /rc=100\n$/);
      assert.match(apt.stderr, /E: Unable to locate package no-such-package/);
      const entry = cluster()
        .ledger("h1")
        .find((e) => e.kind === "exec" && e.program === "docker" && e.origin === "probe");
      assert.deepEqual(entry?.argv, ["inspect", "--format", "{{.Name}}", "envy", "nosuch"]);
    });

    test("sudo records itself and runs its program in place, with the shell's environment", async () => {
      const result = await run("X=kept sudo -u root sh -c 'echo $X; docker inspect --format {{.Name}} envy'");
      assert.deepEqual([result.code, result.stdout], [0, "kept\n/envy\n"]);
      const missing = await run("sudo no-such-command");
      assert.deepEqual([missing.code, missing.stderr], [1, "sudo: no-such-command: command not found\n"]);
      assert.ok(
        cluster()
          .ledger("h1")
          .some((e) => e.kind === "exec" && e.program === "sudo" && e.argv?.[0] === "-u"),
      );
    });

    test("a docker run whose client is killed during the image pull creates no container", async () => {
      await cluster().inject("h1", { kind: "pull-slow", seconds: 60 });
      const wall = 60 * 1000 * cluster().file.profile.timeScale;
      const killed = await run(
        `docker run -d --name late redis:3.0.7 >/dev/null 2>&1 & pid=$!; sleep ${(wall / 3000).toFixed(2)}; kill $pid; wait $pid; echo rc=$?`,
      );
      assert.equal(killed.stdout, "rc=143\n");
      // The daemon finishes the pull it started (no cancellation is modelled); a client still running would create.
      await eventually("the daemon's pull to finish", async () =>
        /redis +3\.0\.7/.test((await run("docker images")).stdout),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      await cluster().clear("h1");
      const after = await run("docker ps -a; echo rc=$?");
      assert.match(after.stdout, /rc=0\n$/);
      assert.doesNotMatch(after.stdout, /late/, "the client never got to create the container");
    });
  });
}

describe("a cluster started at a lower CPU priority", () => {
  const cluster = useCluster("h1:none", { network: "127.0.251", bootstrap: false, niceness: 7 });

  test("runs its host daemon and the commands of the host's shells at that niceness", async () => {
    const daemon = readFileSync(`/proc/${cluster().file.pids.h1}/stat`, "latin1");
    // Field 19 of /proc/<pid>/stat, counted after the command name's closing parenthesis.
    assert.equal(daemon.slice(daemon.lastIndexOf(")") + 2).split(" ")[16], "7");
    const shell = await ssh(cluster(), "h1", "nice");
    assert.deepEqual([shell.code, shell.stdout], [0, "7\n"], shell.stderr);
  });

  test("refuses a niceness nice(1) would not take, naming the range, before starting anything", async () => {
    await assert.rejects(
      startCluster("h2:none", { network: "127.0.251", bootstrap: false, niceness: 20, stateDir: tempStateDir() }),
      {
        name: "ClusterStartError",
        message: "niceness 20 must be an integer from 0 (the default) to 19, as nice(1) takes it",
      },
    );
  });
});

describe("the choice of the hosts' command client", () => {
  test("refuses the compiled client on a machine without a C compiler, and a client of another name, before starting anything", async (t) => {
    const saved = { cache: process.env.MESOS_UPGRADE_CACHE, cc: process.env.CC };
    t.after(() => {
      for (const [name, value] of [
        ["MESOS_UPGRADE_CACHE", saved.cache],
        ["CC", saved.cc],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    // An empty cache and a compiler that cannot run: what a machine without gcc sees.
    process.env.MESOS_UPGRADE_CACHE = tempStateDir();
    process.env.CC = "/no/such/cc";
    const start = (toolClient: string) =>
      startCluster("h3:none", {
        network: "127.0.252",
        bootstrap: false,
        stateDir: tempStateDir(),
        toolClient: toolClient as "compiled",
      });
    await assert.rejects(start("compiled"), {
      name: "ClusterStartError",
      message:
        "no C compiler: `/no/such/cc` could not be run (ENOENT); install gcc, or set CC (or start with the tool client perl)",
    });
    await assert.rejects(start("c"), {
      name: "ClusterStartError",
      message: 'tool client "c" must be compiled or perl',
    });
  });
});
