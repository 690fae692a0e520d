// Marathon 1.5–1.10 on the simulated cluster (Mesos stays at 1.3.2): the removed event subscriptions and flags, the
// storage migrations each line accepts, and the Mesos minimum 1.7+ enforces at registration (newest-releases §2).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS } from "../../../sim";
import { eventually, ssh, useCluster } from "./helpers";
import { getJson, runCommand } from "./mesos-helpers";

describe("Marathon after 1.4 on Mesos 1.3.2", () => {
  const cluster = useCluster("m1:master+marathon", {
    network: "127.0.231",
    versions: { mesos: "1.3.2", marathon: "1.4.13" },
    apps: [],
  });
  const leads = async () =>
    (await getJson(cluster(), "m1", PORTS.marathon, "/v2/leader").catch(() => undefined))?.status === 200;
  const run = async (version: string, extra = "") => {
    const command = runCommand(cluster(), "m1", "marathon").replace(
      /mesosphere\/marathon:v\S+/,
      `mesosphere/marathon:v${version}`,
    );
    const result = await ssh(
      cluster(),
      "m1",
      `docker pull mesosphere/marathon:v${version} >/dev/null && docker rm -f marathon >/dev/null && ${command}${extra} >/dev/null`,
    );
    assert.equal(result.code, 0, result.stderr);
  };
  // The container runs with --restart=always, as the cluster's does: Docker starts a Marathon that exited again at
  // once, so its exit shows as a stopped container or as a restart, whichever a look catches.
  const exited = async () => {
    const state = await eventually("marathon exits", async () => {
      const inspect = await ssh(cluster(), "m1", "docker inspect marathon");
      const [container] = JSON.parse(inspect.stdout) as Array<{
        State: { Running: boolean; ExitCode: number };
        RestartCount: number;
      }>;
      if (!container) return undefined;
      if (!container.State.Running) return `false ${container.State.ExitCode}`;
      return container.RestartCount > 0 ? `restarted ${container.RestartCount} time(s)` : undefined;
    });
    return { state, logs: (await ssh(cluster(), "m1", "docker logs marathon 2>&1")).stdout };
  };

  test("1.4 answers /v2/eventSubscriptions with a 400 naming --event_subscriber when callbacks are off", async () => {
    await eventually("1.4.13 leads", leads);
    const reply = await getJson(cluster(), "m1", PORTS.marathon, "/v2/eventSubscriptions");
    assert.deepEqual(
      [reply.status, reply.json],
      [
        400,
        {
          message:
            'http event callback system is not running on this Marathon instance. Please re-start this instance with "--event_subscriber http_callback".',
        },
      ],
    );
  });

  test("1.5.15 refuses --event_subscriber as an unknown option (removed in 1.5)", async () => {
    await run("1.5.15", " --event_subscriber http_callback");
    const { state, logs } = await exited();
    assert.notEqual(state, "false 0");
    assert.match(logs, /\[scallop\] Error: Unknown option 'event_subscriber'/);
  });

  test("1.5.15 migrates 1.4's storage and leads on Mesos 1.3.2; /v2/eventSubscriptions is gone (404)", async () => {
    await run("1.5.15");
    await eventually("1.5.15 leads", leads);
    const reply = await getJson(cluster(), "m1", PORTS.marathon, "/v2/eventSubscriptions");
    assert.deepEqual([reply.status, reply.json], [404, { message: "URI not found: /v2/eventSubscriptions" }]);
    const info = (await getJson(cluster(), "m1", PORTS.marathon, "/v2/info")).json as Record<string, unknown>;
    assert.equal(info.version, "1.5.15");
    assert.ok(!("event_subscriber" in info), "1.5's /v2/info has no event_subscriber");
  });

  test("1.8.244 will not migrate storage written by 1.5 (only from 1.6.0 on) and exits", async () => {
    await run("1.8.244");
    const { logs } = await exited();
    assert.match(logs, /Migration from versions < 1\.6\.0 are not supported\. Your version: 1\.5\.15/);
  });

  test("1.7.236 migrates 1.5's storage but refuses Mesos 1.3.2: masterVersionCheck's message, then it crashes", async () => {
    await run("1.7.236");
    const { logs } = await exited();
    assert.match(logs, /Mesos Master version 1\.3\.2 does not meet minimum required version 1\.5\.0/);
  });

  test("1.5.15 refuses the storage 1.7.236 wrote: newer than itself", async () => {
    await run("1.5.15");
    const { logs } = await exited();
    assert.match(logs, /Migration from 1\.7\.236 is not supported as it is newer than 1\.5\.15\./);
  });
});
