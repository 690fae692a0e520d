// The Mesos maintenance drain around a Docker engine change (0.25+): schedule the machine, take it down, bring it up.
import { waitForGate } from "../remote/gate";
import { getJson, httpRequest } from "../remote/http";
import { serviceUrl } from "../remote/routes";
import { leaderState } from "../observe/services";

/** A Mesos MachineID: the agent's hostname and IP as the master knows them. */
export interface Machine {
  readonly hostname: string;
  readonly ip: string;
}

/**
 * A machine this provider took down for maintenance and could not bring back up (POST /master/machine/up failed).
 * Recorded on the resource because the engine may already run the new version: the next update would find nothing
 * to do, and the machine would stay down (its agent refused) until someone brought it up by hand.
 */
export interface UnfinishedDrain {
  /** The MachineID taken down, as the master knew it. */
  readonly machine: Machine;
  /** The master the drain went through, e.g. "http://10.0.0.1:5050"; asked only when no master of `masters` leads. */
  readonly master: string;
  /** Containers with a restart policy that ran before, which the gate waits for once the machine is up. */
  readonly keep: readonly string[];
}

/** Where a drain goes through: the leading master's URL and the machine as that master knows it. */
export interface DrainTarget {
  readonly url: string;
  readonly machine: Machine;
}

interface MaintenanceWindow {
  readonly machine_ids: readonly Machine[];
  readonly unavailability: unknown;
}

const sameMachine = (a: Partial<Machine>, b: Machine) =>
  (a.hostname ?? "").toLowerCase() === b.hostname.toLowerCase() && (a.ip ?? "") === b.ip;

/** A master's URL ("http://ip:port") from its pid ("master@ip:port"). */
function urlOfPid(pid: string): string | undefined {
  const match = /@([^:]+):(\d+)/.exec(pid);
  return match ? serviceUrl(match[1] as string, Number(match[2])) : undefined;
}

/**
 * Machines the master at `url` has down for maintenance (`/master/maintenance/status`); undefined when it does not
 * say. A master with nothing scheduled answers `{}` (protobuf JSON leaves empty repeated fields out).
 */
async function downMachines(url: string): Promise<Machine[] | undefined> {
  const status = await getJson<{ down_machines?: Machine[] }>(`${url}/master/maintenance/status`);
  return status && (status.down_machines ?? []);
}

/**
 * Where to drain the host at `address`: the leading master's URL and its MachineID as that master knows it;
 * undefined when its agent is not registered. Refuses when the agent is missing because its machine is down for
 * maintenance: a machine with an unfinished drain of ours was brought up before this (see `finishDrain`), so this
 * is someone else's maintenance. Their window is theirs to end: bringing the machine up after the hop, as a drain
 * of ours would, could end it early, and the app gate could not pass while it is down. So we touch nothing and say so.
 */
export async function drainTarget(
  host: { readonly name: string; readonly address: string },
  masters: readonly string[],
): Promise<DrainTarget | undefined> {
  const leader = await leaderState(masters);
  const agent = leader?.slaves.find((slave) => slave.pid.includes(`@${host.address}:`));
  const url = leader && urlOfPid(leader.pid);
  if (!agent) {
    const down = url ? (await downMachines(url))?.find((m) => m.ip === host.address) : undefined;
    if (down && url) {
      throw new Error(
        `docker on ${host.name}: its machine ${JSON.stringify(down)} is down for maintenance on ${url}, and this stack did not take it down (someone else's maintenance). ` +
          `Nothing was changed and the machine is left down. When that maintenance is over, bring it up (curl -X POST ${url}/master/machine/up -d '${JSON.stringify([down])}'), then run \`pulumi up\` again`,
      );
    }
    return undefined;
  }
  if (!url) throw new Error(`no leading Mesos master among ${masters.join(", ")} to drain ${host.name}`);
  return { url, machine: { hostname: agent.hostname, ip: host.address } };
}

