// Marathon 1.3's Curator leader election beside older instances: why the 1.1 → 1.3 hop stops every instance first
// (changelog 1.1.0 → 1.3.0; mesosphere/marathon@v1.3.14 CuratorElectionService.scala).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS } from "../../../sim";
import { eventually, ssh, useCluster } from "./helpers";
import { getJson, runCommand } from "./mesos-helpers";

describe("Marathon 1.3 election beside 1.1", () => {
  const cluster = useCluster("m1,m2:master+marathon", {
    network: "127.0.147",
    versions: { mesos: "1.0.1", marathon: "1.1.7" },
    apps: [],
  });
  const url = (host: string) => `http://${cluster().host(host).address}:${PORTS.marathon}`;
  const leaderSeenBy = async (host: string): Promise<string | undefined> => {
    const reply = await getJson(cluster(), host, PORTS.marathon, "/v2/info").catch(() => undefined);
    return reply?.status === 200 ? (reply.headers["x-marathon-leader"] as string | undefined) : undefined;
  };
  const run = async (host: string, version: string) => {
    const command = runCommand(cluster(), host, "marathon").replace(
      /mesosphere\/marathon:v\S+/,
      `mesosphere/marathon:v${version}`,
    );
    const result = await ssh(
      cluster(),
      host,
      `docker pull mesosphere/marathon:v${version} >/dev/null && docker rm -f marathon >/dev/null && ${command} >/dev/null`,
    );
    assert.equal(result.code, 0, result.stderr);
  };
  let oldLeader = "";
  let other = "";

  test("a 1.3 instance started beside a leading 1.1 instance leads as well: two leaders at once", async () => {
    const leader = await eventually("a Marathon leader", () => leaderSeenBy("m1"));
    oldLeader = leader === url("m1") ? "m1" : "m2";
    other = oldLeader === "m1" ? "m2" : "m1";
    await run(other, "1.3.14");
    await eventually("the 1.3 instance leads", async () => (await leaderSeenBy(other)) === url(other));
    assert.equal(await leaderSeenBy(oldLeader), url(oldLeader), "the 1.1 instance still leads");
  });

  test("with every instance on 1.3 one leads, and a 1.1 instance started afterwards follows it through the tombstone", async () => {
    await run(oldLeader, "1.3.14");
    await eventually(
      "both see one leader",
      async () => (await leaderSeenBy(oldLeader)) === url(other) && (await leaderSeenBy(other)) === url(other),
    );
    await run(oldLeader, "1.1.7");
    await eventually(
      "the 1.1 instance follows the 1.3 leader",
      async () => (await leaderSeenBy(oldLeader)) === url(other),
    );
    const old = await getJson(cluster(), oldLeader, PORTS.marathon, "/v2/leader");
    assert.deepEqual(old.json, { leader: `${cluster().host(other).address}:${PORTS.marathon}` });
  });
});
