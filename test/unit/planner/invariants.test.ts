import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { highestMarathonFor, invariantViolations, type PlanInput } from "../../../planner";
import { agent, master } from "./helpers";

function cluster(hosts: PlanInput["hosts"], policy: PlanInput["policy"] = "marathon-docs"): PlanInput {
  return {
    desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    hosts,
    rollout: { maxUnavailableSlaves: 1 },
    policy,
  };
}

describe("invariantViolations", () => {
  it("finds nothing wrong with the seed's starting cluster", () => {
    assert.deepEqual(invariantViolations(cluster([master("m1"), agent("a1")])), []);
  });

  it("reports Mesos versions more than one minor apart", () => {
    assert.deepEqual(
      invariantViolations(
        cluster([master("m1", { mesos: "0.24.2", marathon: "0.11.0" }), agent("a1", { mesos: "0.22.2" })]),
      ),
      ["Mesos versions more than one minor apart: 0.24.2, 0.22.2"],
    );
  });

  it("reports an agent on a newer minor than a master", () => {
    assert.deepEqual(
      invariantViolations(cluster([master("m1", { mesos: "0.23.1" }), agent("a1", { mesos: "0.24.2" })])),
      ["agent a1 runs Mesos 0.24.2, a newer minor than a master"],
    );
  });

  it("reports an agent whose Docker containerizer cannot drive its engine", () => {
    assert.match(
      invariantViolations(cluster([master("m1"), agent("a1", { docker: "1.9.1" })]))[0] ?? "",
      /^agent a1 runs Mesos 0\.22\.1 on Docker 1\.9\.1: Mesos <= 0\.22\.1 parses/,
    );
  });

  it("reports a Marathon below its policy's minimum Mesos", () => {
    assert.deepEqual(invariantViolations(cluster([master("m1", { marathon: "0.11.0" })], "seed-table")), [
      "Marathon 0.11.0 on m1 needs Mesos >= 0.23.0 (the seed's table) but Mesos 0.22.1 runs",
    ]);
  });

  it("reports a Marathon whose libmesos cannot find 0.24 masters", () => {
    assert.match(
      invariantViolations(cluster([master("m1", { mesos: "0.24.2", marathon: "0.10.1" })]))[0] ?? "",
      /^m1: Marathon 0\.10\.1 links libmesos 0\.22\.1, and 0\.24 masters publish/,
    );
  });

  it("reports Marathon instances on more than two versions", () => {
    const hosts = [
      master("m1", { marathon: "0.9.0" }),
      master("m2", { marathon: "0.9.2" }),
      master("m3", { marathon: "0.10.0" }),
    ];
    assert.deepEqual(invariantViolations(cluster(hosts)), ["Marathon instances on 3 versions: 0.9.0, 0.9.2, 0.10.0"]);
  });
});

describe("highestMarathonFor", () => {
  it("finds Marathon 1.1.7 as the highest release on Mesos 0.28 (the seed's table stops at 1.1.1)", () => {
    assert.equal(highestMarathonFor("0.28.2"), "1.1.7");
    assert.equal(highestMarathonFor("0.28.2", "seed-table"), "1.1.7");
  });

  it("is stricter under the seed-table policy on Mesos 0.24/0.25", () => {
    assert.equal(highestMarathonFor("0.25.1"), "0.15.7");
    assert.equal(highestMarathonFor("0.25.1", "seed-table"), "0.13.1");
  });
});
