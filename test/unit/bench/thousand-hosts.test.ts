import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { discoveredAs, standInAddress, standInHosts } from "../../../bench/thousand-hosts";
import type { DiscoveredHost } from "../../../stacks/discover";

const entry = (name: string, address: string, roles: string[]) => ({
  name,
  address,
  roles,
  hostKeyFingerprint: `SHA256:${name}`,
});

describe("the 1,000-host stand-in agents", () => {
  it("gives every stand-in its own address outside the simulated networks", () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => standInAddress(i));
    assert.equal(new Set(addresses).size, 1000);
    assert.equal(addresses[0], "10.200.0.1");
    assert.equal(addresses[999], "10.200.3.250");
    assert.ok(addresses.every((a) => /^10\.200\.\d+\.\d+$/.test(a) && Number(a.split(".")[3]) <= 250));
  });

  it("adds the stand-ins after the real hosts, never reusing a real host's name", () => {
    const real = [entry("m1", "127.0.150.11", ["mesos-master"]), entry("a1", "127.0.150.14", ["mesos-slave"])];
    const hosts = standInHosts(real, real[1] as ReturnType<typeof entry>, 3);
    assert.deepEqual(
      hosts.map((h) => `${h.name}@${h.address}`),
      ["m1@127.0.150.11", "a1@127.0.150.14", "a2@10.200.0.1", "a3@10.200.0.2", "a4@10.200.0.3"],
    );
    assert.equal(hosts[2]?.hostKeyFingerprint, "SHA256:a1", "a stand-in is the template agent under another name");
  });

  it("moves the template's discovery to the stand-in's address, leaving longer addresses alone", () => {
    const template = {
      name: "a1",
      address: "127.0.150.14",
      roles: ["mesos-slave"],
      versions: { docker: "1.7.1", "mesos-slave": "0.26.1" },
      leader: [],
      containers: { "mesos-slave": { args: ["--ip=127.0.150.14", "--master=zk://127.0.150.140:2181/mesos"] } },
      problems: [],
    } as unknown as DiscoveredHost;
    const moved = discoveredAs(template, "a7", "10.200.0.6");
    assert.equal(moved.name, "a7");
    assert.equal(moved.address, "10.200.0.6");
    assert.deepEqual(moved.containers["mesos-slave"]?.args, [
      "--ip=10.200.0.6",
      "--master=zk://127.0.150.140:2181/mesos",
    ]);
    assert.equal(template.address, "127.0.150.14", "the template itself is unchanged");
  });
});
