import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  changeSteps,
  decideEngine,
  type EngineFacts,
  type InterruptedInstall,
} from "../../../providers/engineDecision";
import { parseInstalled, pinnedPackage } from "../../../providers/enginePackage";

const facts = (overrides: Partial<EngineFacts> = {}): EngineFacts => ({
  name: "a1",
  version: "1.8.3",
  live: "1.7.1",
  ...overrides,
});

const interrupted: InterruptedInstall = {
  package: "docker-engine",
  packageVersion: "1.8.3-0~trusty",
  version: "1.8.3",
  from: "1.7.1",
  status: "install ok half-configured",
  keep: ["mesos_slave"],
};

describe("what to do with a host's Docker engine", () => {
  it("installs the next hop, from the version that runs", () => {
    assert.deepEqual(decideEngine(facts()), { kind: "install", from: "1.7.1" });
  });

  it("installs from the recorded version when the daemon is down and the stack recorded it down", () => {
    assert.deepEqual(decideEngine(facts({ live: undefined, previous: { version: "1.7.1", runningVersion: "none" } })), {
      kind: "install",
      from: "1.7.1",
    });
  });

  it("restarts nothing when the engine already runs the version asked", () => {
    assert.deepEqual(decideEngine(facts({ live: "1.8.3", previous: { version: "1.8.3", runningVersion: "1.8.3" } })), {
      kind: "settled",
    });
  });

  it("refuses a downgrade", () => {
    const decision = decideEngine(facts({ version: "1.7.1", live: "1.8.3" }));
    assert.deepEqual(decision, {
      kind: "refuse",
      message: 'docker on a1 runs 1.8.3; version "1.7.1" would be a downgrade, which this project never does',
    });
  });

  it("goes straight on to a later engine: every engine hop before 1.12 stops the containers anyway", () => {
    assert.deepEqual(decideEngine(facts({ version: "1.11.2", live: "1.7.1" })), { kind: "install", from: "1.7.1" });
  });

  it("refuses an engine changed by hand since the last run", () => {
    const decision = decideEngine(
      facts({ live: "1.8.3", version: "1.9.1", previous: { version: "1.7.1", runningVersion: "1.7.1" } }),
    );
    assert.deepEqual(decision, {
      kind: "refuse",
      message:
        "docker on a1 runs 1.8.3, but the stack recorded 1.7.1: it was changed by hand. Run `pulumi refresh`, then `pulumi up` again",
    });
  });

  it("finishes its own interrupted install, keeping the containers it recorded", () => {
    const decision = decideEngine(
      facts({
        live: undefined,
        previous: { version: "1.7.1", runningVersion: "none", interruptedInstall: interrupted },
        installed: { name: "docker-engine", version: "1.8.3-0~trusty", status: "install ok half-configured" },
      }),
    );
    assert.deepEqual(decision, { kind: "finish", from: "1.7.1", keep: ["mesos_slave"] });
  });

  it("refuses to finish an interrupted install the host no longer shows", () => {
    const decision = decideEngine(
      facts({
        live: "1.7.1",
        previous: { version: "1.7.1", runningVersion: "none", interruptedInstall: interrupted },
        installed: { name: "docker-engine", version: "1.7.1-0~trusty", status: "install ok installed" },
      }),
    );
    assert.equal(decision.kind, "refuse");
    assert.match(
      (decision as { message: string }).message,
      /now has docker-engine 1\.7\.1-0~trusty \(install ok installed\) and its engine runs 1\.7\.1: it was changed by hand\. Run `pulumi refresh`/,
    );
  });

  it("installs docker-ce over a docker-engine 17.03 (apt removes docker-engine in the same install)", () => {
    assert.deepEqual(
      decideEngine(
        facts({ version: "17.06.2", live: "17.03.2", previous: { version: "17.03.2", runningVersion: "17.03.2" } }),
      ),
      { kind: "install", from: "17.03.2" },
    );
  });

  it("does not take a docker-engine of the same Debian version for its unfinished docker-ce install (17.03.x is in both repositories)", () => {
    const ce: InterruptedInstall = {
      package: "docker-ce",
      packageVersion: "17.03.2~ce-0~ubuntu-trusty",
      version: "17.03.2",
      from: "1.13.1",
      status: "install ok half-configured",
      keep: [],
    };
    const decision = decideEngine(
      facts({
        version: "17.03.2",
        live: undefined,
        previous: { version: "1.13.1", runningVersion: "none", interruptedInstall: ce },
        installed: { name: "docker-engine", version: "17.03.2~ce-0~ubuntu-trusty", status: "install ok installed" },
      }),
    );
    assert.equal(decision.kind, "refuse");
    assert.match(
      (decision as { message: string }).message,
      /unfinished install of docker-ce 17\.03\.2~ce-0~ubuntu-trusty .* now has docker-engine 17\.03\.2~ce-0~ubuntu-trusty/,
    );
  });

  it("refuses a new version while an install of another is unfinished", () => {
    const decision = decideEngine(
      facts({
        version: "1.9.1",
        live: undefined,
        previous: { version: "1.7.1", runningVersion: "none", interruptedInstall: interrupted },
        installed: { name: "docker-engine", version: "1.8.3-0~trusty", status: "install ok half-configured" },
      }),
    );
    assert.equal(decision.kind, "refuse");
    assert.match((decision as { message: string }).message, /set version back to "1\.8\.3"/);
  });
});

