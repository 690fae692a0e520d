// Leader election: the master enters the contest in ZooKeeper (an ephemeral sequential znode with its MasterInfo
// under the release's label), leads while its znode is the lowest, recovers the registrar once a quorum of masters
// is up (or fails after --registry_fetch_timeout), and commits suicide when it loses leadership or its session.
import { connectZk, detectMaster, glog, oneAtATime, sequenceOf, type ZkUrl } from "../common";
import { flagSeconds } from "../flags";
import { NO_MAINTENANCE } from "../maintenance";
import { formatMesosDuration } from "../../time";
import { readRegistry } from "./registry";
import type { MasterNode } from "./state";

export async function contend(node: MasterNode): Promise<void> {
  const { state, ctx, life, traits, version } = node;
  const { exit, fatal } = life;
  const url = state.zkUrl as ZkUrl;
  const zk = await connectZk(url, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
  if (!life.hold(zk)) return;
  life.zk = zk;
  zk.onDisconnect = () => exit("Lost connection to ZooKeeper", 1);
  state.member = (
    await zk.create(`${url.path}/${traits.zkLabel}_`, JSON.stringify(state.info), { ephemeral: true, sequential: true })
  )
    .split("/")
    .pop();
  glog(
    ctx,
    "I",
    "contender.cpp:268",
    `New candidate (id='${sequenceOf(state.member as string)}') has entered the contest for leadership`,
  );
  let recoveryPending = false;
  const detect = oneAtATime(async () => {
    if (life.ended) return;
    const detected = await detectMaster(zk, url.path, version);
    if (detected.error) return exit(`Failed to detect the leading master: ${detected.error}; committing suicide!`);
    const wasElected = state.elected;
    state.leader = detected.leader;
    const leading = detected.members[0] === state.member;
    if (wasElected && !leading) return exit("Lost leadership... committing suicide!");
    if (!leading) return;
    if (!wasElected) {
      state.elected = true;
      state.electedTime = Date.now() / 1000;
      glog(ctx, "I", "master.cpp:1369", "Elected as the leading master!");
      ctx.ledger.record({
        kind: "leader.elected",
        service: "mesos",
        leader: `${state.info?.hostname}:${state.port}`,
        version,
      });
    }
    // The registrar needs a quorum of replicas (masters) before the leader can recover and act.
    if (!state.recovered && detected.members.length >= state.quorum) {
      // The registry holds the machines in maintenance and the schedule (registry.proto): a new leader recovers
      // them, so a machine taken down before a restart or a leader change stays down until brought up.
      state.maintenance = (await readRegistry(node)).maintenance ?? NO_MAINTENANCE;
      if (life.ended || state.recovered) return;
      state.recovered = true;
      glog(ctx, "I", "master.cpp:1482", "Recovered 0 slaves from the Registry");
    } else if (!state.recovered && !recoveryPending) {
      recoveryPending = true;
      const timeout = flagSeconds(state.flags, "registry_fetch_timeout", 60);
      life.after(timeout, () => {
        if (!state.recovered) {
          fatal(
            "master.cpp:1409",
            `Recovery failed: Failed to recover registrar: Failed to perform fetch within ${formatMesosDuration(timeout)}`,
          );
        }
      });
    }
  });
  await zk.watchChildren(url.path, () => void detect().catch(() => undefined));
  await detect();
}
