// apt-get, dpkg-query and upstart's service for docker-engine, against an in-memory host.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Fault } from "../../../sim/faults";
import type { LedgerEvent } from "../../../sim/ledger";
import {
  aptCache,
  aptGet,
  dpkgQuery,
  packageFetchSeconds,
  packageSizeKb,
  service,
  type PackageHost,
} from "../../../sim/host/packages";
import type { HostState } from "../../../sim/host/state";
import { FAST, REALISTIC, simClock, type SimClock } from "../../../sim/time";
import { DOCKER_RELEASES } from "../../../sim/catalogue/docker";
import { dockerPackage } from "../../../catalogue/docker-packages";

function fakeHost(
  faults: Fault[] = [],
  packages: HostState["packages"] = { "docker-engine": { version: "1.7.1-0~trusty", status: "installed" } },
): PackageHost & { events: string[]; recorded: LedgerEvent[] } {
  let running: { pid: number } | undefined = { pid: 4242 };
  const events: string[] = [];
  const recorded: LedgerEvent[] = [];
  const state: HostState = { packages: { ...packages }, dockerGoal: "start", faults };
  return {
    state,
    events,
    recorded,
    save: () => undefined,
    clock: simClock({ ...FAST, timeScale: 0.0001 }),
    ledger: { record: (e) => (recorded.push(e), { ...e, time: "", host: "h", seq: 0 }) },
    faults: () => faults,
    dockerRunning: () => running,
    stopDocker: async () => {
      events.push("stop");
      running = undefined;
    },
    startDocker: async () => {
      events.push(
        `start ${Object.entries(state.packages)
          .map(([name, p]) => `${name} ${p.version}`)
          .join(", ")}`,
      );
      running = { pid: 5151 };
      return undefined;
    },
    setDockerBinary: (present) => events.push(`binary ${present}`),
  };
}

describe("apt-get install docker-engine", () => {
  test("stops the daemon before unpacking and starts the new one after", async () => {
    const host = fakeHost();
    const result = await aptGet(host, ["install", "-y", "docker-engine=1.11.2-0~trusty"]);
    assert.equal(result.code, 0);
    assert.deepEqual(host.events, ["stop", "binary true", "start docker-engine 1.11.2-0~trusty"]);
    assert.deepEqual(host.state.packages["docker-engine"], { version: "1.11.2-0~trusty", status: "installed" });
    assert.ok(
      result.stdout.endsWith("Setting up docker-engine (1.11.2-0~trusty) ...\ndocker start/running, process 5151\n"),
    );
    assert.deepEqual(host.recorded, [
      {
        kind: "package.install",
        package: "docker-engine",
        version: "1.11.2-0~trusty",
        ok: true,
        detail: { from: "1.7.1-0~trusty" },
      },
    ]);
  });

  test("asks for confirmation without -y, and refuses unknown packages and versions", async () => {
    const host = fakeHost();
    assert.deepEqual(
      await aptGet(host, ["install", "docker-engine=1.8.3-0~trusty"]).then((r) => [
        r.code,
        r.stdout.split("\n").at(-2),
      ]),
      [1, "Do you want to continue? [Y/n] Abort."],
    );
    assert.equal(
      (await aptGet(host, ["install", "-y", "lxc-docker"])).stderr,
      "E: Unable to locate package lxc-docker\n",
    );
    assert.equal(
      (await aptGet(host, ["install", "-y", "docker-engine=1.12.6-0~trusty"])).stderr,
      "E: Version '1.12.6-0~trusty' for 'docker-engine' was not found\n",
    );
    assert.deepEqual(host.events, []);
  });

  test("downgrades only with --force-yes", async () => {
    const host = fakeHost();
    await aptGet(host, ["install", "-y", "docker-engine=1.9.1-0~trusty"]);
    assert.equal((await aptGet(host, ["install", "-y", "docker-engine=1.8.3-0~trusty"])).code, 100);
    assert.equal((await aptGet(host, ["install", "-y", "--force-yes", "docker-engine=1.8.3-0~trusty"])).code, 0);
    assert.equal(host.state.packages["docker-engine"]?.version, "1.8.3-0~trusty");
  });

  test("leaves the package half-configured and the daemon stopped when the post-installation script fails", async () => {
    const host = fakeHost([{ kind: "package-install-fails" }]);
    const result = await aptGet(host, ["install", "-y", "docker-engine=1.10.3-0~trusty"]);
    assert.equal(result.code, 100);
    assert.equal(result.stderr.split("\n").at(-2), "E: Sub-process /usr/bin/dpkg returned an error code (1)");
    assert.deepEqual(host.events, ["stop", "binary true"]);
    assert.equal(dpkgQuery(host, ["-W", "-f=${Status}", "docker-engine"]).stdout, "install ok half-configured");
  });
});