describe("the order of an engine change", () => {
  it("downloads the package before draining, and brings the machine up before the gate", () => {
    assert.deepEqual(changeSteps("install", { runsAgent: true, mesosVersion: "0.28.2" }), [
      "download",
      "drain",
      "write-options",
      "install",
      "undrain",
      "gate",
    ]);
  });

  it("drains no machine before Mesos 0.25 (no maintenance primitives) nor on a host without an agent", () => {
    assert.deepEqual(changeSteps("install", { runsAgent: true, mesosVersion: "0.24.1" }), [
      "download",
      "write-options",
      "install",
      "gate",
    ]);
    assert.deepEqual(changeSteps("install", { runsAgent: false, mesosVersion: "0.28.2" }), [
      "download",
      "write-options",
      "install",
      "gate",
    ]);
  });

  it("never drains to finish an install: the engine is stopped already, and taking the machine down would only kill tasks", () => {
    assert.deepEqual(changeSteps("finish", { runsAgent: true, mesosVersion: "0.28.2" }), [
      "write-options",
      "finish",
      "gate",
    ]);
  });
});

describe("the engine's package as dpkg lists it", () => {
  it("reads docker-ce when apt replaced docker-engine, and ignores a removed package's leftover conffiles", () => {
    const listed = "docker-engine\t\tdeinstall ok config-files\ndocker-ce\t17.06.2~ce-0~ubuntu\tinstall ok installed\n";
    assert.deepEqual(parseInstalled(listed), {
      name: "docker-ce",
      version: "17.06.2~ce-0~ubuntu",
      status: "install ok installed",
    });
  });

  it("reads docker-engine when it is the only one", () => {
    assert.deepEqual(parseInstalled("docker-engine\t1.11.2-0~trusty\tinstall ok half-configured\n"), {
      name: "docker-engine",
      version: "1.11.2-0~trusty",
      status: "install ok half-configured",
    });
    assert.equal(parseInstalled(""), undefined);
  });

  it("pins docker-engine up to 17.05 and docker-ce from 17.06, with the repository that serves each", () => {
    assert.deepEqual(pinnedPackage("17.05.0"), {
      name: "docker-engine",
      version: "17.05.0~ce-0~ubuntu-trusty",
      repository: "deb https://apt.dockerproject.org/repo ubuntu-trusty main",
    });
    assert.deepEqual(pinnedPackage("17.06.2"), {
      name: "docker-ce",
      version: "17.06.2~ce-0~ubuntu",
      repository: "deb [arch=amd64] https://download.docker.com/linux/ubuntu trusty stable",
    });
    assert.equal(pinnedPackage("18.06.3").version, "18.06.3~ce~3-0~ubuntu");
  });
});
