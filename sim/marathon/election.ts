// Leader election in ZooKeeper: twitter-commons `member_N` under <zk>/leader before 1.3, Curator LeaderLatch
// `_c_<id>-latch-N` under <zk>/leader-curator from 1.3 (see marathonTraits); abdication; what a new leader does.
import { randomUUID } from "node:crypto";
import { connectZk, detectMaster, oneAtATime, parseZkUrl, sameMaster, sequenceOf, type ZkUrl } from "../mesos/common";
import { emptyHealthState } from "./health-checker";
import { load } from "./registry";
import { schedulerCycle } from "./scheduler";
import { log, self, type MarathonNode } from "./state";

const TOMBSTONE = "member_-00000000";

const group = (node: MarathonNode, url: ZkUrl) =>
  `${url.path}/${node.traits.curatorElection ? "leader-curator" : "leader"}`;
const memberPrefix = (node: MarathonNode) => (node.traits.curatorElection ? `_c_${randomUUID()}-latch-` : "member_");

/** Gives up leadership (DELETE /v2/leader) and joins the election again at its end. */
export async function abdicate(node: MarathonNode): Promise<void> {
  const { zk, state, traits } = node;
  if (!zk || !state.member || !state.zkUrl) return;
  state.isLeader = false;
  if (traits.curatorElection) await zk.remove(`${state.zkUrl.path}/leader/${TOMBSTONE}`);
  await zk.remove(`${group(node, state.zkUrl)}/${state.member}`);
  state.member = (
    await zk.create(`${group(node, state.zkUrl)}/${memberPrefix(node)}`, self(node), {
      ephemeral: true,
      sequential: true,
    })
  )
    .split("/")
    .pop();
}

/** Follows the leading Mesos master (--master zk://… or host:port). */
async function followMaster(node: MarathonNode): Promise<void> {
  const { state, ctx, life, release } = node;
  const masterFlag = String(state.values.get("master"));
  const masterUrl = parseZkUrl(masterFlag);
  if ("error" in masterUrl) {
    const [host, port] = masterFlag.split(":");
    state.master = {
      id: "",
      ip: host as string,
      port: Number(port ?? 5050),
      pid: `master@${masterFlag}`,
      hostname: host as string,
      version: "",
      address: { ip: host as string, port: Number(port ?? 5050), hostname: host as string },
    };
    return;
  }
  const masterZk = await connectZk(masterUrl, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
  if (!life.hold(masterZk)) return;
  const detect = oneAtATime(async () => {
    const detected = await detectMaster(masterZk, masterUrl.path, release?.libmesos ?? "0.22.1");
    if (detected.error) return life.exit(`Failed to detect a master: ${detected.error}`);
    if (!sameMaster(detected.leader, state.master)) {
      state.master = detected.leader;
      state.masterId = undefined;
    }
  });
  await masterZk.watchChildren(masterUrl.path, () => void detect().catch(() => undefined));
  await detect();
}

/**
 * Serving the API as leader waits until the registry is loaded: a half-loaded leader would answer apps without
 * their tasks (every app at 0 running), which real Marathon never shows. Health starts unknown for every task:
 * Marathon keeps health in memory only (HealthCheckActor's taskHealth).
 */
async function becomeLeader(node: MarathonNode): Promise<void> {
  const { state, traits, ctx, life, zk } = node;
  if (state.electing || state.isLeader) return;
  state.electing = true;
  try {
    await load(node);
  } finally {
    state.electing = false;
  }
  if (life.ended) return;
  state.health = emptyHealthState();
  state.isLeader = true;
  log(node, "INFO", "Elected as leader");
  if (traits.curatorElection && zk && state.zkUrl) {
    log(node, "INFO", "Creating tombstone for old twitter commons leader election");
    await zk.remove(`${state.zkUrl.path}/leader/${TOMBSTONE}`);
    await zk.create(`${state.zkUrl.path}/leader/${TOMBSTONE}`, self(node), { ephemeral: true });
  }
  ctx.ledger.record({ kind: "leader.elected", service: "marathon", leader: self(node), version: node.version });
  await followMaster(node);
  life.every(ctx.clock.profile.marathonCycleSeconds, () => schedulerCycle(node));
}

/** Connects to ZooKeeper and joins the election (or leads at once with --disable_ha). */
export async function elect(node: MarathonNode): Promise<void> {
  const { state, ctx, life, traits } = node;
  const url = state.zkUrl as ZkUrl;
  const zk = await connectZk(url, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
  if (!life.hold(zk)) return;
  node.zk = zk;
  life.zk = zk;
  zk.onDisconnect = () => life.exit("Lost connection to ZooKeeper", 1);
  if (state.values.get("ha") === false) {
    state.leader = self(node);
    return becomeLeader(node);
  }
  state.member = (
    await zk.create(`${group(node, url)}/${memberPrefix(node)}`, self(node), { ephemeral: true, sequential: true })
  )
    .split("/")
    .pop();
  const watch = async () => {
    if (life.ended) return;
    const children = await zk.children(group(node, url));
    // Curator orders latch nodes by their sequence suffix; twitter commons orders member names as strings,
    // so the tombstone "member_-00000000" of a 1.3+ leader comes first ("-" sorts before digits).
    const members = traits.curatorElection
      ? children.filter((m) => m.includes("-latch-")).sort((a, b) => sequenceOf(a) - sequenceOf(b))
      : children.filter((m) => m.startsWith("member_")).sort();
    const first = members[0];
    state.leader = first ? await zk.get(`${group(node, url)}/${first}`) : undefined;
    if (first === state.member && !state.isLeader) await becomeLeader(node);
  };
  await zk.watchChildren(group(node, url), () => void watch().catch(() => undefined));
  await watch();
}
