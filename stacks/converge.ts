// `npm start` / `npm run converge -- --stack <name>`: preview and apply one hop per `pulumi up` until the stack is at its targets.
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline/promises";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { startCluster, type Cluster } from "../sim";
import { repoRoot, workArea } from "../toolchain/paths";
import { openStack } from "../toolchain/workspace";
import { clusterProgram } from "./program";

const SIM_ROLE = { master: "mesos-master", agent: "mesos-slave", marathon: "marathon" } as const;

export interface ConvergeOptions {
  readonly stack: string;
  /** Ask before each hop. */
  readonly step: boolean;
  /** Give up after this many runs. @default 40 */
  readonly maxRuns: number;
  readonly log: (line: string) => void;
}

/** The local stack's project directory: the repository's files plus the simulator's hosts, key and ZooKeeper host. */
async function localProject(cluster: Cluster): Promise<string> {
  const dir = path.join(workArea(), "stacks", "local");
  fs.mkdirSync(dir, { recursive: true });
  const settings = fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), settings);
  const stackFile = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
  stackFile.config["mesos-upgrade:hosts"] = cluster.hosts.map((h) => ({ name: h.name, address: h.address, roles: h.roles.map((r) => SIM_ROLE[r]), hostKeyFingerprint: h.hostKeyFingerprint }));
  stackFile.config["mesos-upgrade:ssh"] = { user: cluster.userKey.user, port: cluster.hosts[0]?.sshPort ?? 22 };
  const zk = cluster.file.zk;
  if (zk.dataHost && zk.dataDir) {
    stackFile.config["mesos-upgrade:zookeeper"] = { ...(stackFile.config["mesos-upgrade:zookeeper"] as object | undefined), hosts: [zk.dataHost], dataDir: zk.dataDir };
  }
  fs.writeFileSync(path.join(dir, "Pulumi.local.yaml"), YAML.stringify(stackFile, { lineWidth: 0 }));
  return dir;
}

/** A per-host version table for people, from the stack's outputs. */
export function versionTable(hostVersions: Record<string, Record<string, string>>): string {
  const columns = ["docker", "mesos-master", "mesos-slave", "marathon"];
  const rows = [["host", ...columns], ...Object.entries(hostVersions).map(([host, versions]) => [host, ...columns.map((c) => versions[c] ?? "-")])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** Previews and applies runs until the plan says converged (or blocked), printing each hop's diff and the versions after it. */
export async function converge(stack: Stack, options: ConvergeOptions): Promise<{ runs: number; phase: string }> {
  const ask = options.step ? readline.createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  try {
    for (let run = 1; run <= options.maxRuns; run++) {
      let preview = "";
      await stack.preview({ diff: true, onOutput: (text) => { preview += text; } });
      options.log(`\n── run ${run}: preview ──\n${preview.trim()}`);
      if (ask && (await ask.question(`apply run ${run}? [y/N] `)).trim().toLowerCase() !== "y") return { runs: run - 1, phase: "stopped" };
      const started = Date.now();
      const result = await stack.up({ onOutput: () => undefined });
      const outputs = Object.fromEntries(Object.entries(result.outputs).map(([key, value]) => [key, value.value])) as { phase: string; thisRun: string[]; hostVersions: Record<string, Record<string, string>>; blocked: unknown[] };
      options.log(`── run ${run}: applied in ${Math.round((Date.now() - started) / 1000)}s ──\n${outputs.thisRun.join("\n") || (outputs.phase === "adopting" ? "(adopted the running cluster; nothing restarted)" : "(nothing to do)")}\n\n${versionTable(outputs.hostVersions)}`);
      if (outputs.phase === "converged" || outputs.phase === "blocked") {
        return { runs: run, phase: outputs.phase };
      }
    }
    return { runs: options.maxRuns, phase: "unfinished" };
  } finally {
    ask?.close();
  }
}

/** Starts the simulated cluster of the local stack and opens the stack on it, with the simulator's hosts and key. */
export async function openLocalStack(network: string): Promise<{ stack: Stack; cluster: Cluster }> {
  const file = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, { hosts?: string; sshServer?: "ssh2" | "openssh" }> };
  const simulator = file.config["mesos-upgrade:simulator"] ?? {};
  const stateDir = path.join(workArea(), "sim");
  const cluster = await startCluster(simulator.hosts && simulator.hosts !== "default" ? simulator.hosts : undefined, { stateDir, network, sshServer: simulator.sshServer ?? "ssh2" });
  const projectDir = await localProject(cluster);
  const stack = await openStack({ stack: "local", program: clusterProgram, projectDir });
  await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
  return { stack, cluster };
}