async function postSchedule(url: string, windows: readonly MaintenanceWindow[]) {
  return httpRequest(`${url}/master/maintenance/schedule`, { method: "POST", json: { windows } });
}

/** The tail of the provider process's maintenance calls: each waits for the one before it (`serialized`). */
let maintenanceQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` once every maintenance change this provider process started before it has ended. POST
 * /master/maintenance/schedule replaces the whole schedule, so two steps of one wave draining at once would each post
 * the schedule they read, without the other's window: the master then refuses to take the first machine down ("is
 * not part of a maintenance schedule"), or keeps a window of a machine already up again.
 */
function serialized<T>(work: () => Promise<T>): Promise<T> {
  const result = maintenanceQueue.then(work, work);
  maintenanceQueue = result.catch(() => undefined);
  return result;
}

/** The windows of the schedule at `url` without `machines`. */
async function windowsWithout(url: string, machines: readonly Machine[]): Promise<MaintenanceWindow[]> {
  const current = await httpRequest(`${url}/master/maintenance/schedule`);
  if (current.status !== 200) {
    throw new Error(
      `reading the maintenance schedule from ${url} failed: HTTP ${current.status} ${current.body.trim()}`,
    );
  }
  return ((JSON.parse(current.body || "{}") as { windows?: MaintenanceWindow[] }).windows ?? [])
    .map((w) => ({ ...w, machine_ids: w.machine_ids.filter((m) => !machines.some((ours) => sameMachine(m, ours))) }))
    .filter((w) => w.machine_ids.length > 0);
}

/**
 * Adds a window for each of `machines` to the schedule at `url`, then takes them all down: one POST of the schedule
 * and one of /master/machine/down, however many machines. POST replaces the whole schedule, so the other machines'
 * windows are read first and kept (a machine that is down must stay in it, or the master refuses the schedule).
 */
async function drainTogether(url: string, machines: readonly Machine[]): Promise<void> {
  const names = machines.map((m) => m.hostname).join(", ");
  const others = await windowsWithout(url, machines);
  const unavailability = { start: { nanoseconds: Date.now() * 1e6 }, duration: { nanoseconds: 3600 * 1e9 } };
  const ours = machines.map((machine) => ({ machine_ids: [machine], unavailability }));
  const scheduled = await postSchedule(url, [...others, ...ours]);
  if (scheduled.status !== 200) {
    throw new Error(
      `scheduling maintenance of ${names} on ${url} failed: HTTP ${scheduled.status} ${scheduled.body.trim()}`,
    );
  }
  const down = await httpRequest(`${url}/master/machine/down`, { method: "POST", json: machines });
  if (down.status !== 200) {
    // Leave the schedule as it was: without these machines' windows, every other one kept.
    await windowsWithout(url, machines)
      .then((windows) => postSchedule(url, windows))
      .catch(() => undefined);
    throw new Error(`taking ${names} down for maintenance on ${url} failed: HTTP ${down.status} ${down.body.trim()}`);
  }
}

/** A drain asked for and not yet begun, and how to tell its step the outcome. */
interface WaitingDrain {
  readonly target: DrainTarget;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Drains asked for while another maintenance change ran: the next turn takes them all at once. */
let waiting: WaitingDrain[] = [];
/** When the last drain was asked for (ms since the epoch). */
let lastAsked = 0;

/**
 * How long a turn waits for more drains before it begins: until none has been asked for in `quietMs`, at most
 * `maxMs`. A drain takes its machine down, which stops its tasks, and Marathon starts them again on any agent it is
 * offered, a machine of the same wave not yet down included, whose own drain would then stop them a second time: the
 * steps of a wave ask within a few hundred milliseconds of each other, so waiting for them takes the wave down at once.
 */
export const GATHER = { quietMs: 150, maxMs: 1000 };

/** Takes every waiting drain at once, per master (drainTogether), and tells each step its outcome. */
async function drainWaiting(): Promise<void> {
  const began = Date.now();
  for (;;) {
    const quietFor = Date.now() - lastAsked;
    const left = Math.min(GATHER.quietMs - quietFor, GATHER.maxMs - (Date.now() - began));
    if (waiting.length === 0 || left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, left));
  }
  const batch = waiting;
  waiting = [];
  for (const url of new Set(batch.map((d) => d.target.url))) {
    const group = batch.filter((d) => d.target.url === url);
    try {
      await drainTogether(
        url,
        group.map((d) => d.target.machine),
      );
      for (const d of group) d.resolve();
    } catch (error) {
      for (const d of group) d.reject(error as Error);
    }
  }
}

/**
 * Mesos maintenance (0.25+): schedules the machine and takes it down, so its tasks are moved before the engine
 * stops. The steps of a wave ask at about the same time: one turn of maintenance changes at a time (`serialized`),
 * a turn begins once no drain has been asked for in a moment (`GATHER`), and the drains asked for until then go
 * together (a wave of ten drains in one turn of three calls, not ten).
 */
export function drain(target: DrainTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    lastAsked = Date.now();
    waiting.push({ target, resolve, reject });
    void serialized(drainWaiting);
  });
}

/**
 * The leading master's URL among `masters`, waiting up to `waitSeconds` for one to lead: on a host that is its own
 * master the engine change restarts that master too, and POST /master/machine/up to a master still starting fails
 * (connection refused, or 503 before it is elected). `fallback` when none leads in time.
 */
async function leaderUrl(masters: readonly string[], fallback: string, waitSeconds = 0): Promise<string> {
  let found: string | undefined;
  await waitForGate({
    description: `a Mesos master among ${masters.join(", ")} leads`,
    timeoutSeconds: waitSeconds,
    intervalSeconds: 0.5,
    check: async () => {
      const leader = await leaderState(masters);
      found = leader && urlOfPid(leader.pid);
      return found ? { passed: true, observed: found } : { passed: false, observed: "no leading master" };
    },
  }).catch(() => undefined);
  return found ?? fallback;
}

/**
 * Brings the machine back up (which also removes it from the schedule), through whichever master leads once one does.
 */
export async function undrain(masters: readonly string[], drained: DrainTarget, waitSeconds: number): Promise<void> {
  await machineUp(await leaderUrl(masters, drained.url, waitSeconds), drained.machine);
}

/**
 * POST /master/machine/up for one machine on the master at `url` (which takes it out of the schedule: after any drain
 * under way, `serialized`); a refusal names the manual fix.
 */
async function machineUp(url: string, machine: Machine): Promise<void> {
  const up = await serialized(() =>
    httpRequest(`${url}/master/machine/up`, { method: "POST", json: [machine] }).catch((error: Error) => ({
      status: 0,
      body: error.message,
    })),
  );
  if (up.status !== 200) {
    throw new Error(
      `bringing ${machine.hostname} back up after maintenance failed: HTTP ${up.status} ${up.body.trim()}; its agent cannot register until it is up: ` +
        `curl -X POST ${url}/master/machine/up -d '${JSON.stringify([machine])}'`,
    );
  }
}

/**
 * Brings up the machine an earlier run drained and left down (its `unfinishedDrain`), through whichever master
 * leads now. When that master no longer has it down (brought up by hand, as the earlier error said), POST
 * /master/machine/up would be refused ("not in DOWN mode"), so nothing is sent. Returns what it did.
 */
export async function finishDrain(
  masters: readonly string[],
  drained: UnfinishedDrain,
  waitSeconds: number,
): Promise<string> {
  const url = await leaderUrl(masters, drained.master, waitSeconds);
  const down = await downMachines(url);
  if (down && !down.some((m) => sameMachine(m, drained.machine))) {
    return `${drained.machine.hostname}, drained by an earlier run, was already up again`;
  }
  await machineUp(url, drained.machine);
  return `brought ${drained.machine.hostname} up, drained by an earlier run`;
}