describe("apt's archive cache (/var/cache/apt/archives)", () => {
  /** A host whose clock records the simulated seconds slept instead of sleeping (realistic profile). */
  function timedHost(): PackageHost & { events: string[]; slept: number[] } {
    const slept: number[] = [];
    const clock: SimClock = {
      profile: REALISTIC,
      ms: (seconds) => seconds * 1000,
      sleep: async (seconds) => void slept.push(seconds),
      since: () => 0,
    };
    return Object.assign(fakeHost(), { clock, slept });
  }
  const target = "docker-engine=1.8.3-0~trusty";
  const fetch = packageFetchSeconds(packageSizeKb("1.8.3-0~trusty"), REALISTIC);

  test("a download-only install fetches the .deb and leaves the daemon alone; the later install fetches nothing", async () => {
    const host = timedHost();
    const download = await aptGet(host, ["install", "-d", "-y", target]);
    assert.equal(download.code, 0);
    assert.match(download.stdout, /^Get:1 .* docker-engine amd64 1\.8\.3-0~trusty \[[0-9,]+ kB\]$/m);
    assert.deepEqual(host.events, []);
    assert.deepEqual(host.slept, [fetch]);
    host.slept.length = 0;
    const install = await aptGet(host, ["install", "-y", target]);
    assert.equal(install.code, 0);
    assert.match(install.stdout, /^Need to get 0 B\/[0-9,]+ kB of archives\.$/m);
    assert.doesNotMatch(install.stdout, /^Get:/m);
    assert.deepEqual(host.slept, [REALISTIC.packageInstallSeconds - fetch]);
    assert.deepEqual(host.events, ["stop", "binary true", "start docker-engine 1.8.3-0~trusty"]);
  });

  test("an install with nothing cached fetches, then unpacks, in the profile's install time; apt-get clean empties the cache", async () => {
    const host = timedHost();
    await aptGet(host, ["install", "-y", target]);
    assert.deepEqual(host.slept, [fetch, REALISTIC.packageInstallSeconds - fetch]);
    assert.ok(fetch > 0 && fetch < REALISTIC.packageInstallSeconds);
    await aptGet(host, ["clean"]);
    host.slept.length = 0;
    const again = await aptGet(host, ["install", "-d", "-y", "docker-engine=1.9.1-0~trusty"]);
    assert.match(again.stdout, /^Get:1 /m);
    assert.equal(host.slept.length, 1);
  });
});

describe("service docker", () => {
  test("restarts as stop-then-start, reporting a stopped job like upstart", async () => {
    const host = fakeHost();
    assert.equal(
      (await service(host, ["docker", "restart"])).stdout,
      "docker stop/waiting\ndocker start/running, process 5151\n",
    );
    await service(host, ["docker", "stop"]);
    const restart = await service(host, ["docker", "restart"]);
    assert.deepEqual(
      [restart.code, restart.stderr, restart.stdout],
      [0, "stop: Unknown instance: \n", "docker start/running, process 5151\n"],
    );
    assert.deepEqual(await service(host, ["docker", "start"]), {
      stdout: "",
      stderr: "start: Job is already running: docker\n",
      code: 1,
    });
    assert.deepEqual(await service(host, ["mesos-slave", "status"]), {
      stdout: "",
      stderr: "mesos-slave: unrecognized service\n",
      code: 1,
    });
  });
});

test("apt-cache madison lists the repository's versions, newest first", () => {
  const lines = aptCache(fakeHost(), ["madison", "docker-engine"]).stdout.split("\n");
  assert.equal(
    lines[0],
    "docker-engine | 17.05.0~ce-0~ubuntu-trusty | https://apt.dockerproject.org/repo/ ubuntu-trusty/main amd64 Packages",
  );
  assert.ok(
    lines.includes(
      "docker-engine | 1.11.2-0~trusty | https://apt.dockerproject.org/repo/ ubuntu-trusty/main amd64 Packages",
    ),
  );
});

test("the simulated repository names its packages by the catalogue's one rule: -0~trusty up to 1.12.3, -0~ubuntu-trusty from 1.12.4", () => {
  const lines = aptCache(fakeHost(), ["madison", "docker-engine"]).stdout.split("\n");
  assert.ok(
    lines.includes(
      "docker-engine | 1.12.3-0~trusty | https://apt.dockerproject.org/repo/ ubuntu-trusty/main amd64 Packages",
    ),
  );
  assert.ok(
    lines.includes(
      "docker-engine | 1.12.4-0~ubuntu-trusty | https://apt.dockerproject.org/repo/ ubuntu-trusty/main amd64 Packages",
    ),
  );
  for (const release of DOCKER_RELEASES) {
    assert.equal(release.packageVersion, dockerPackage(release.version).version, release.version);
  }
});

test("apt-get install refuses the package version a pre-fix provider asked for past 1.12.3 (1.12.6-0~trusty does not exist)", async () => {
  const host = fakeHost();
  const result = await aptGet(host, ["install", "-y", "docker-engine=1.12.6-0~trusty"]);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /1\.12\.6-0~trusty/);
  assert.equal(host.state.packages["docker-engine"]?.version, "1.7.1-0~trusty");
});

