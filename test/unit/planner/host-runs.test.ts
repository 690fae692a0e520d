// Many host names read as runs ("a1..a197"), in their order.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { byHostName, expandHostRuns, hostRuns, hostsAlike, hostsNamed } from "../../../planner/host-runs";

test("writes three or more consecutive hosts of one prefix as a run, in the order given", () => {
  assert.equal(hostRuns(["m1", "m2", "m3", "a1", "a2", "a3", "a4"]), "m1..m3, a1..a4");
  assert.equal(hostRuns(["a3", "a4", "a5", "a1"]), "a3..a5, a1");
  assert.equal(hostRuns(["a8", "a9", "a10", "a11"]), "a8..a11");
  assert.equal(hostRuns(["node-098", "node-099", "node-100"]), "node-098..node-100");
});

test("keeps two in a row, gaps, other prefixes and names without a number as names", () => {
  assert.equal(hostRuns(["a1", "a2", "a4", "b5", "b6", "b7", "dev", "a8"]), "a1, a2, a4, b5..b7, dev, a8");
  assert.equal(hostRuns(["node-9", "node-010", "node-011"]), "node-9, node-010, node-011");
  assert.equal(hostRuns(["mesos-1.dc", "mesos-2.dc"]), "mesos-1.dc, mesos-2.dc");
});

test("names one host alone and counts several", () => {
  assert.equal(hostsNamed(["dev"]), "dev");
  assert.equal(hostsNamed(["a1", "a2", "a3"]), "3 hosts (a1..a3)");
});

test("reads back every name its runs stand for, in order, whatever the names", () => {
  const name = fc
    .tuple(fc.constantFrom("a", "m", "node-", "mesos-agent-", "dev"), fc.nat(130), fc.constantFrom(0, 3))
    .map(([prefix, n, width]) => `${prefix}${String(n).padStart(width, "0")}`);
  fc.assert(
    fc.property(fc.uniqueArray(name, { maxLength: 40 }), (names) => {
      // Runs come from hosts listed in order, as a stack lists them.
      const sorted = [...names].sort(byHostName);
      assert.deepEqual(expandHostRuns(hostRuns(sorted)), sorted);
      assert.deepEqual(expandHostRuns(hostRuns(names)), names);
    }),
  );
  assert.throws(() => expandHostRuns("a4..a1"), /"a4\.\.a1" is not a run of host names/);
});

test("groups items by what they say, with their hosts, in the order each group's first item comes", () => {
  const groups = hostsAlike(
    [
      { host: "a2", v: "0.28" },
      { host: "m1", v: "1.0" },
      { host: "a1", v: "0.28" },
    ],
    (i) => i.host,
    (i) => i.v,
  );
  assert.deepEqual(
    groups.map((g) => [g.what, g.hosts, g.first.host]),
    [
      ["0.28", ["a2", "a1"], "a2"],
      ["1.0", ["m1"], "m1"],
    ],
  );
});
