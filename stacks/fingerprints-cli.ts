// `npm run -s fingerprints -- --stack <name> [--write]`: reads every host's SSH key of a stack over the network (no
// login), prints the SHA256 fingerprints, and with --write pins them in Pulumi.<stack>.yaml for review.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as YAML from "yaml";
import type { JumpArgs } from "../providers/component";
import { presentedHostKey } from "../remote/hostkey";
import { closeAllConnections, type SshTarget } from "../remote/ssh";
import { forwardedChannel } from "../remote/tunnel";
import { repoRoot } from "../toolchain/paths";
import { writeFileWhole } from "../toolchain/whole-file";
import { pinFingerprints, type Pin } from "./fingerprints";

const USAGE = `usage: npm run -s fingerprints -- --stack <name> [--write] [--dir <project dir>] [--identity <private key file>]

Reads the SSH host key of every host in Pulumi.<name>.yaml (and of its jump hosts) over the network, without
logging in, and prints each SHA256 fingerprint. Compare them with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\`
on the hosts (or your CMDB) before trusting them. --write pins them in the stack file (hostKeyFingerprint), keeping
its comments; review the change with git diff. Hosts behind a jump host are read through it: its fingerprint must
already be pinned (run once without the hosts, or pin it by hand), and you log in to it with your SSH agent
(SSH_AUTH_SOCK) or --identity.`;

type Raw = Record<string, unknown>;

interface Probe {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly jump?: JumpArgs;
  readonly pinned?: string;
}

/** Hosts and jump hosts of a stack file's config, with how to reach each. */
export function probesOf(config: Raw): Probe[] {
  const key = (name: string) => config[`mesos-upgrade:${name}`];
  const ssh = (key("ssh") ?? {}) as Raw;
  const port = Number(ssh.port ?? 22);
  const stackJump = ssh.jump as JumpArgs | undefined;
  const probes: Probe[] = [];
  const jumps = new Map<string, JumpArgs>();
  if (stackJump) jumps.set(stackJump.name ?? stackJump.address, stackJump);
  for (const host of (key("hosts") ?? []) as Raw[]) {
    const own =
      host.jump === "none" || host.jump === null ? undefined : ((host.jump as JumpArgs | undefined) ?? stackJump);
    if (host.jump && typeof host.jump === "object") {
      jumps.set((host.jump as JumpArgs).name ?? (host.jump as JumpArgs).address, host.jump as JumpArgs);
    }
    probes.push({
      name: String(host.name),
      address: String(host.address),
      port: Number(host.sshPort ?? port),
      ...(own ? { jump: { ...own, name: own.name ?? own.address } } : {}),
      pinned: String(host.hostKeyFingerprint ?? ""),
    });
  }
  const jumpProbes = [...jumps.entries()].map(([name, j]) => ({
    name,
    address: j.address,
    port: Number(j.port ?? 22),
    pinned: j.hostKeyFingerprint,
  }));
  return [...jumpProbes, ...probes];
}

async function read(probe: Probe, user: string, identity: string | undefined): Promise<string> {
  if (!probe.jump) return (await presentedHostKey(probe.address, probe.port)).fingerprint;
  const jump: SshTarget = {
    name: probe.jump.name,
    address: probe.jump.address,
    port: probe.jump.port,
    user: probe.jump.user ?? user,
    hostKeyFingerprint: probe.jump.hostKeyFingerprint,
    ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
    ...(identity ? { privateKey: fs.readFileSync(identity, "utf8") } : {}),
  };
  const sock = await forwardedChannel(jump, probe.address, probe.port);
  return (await presentedHostKey(probe.address, probe.port, { sock })).fingerprint;
}

export async function main(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        stack: { type: "string" },
        write: { type: "boolean" },
        dir: { type: "string" },
        identity: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    err(`fingerprints: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  if (!args.stack) {
    err(`fingerprints: --stack is required\n${USAGE}`);
    return 2;
  }
  const file = path.join(args.dir ?? repoRoot, `Pulumi.${args.stack}.yaml`);
  if (!fs.existsSync(file)) {
    err(
      `fingerprints: no stack file ${file}; pass --stack with an existing stack (or --dir with the project directory)`,
    );
    return 2;
  }
  const text = fs.readFileSync(file, "utf8");
  const config = ((YAML.parse(text) as { config?: Raw } | undefined)?.config ?? {}) as Raw;
  const user = String(((config["mesos-upgrade:ssh"] ?? {}) as Raw).user ?? "root");
  const pins: Pin[] = [];
  let failures = 0;
  try {
    for (const probe of probesOf(config)) {
      try {
        const fingerprint = await read(probe, user, args.identity);
        const note =
          probe.pinned === fingerprint
            ? "pinned"
            : probe.pinned && !probe.pinned.includes("REPLACE")
              ? `CHANGED (pinned ${probe.pinned})`
              : "new";
        out(
          `${probe.name}\t${probe.address}:${probe.port}${probe.jump ? ` via ${probe.jump.name}` : ""}\t${fingerprint}\t${note}`,
        );
        pins.push({ name: probe.name, fingerprint });
      } catch (error) {
        failures++;
        err(`${probe.name}\t${probe.address}:${probe.port}\t${(error as Error).message}`);
      }
    }
  } finally {
    await closeAllConnections();
  }
  if (args.write) {
    const pinned = pinFingerprints(text, pins);
    writeFileWhole(file, pinned.text);
    out(
      `wrote ${pinned.changed.length} fingerprint(s) to ${file}${pinned.changed.length ? ` (${pinned.changed.join(", ")})` : ""}; review with \`git diff ${path.basename(file)}\``,
    );
  }
  return failures ? 1 : 0;
}

if (require.main === module) {
  main(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  ).then((code) => {
    process.exitCode = code;
  });
}