describe("the switch from docker-engine to docker-ce (docker-ce Conflicts/Replaces docker-engine)", () => {
  const on1703 = () =>
    fakeHost([], { "docker-engine": { version: "17.03.2~ce-0~ubuntu-trusty", status: "installed" } });

  test("apt-get install docker-ce removes docker-engine in the same install: the daemon stops once, docker-ce's starts", async () => {
    const host = on1703();
    const result = await aptGet(host, ["install", "-y", "docker-ce=17.06.2~ce-0~ubuntu"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /The following packages will be REMOVED:\n  docker-engine\nThe following NEW packages will be installed:\n  docker-ce\n0 upgraded, 1 newly installed, 1 to remove and 0 not upgraded\.\n/,
    );
    assert.match(
      result.stdout,
      /Removing docker-engine \(17\.03\.2~ce-0~ubuntu-trusty\) \.\.\.\n[^]*Unpacking docker-ce \(17\.06\.2~ce-0~ubuntu\) \.\.\.\n[^]*Setting up docker-ce \(17\.06\.2~ce-0~ubuntu\) \.\.\./,
    );
    assert.deepEqual(host.events, ["stop", "binary false", "binary true", "start docker-ce 17.06.2~ce-0~ubuntu"]);
    assert.deepEqual(host.state.packages, { "docker-ce": { version: "17.06.2~ce-0~ubuntu", status: "installed" } });
    assert.deepEqual(
      host.recorded.map((e) => [e.kind, e.package, e.version]),
      [
        ["package.remove", "docker-engine", "17.03.2~ce-0~ubuntu-trusty"],
        ["package.install", "docker-ce", "17.06.2~ce-0~ubuntu"],
      ],
    );
  });

  test("dpkg-query answers for docker-ce and not for the replaced docker-engine; docker-ce then upgrades in place to 18.06.3", async () => {
    const host = on1703();
    await aptGet(host, ["install", "-y", "docker-ce=17.06.2~ce-0~ubuntu"]);
    const query = dpkgQuery(host, [
      "-W",
      "--showformat=${Package}\\t${Version}\\t${Status}\\n",
      "docker-engine",
      "docker-ce",
    ]);
    assert.deepEqual(
      [query.code, query.stdout, query.stderr],
      [
        1,
        "docker-ce\t17.06.2~ce-0~ubuntu\tinstall ok installed\n",
        "dpkg-query: no packages found matching docker-engine\n",
      ],
    );
    const upgrade = await aptGet(host, ["install", "-y", "docker-ce=18.06.3~ce~3-0~ubuntu"]);
    assert.match(upgrade.stdout, /The following packages will be upgraded:\n  docker-ce\n/);
    assert.match(
      upgrade.stdout,
      /Get:1 https:\/\/download\.docker\.com\/linux\/ubuntu\/ trusty\/stable docker-ce amd64 18\.06\.3~ce~3-0~ubuntu/,
    );
    assert.deepEqual(host.state.packages, { "docker-ce": { version: "18.06.3~ce~3-0~ubuntu", status: "installed" } });
  });

  test("going back to docker-engine fails in dpkg on the file both ship (docker-engine declares no conflict with docker-ce)", async () => {
    const host = fakeHost([], { "docker-ce": { version: "17.06.2~ce-0~ubuntu", status: "installed" } });
    const result = await aptGet(host, ["install", "-y", "docker-engine=17.05.0~ce-0~ubuntu-trusty"]);
    assert.equal(result.code, 100);
    assert.match(
      result.stderr,
      /trying to overwrite '\/usr\/bin\/docker', which is also in package docker-ce 17\.06\.2~ce-0~ubuntu/,
    );
    assert.deepEqual(host.events, []);
  });

  test("download.docker.com trusty stable offers docker-ce 17.03.x and 17.06.0 to 18.06.3, and no docker-ce 17.05 (edge only)", () => {
    const lines = aptCache(fakeHost(), ["madison", "docker-ce"]).stdout.split("\n").filter(Boolean);
    assert.equal(
      lines[0],
      " docker-ce | 18.06.3~ce~3-0~ubuntu | https://download.docker.com/linux/ubuntu/ trusty/stable amd64 Packages",
    );
    assert.ok(
      lines.includes(
        " docker-ce | 17.03.2~ce-0~ubuntu-trusty | https://download.docker.com/linux/ubuntu/ trusty/stable amd64 Packages",
      ),
    );
    assert.ok(!lines.some((l) => l.includes("17.05.0")));
    assert.equal(
      lines.at(-1),
      " docker-ce | 17.03.0~ce-0~ubuntu-trusty | https://download.docker.com/linux/ubuntu/ trusty/stable amd64 Packages",
    );
  });

  test("docker-engine's last trusty build is 17.05.0~ce-0~ubuntu-trusty; docker-ce 17.06.2 is not a docker-engine version", async () => {
    const host = on1703();
    assert.equal(
      (await aptGet(host, ["install", "-y", "docker-engine=17.06.2~ce-0~ubuntu"])).stderr,
      "E: Version '17.06.2~ce-0~ubuntu' for 'docker-engine' was not found\n",
    );
    assert.equal((await aptGet(host, ["install", "-y", "docker-engine=17.05.0~ce-0~ubuntu-trusty"])).code, 0);
  });
});
