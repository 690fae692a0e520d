// The per-host version table after each run: hosts running the same versions share a row.
import assert from "node:assert/strict";
import { test } from "node:test";
import { versionTable } from "../../../stacks/converge";

test("puts hosts that run the same versions on one row named as runs, so a cluster mid-hop reads at a glance", () => {
  const master = { docker: "1.11.2", "mesos-master": "0.26.2", marathon: "0.11.1" };
  const agent = (mesos: string) => ({ docker: "1.11.2", "mesos-slave": mesos });
  const hostVersions: Record<string, Record<string, string>> = { m2: master, m1: master, m3: master };
  for (let i = 12; i >= 1; i--) hostVersions[`a${i}`] = agent(i <= 10 ? "0.26.2" : "0.25.1");
  hostVersions.a5 = { docker: "1.7.1", "mesos-slave": "0.26.2" };
  assert.equal(
    versionTable(hostVersions),
    [
      "host             docker  mesos-master  mesos-slave  marathon",
      "a1..a4, a6..a10  1.11.2  -             0.26.2       -",
      "a5               1.7.1   -             0.26.2       -",
      "a11, a12         1.11.2  -             0.25.1       -",
      "m1..m3           1.11.2  0.26.2        -            0.11.1",
    ].join("\n"),
  );
});
