// Docker past 1.13 on a simulated trusty host: docker-engine 17.03/17.05, the switch to docker-ce, 17.06 to 18.06.3,
// `docker version` per release and live-restore across these upgrades (patch releases only).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ssh, useCluster } from "./helpers";

describe("Docker CE on a simulated trusty host", () => {
  const cluster = useCluster("h1,h2:none", { network: "127.0.229", bootstrap: false, versions: { docker: "17.03.2" } });
  const run = (command: string, host = "h1") => ssh(cluster(), host, command);

  test("starts at docker-engine 17.03.2, which names itself 17.03.2-ce and prints the 17.x version layout", async () => {
    assert.equal(
      (await run("dpkg-query -W -f='${Package} ${Version}' docker-engine")).stdout,
      "docker-engine 17.03.2~ce-0~ubuntu-trusty",
    );
    const version = await run("docker version");
    assert.equal(version.code, 0, version.stderr);
    assert.match(
      version.stdout,
      /^Client:\n Version: {6}17\.03\.2-ce\n API version: {2}1\.27\n Go version: {3}go1\.7\.5\n Git commit: {3}f5ec1e2\n/,
    );
    assert.match(
      version.stdout,
      /\nServer:\n Version: {6}17\.03\.2-ce\n API version: {2}1\.27 \(minimum version 1\.12\)\n.*\n Experimental: false\n$/s,
    );
    assert.equal((await run("docker --version")).stdout, "Docker version 17.03.2-ce, build f5ec1e2\n");
    assert.equal((await run("docker info --format '{{.ServerVersion}}'")).stdout, "17.03.2-ce\n");
  });

  test("installing docker-ce 17.06.2 removes docker-engine in the same apt run and restarts the containers (no live-restore)", async () => {
    assert.equal((await run("docker run -d --name keep --restart=always redis:3.0.7 redis-server")).code, 0);
    const before = (await run("docker inspect --format '{{.State.StartedAt}}' keep")).stdout;
    const install = await run("apt-get install -y docker-ce=17.06.2~ce-0~ubuntu");
    assert.equal(install.code, 0, install.stderr);
    assert.match(
      install.stdout,
      /The following packages will be REMOVED:\n  docker-engine\nThe following NEW packages will be installed:\n  docker-ce\n/,
    );
    assert.match(install.stdout, /Removing docker-engine \(17\.03\.2~ce-0~ubuntu-trusty\) \.\.\.\n/);
    const query = await run("dpkg-query -W -f='${Package} ${Version} ${Status}\\n' docker-engine docker-ce");
    assert.deepEqual(
      [query.stdout, query.stderr],
      [
        "docker-ce 17.06.2~ce-0~ubuntu install ok installed\n",
        "dpkg-query: no packages found matching docker-engine\n",
      ],
    );
    assert.equal(
      (await run("docker version --format '{{.Server.Version}} {{.Server.APIVersion}}'")).stdout,
      "17.06.2-ce 1.30\n",
    );
    const after = await run("docker inspect --format '{{.State.Running}} {{.State.StartedAt}}' keep");
    assert.match(after.stdout, /^true /);
    assert.notEqual(after.stdout.slice(5), before, "the container was restarted, not kept");
  });

  test("18.06.3 prints the server under Engine: with its commit d7080c1", async () => {
    const install = await run("apt-get install -y docker-ce=18.06.3~ce~3-0~ubuntu && docker version");
    assert.equal(install.code, 0, install.stderr);
    assert.match(
      install.stdout,
      /\nClient:\n Version: {11}18\.06\.3-ce\n API version: {7}1\.38\n Go version: {8}go1\.10\.3\n Git commit: {8}d7080c1\n/,
    );
    assert.match(
      install.stdout,
      /\nServer:\n Engine:\n  Version: {10}18\.06\.3-ce\n  API version: {6}1\.38 \(minimum version 1\.12\)\n/,
    );
  });

  test("live-restore keeps containers across a patch upgrade (18.06.0 → 18.06.3) but not across 17.09 → 18.06", async () => {
    const setup = await run(
      "apt-get install -y docker-ce=17.09.1~ce-0~ubuntu && echo '{\"live-restore\": true}' > /etc/docker/daemon.json && service docker restart && docker run -d --name keep --restart=always redis:3.0.7 redis-server",
      "h2",
    );
    assert.equal(setup.code, 0, setup.stderr);
    const started = async () => (await run("docker inspect --format '{{.State.StartedAt}}' keep", "h2")).stdout;
    const first = await started();
    assert.equal((await run("apt-get install -y docker-ce=18.06.0~ce~3-0~ubuntu", "h2")).code, 0);
    const second = await started();
    assert.notEqual(second, first, "17.09 → 18.06 does not restore: the container restarted");
    assert.equal((await run("apt-get install -y docker-ce=18.06.3~ce~3-0~ubuntu", "h2")).code, 0);
    assert.equal(await started(), second, "18.06.0 → 18.06.3 restores: the same container process runs on");
    assert.match((await run("docker info", "h2")).stdout, /Live Restore Enabled: true/);
  });
});
