// ZooKeeper's own answer: the four-letter word `srvr` on its client port, reached like every other service of a host
// (through the host's SSH connection by default: remote/routes.ts). `srvr` is the word every release answers:
// ZooKeeper 3.5.3+ runs only the words in `4lw.commands.whitelist` but always adds `srvr`, which zkServer.sh needs
// (apache/zookeeper `server/command/FourLetterCommands.java`, `isEnabled`); `ruok` is refused there unless listed.
import net from "node:net";
import type { Duplex } from "node:stream";
import { routeOf } from "../remote/routes";
import { forwardedChannel } from "../remote/tunnel";

/** ZooKeeper's client port (zoo.cfg `clientPort`, 2181 in Ubuntu's zookeeperd and Mesosphere's docs). */
export const ZOOKEEPER_PORT = 2181;

/**
 * What a server said to `srvr`: serving in a mode ("standalone", "leader", "follower", "observer", "read-only"), not
 * serving (a member of an ensemble without a quorum), or not answering at all.
 */
export type ZooKeeperState =
  { readonly serving: true; readonly mode: string } | { readonly serving: false; readonly why: string };

/**
 * Reads a `srvr` answer (`StatCommand`: "Zookeeper version: …", the server stats with "Mode: <mode>", "Node count: …";
 * a server without a quorum answers "This ZooKeeper instance is not currently serving requests").
 */
export function parseSrvr(answer: string): ZooKeeperState {
  if (/not currently serving requests/.test(answer)) return { serving: false, why: "not serving requests (no quorum)" };
  if (/is not executed because it is not in the whitelist/.test(answer)) {
    return { serving: false, why: `refused srvr (${answer.trim()}): add srvr to 4lw.commands.whitelist` };
  }
  const mode = /^Mode: (\S+)/m.exec(answer)?.[1];
  if (!mode) {
    return {
      serving: false,
      why: answer.trim()
        ? `answered srvr without a mode: ${JSON.stringify(answer.trim().slice(0, 80))}`
        : "closed the connection without an answer",
    };
  }
  return /READ-ONLY mode/.test(answer) ? { serving: true, mode: "read-only" } : { serving: true, mode };
}

/** Sends one four-letter word and reads the answer until the server closes the connection. */
async function ask(address: string, port: number, word: string, timeoutSeconds: number): Promise<string> {
  const route = routeOf(address, port);
  const stream: Duplex = route.through
    ? await forwardedChannel(route.through.target, route.through.address, port)
    : net.connect({ host: address, port });
  return new Promise((resolve, reject) => {
    let answer = "";
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`no answer to ${word} within ${timeoutSeconds}s`));
    }, timeoutSeconds * 1000);
    stream.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    stream.on("end", () => {
      clearTimeout(timer);
      resolve(answer);
    });
    stream.on("close", () => {
      clearTimeout(timer);
      resolve(answer);
    });
    stream.on("error", (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
    stream.write(word);
  });
}

/** The state of the ZooKeeper server at `address`; never throws (a refused connection is "not answering"). */
export async function zookeeperState(
  address: string,
  port = ZOOKEEPER_PORT,
  timeoutSeconds = 5,
): Promise<ZooKeeperState> {
  try {
    return parseSrvr(await ask(address, port, "srvr", timeoutSeconds));
  } catch (error) {
    return { serving: false, why: `not answering (${(error as Error).message})` };
  }
}
