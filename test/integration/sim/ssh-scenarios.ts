// The SSH scenarios every host SSH server must pass (run against ssh2's server and against OpenSSH's sshd).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { generateKeyPair } from "../../../sim/keys";
import type { Cluster } from "../../../sim";
import { connect, eventually, exec, ssh } from "./helpers";

/** Registers the scenarios for a cluster started by `cluster()` (hosts "h1" and "h2", Docker only). */
export function sshScenarios(cluster: () => Cluster): void {
  test("accepts the cluster's user key and runs the command in a real shell", async () => {
    const result = await ssh(cluster(), "h1", 'x=$((6*7)); echo "$x" | tr 4 y; printf "%s|%s" "$HOME" "$(hostname)"');
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      `y2\n${cluster().file.isolation === "namespace" ? "/root" : join(cluster().stateDir, "hosts/h1/root/root")}|${cluster().file.isolation === "namespace" ? "h1" : result.stdout.split("|")[1]}`,
    );
  });

  test("passes exit codes and stderr back to the client", async () => {
    const result = await ssh(cluster(), "h1", "echo out; echo err >&2; exit 7");
    assert.deepEqual(result, { stdout: "out\n", stderr: "err\n", code: 7 });
  });

  test("refuses a key it does not authorise", async () => {
    const other = generateKeyPair().private;
    await assert.rejects(
      connect(cluster().host("h1"), other, cluster().userKey.user),
      /All configured authentication methods failed/,
    );
  });

  test("presents the host key whose fingerprint up printed", async () => {
    const host = cluster().host("h2");
    const client = await connect(host, cluster().userKey.privateKey, cluster().userKey.user);
    client.end();
    const printed = spawnSync("ssh-keygen", ["-lf", join(cluster().stateDir, "hosts/h2/ssh_host_ed25519_key.pub")], {
      encoding: "utf8",
    });
    if (printed.status === 0) assert.equal(printed.stdout.split(" ")[1], host.hostKeyFingerprint);
    await assert.rejects(
      connect(
        { ...host, hostKeyFingerprint: "SHA256:not-this-one" },
        cluster().userKey.privateKey,
        cluster().userKey.user,
      ),
      /verification failed/,
    );
  });

  test(
    "works with the system ssh client, pinning the key through known_hosts",
    { skip: !existsSync("/usr/bin/ssh") },
    () => {
      const host = cluster().host("h1");
      const result = spawnSync(
        "ssh",
        [
          "-i",
          cluster().userKey.privateKeyPath,
          "-o",
          `UserKnownHostsFile=${cluster().knownHostsPath}`,
          "-o",
          "StrictHostKeyChecking=yes",
          "-o",
          "BatchMode=yes",
          "-p",
          String(host.sshPort),
          `${cluster().userKey.user}@${host.address}`,
          "docker version --format '{{.Server.Version}}' 2>&1; exit 5",
        ],
        { encoding: "utf8", timeout: 20_000 },
      );
      assert.equal(result.status, 5, result.stderr);
      // docker 1.7 has no `version --format` (added in 1.8): mflag rejects it before contacting the daemon.
      assert.equal(result.stdout, "flag provided but not defined: --format\nSee 'docker version --help'.\n");
    },
  );

  test("records the exact command string and each fake command's argv in the ledger, with no shell injection", async () => {
    const hostile = `a;touch /tmp/p1 $(touch /tmp/p2) \`touch /tmp/p3\` 'q' "d"\nline2`;
    const quoted = `'${hostile.replace(/'/g, `'\\''`)}'`;
    const command = `docker run -d --name inj -e X=${quoted} busybox true`;
    const result = await ssh(cluster(), "h2", command);
    assert.equal(result.code, 0, result.stderr);
    const ledger = cluster().ledger("h2");
    assert.ok(ledger.some((e) => e.kind === "ssh.exec" && e.command === command));
    const run = ledger.find((e) => e.kind === "exec" && e.program === "docker" && e.argv?.[0] === "run");
    assert.deepEqual(run?.argv, ["run", "-d", "--name", "inj", "-e", `X=${hostile}`, "busybox", "true"]);
    const check = await ssh(
      cluster(),
      "h2",
      "ls /tmp/p1 /tmp/p2 /tmp/p3 2>/dev/null | wc -l; docker inspect --format '{{json .Config.Env}}' inj",
    );
    // busybox's own PATH follows the container's variables: the daemon merges the image's environment in.
    assert.equal(
      check.stdout,
      `0\n${JSON.stringify([`X=${hostile}`, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])}\n`,
    );
  });

  test("keeps host files in the host's own filesystem", async (t) => {
    if (cluster().file.isolation !== "namespace") return t.skip("needs root for a mount namespace");
    const result = await ssh(
      cluster(),
      "h1",
      "mkdir -p /etc/docker && echo '{\"live-restore\":true}' > /etc/docker/daemon.json && cat /etc/docker/daemon.json && touch /usr/should-fail 2>/dev/null; echo $?",
    );
    assert.equal(result.stdout, '{"live-restore":true}\n1\n');
    assert.equal(
      readFileSync(join(cluster().stateDir, "hosts/h1/root/etc/docker/daemon.json"), "utf8"),
      '{"live-restore":true}\n',
    );
    assert.ok(!existsSync("/usr/should-fail"));
  });

  test("refuses, hangs and recovers as faults are injected and cleared", async () => {
    const c = cluster();
    await c.inject("h2", { kind: "ssh-refuse" });
    await assert.rejects(connect(c.host("h2"), c.userKey.privateKey, c.userKey.user), /ECONNREFUSED/);
    await c.inject("h2", { kind: "ssh-hang" });
    await c.clear("h2", "ssh-refuse");
    await assert.rejects(
      connect(c.host("h2"), c.userKey.privateKey, c.userKey.user, { readyTimeout: 700 }),
      /Timed out while waiting for handshake/,
    );
    await c.clear("h2");
    const result = await eventually("ssh back", () => ssh(c, "h2", "echo back").catch(() => undefined));
    assert.equal(result.stdout, "back\n");
    assert.deepEqual(
      c
        .ledger("h2")
        .filter((e) => e.kind === "fault")
        .map((e) => `${e.fault}:${e.action}`),
      ["ssh-refuse:injected", "ssh-hang:injected", "ssh-refuse:cleared", "ssh-hang:cleared"],
    );
  });

  test("forwards a channel to a port the host opens (sshd's default AllowTcpForwarding), and fails the open where nothing listens", async () => {
    const host = cluster().host("h1");
    const service = createServer((socket) => socket.end(`hello from ${socket.remoteAddress}`));
    await new Promise<void>((resolve) => service.listen(0, host.address, resolve));
    const port = (service.address() as AddressInfo).port;
    const client = await connect(host, cluster().userKey.privateKey, cluster().userKey.user);
    try {
      const forward = (to: number) =>
        new Promise<string>((resolve, reject) => {
          client.forwardOut("127.0.0.1", 0, host.address, to, (error, stream) => {
            if (error) return reject(error);
            let text = "";
            // The far end's EOF ends the answer (OpenSSH keeps the channel open until the client ends its side too).
            stream
              .on("data", (chunk: Buffer) => {
                text += chunk.toString();
              })
              .on("end", () => {
                resolve(text);
                stream.end();
              });
          });
        });
      assert.match(
        await forward(port),
        /^hello from 127\./,
        "the host opens the connection and the answer comes back through the channel",
      );
      service.close();
      await assert.rejects(forward(port), /open failed|Channel open failure/i);
    } finally {
      client.end();
      service.close();
    }
  });

  test("keeps a connection open across many commands", async () => {
    const client = await connect(cluster().host("h1"), cluster().userKey.privateKey, cluster().userKey.user);
    try {
      const results = await Promise.all([1, 2, 3, 4].map((i) => exec(client, `echo ${i}`)));
      assert.deepEqual(
        results.map((r) => r.stdout),
        ["1\n", "2\n", "3\n", "4\n"],
      );
      assert.equal((await exec(client, "cat", "piped stdin")).stdout, "piped stdin");
    } finally {
      client.end();
    }
  });
}
