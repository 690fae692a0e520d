// A scratch stack on a simulated cluster for integration tests: a work area, the cluster, a project whose stack
// file lists the cluster's hosts, the SSH key set as a secret, and (unless asked not to) the adopting first `up`.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_APPS, startCluster, type Cluster, type StartOptions } from "../../sim";
import { clusterProgram } from "../../stacks/program";
import { repoRoot } from "../../toolchain/paths";
import { openStack } from "../../toolchain/workspace";

/** The stack's role names of the simulator's roles. */
export const ROLE = { master: "mesos-master", agent: "mesos-slave", marathon: "marathon" } as const;

/** The seed's agent settings (work dir mounted at its own path, swap limited, containers kept 6 hours). */
export const SEED_AGENT_SETTINGS = {
  workDir: "/data/mesos",
  flags: { cgroups_limit_swap: true, docker_remove_delay: "6hrs", containerizers: "docker,mesos" },
} as const;

/**
 * Writes the stack file: the cluster's hosts (with their host key fingerprints) and SSH user and port, then `config`
 * (keys without the "mesos-upgrade:" prefix). Writing it again drops the encrypted key: set `sshPrivateKey` again.
 */
export function writeStackFile(stackFile: string, cluster: Cluster, config: Record<string, unknown>): void {
  const whole: Record<string, unknown> = {
    environment: "local",
    hosts: cluster.hosts.map((h) => ({
      name: h.name,
      address: h.address,
      roles: h.roles.map((r) => ROLE[r]),
      hostKeyFingerprint: h.hostKeyFingerprint,
    })),
    ssh: { user: cluster.userKey.user, port: cluster.hosts[0]?.sshPort ?? 22 },
    ...config,
  };
  fs.writeFileSync(
    stackFile,
    YAML.stringify({
      config: Object.fromEntries(Object.entries(whole).map(([key, value]) => [`mesos-upgrade:${key}`, value])),
    }),
  );
}

export interface ScratchStackOptions {
  /** The stack's name, "scratch-…". */
  readonly stack: string;
  /** The simulator's host spec, e.g. "m1:master+marathon;a1:agent". */
  readonly hosts: string;
  /** The cluster's options besides its state directory (network, versions, apps…). */
  readonly cluster: Omit<StartOptions, "stateDir">;
  /** The stack's config besides its hosts and ssh (keys without the "mesos-upgrade:" prefix). */
  readonly config: (cluster: Cluster) => Record<string, unknown>;
  /** Run the adopting first `up` and check that it adopted. @default true */
  readonly adopt?: boolean;
}

export interface ScratchStack {
  /** The work area (MESOS_UPGRADE_WORK), removed by `close`. */
  readonly dir: string;
  readonly cluster: Cluster;
  readonly stack: Stack;
  /** The stack file `Pulumi.<stack>.yaml`. */
  readonly stackFile: string;
  /** The stack file as written at the start. */
  readonly settled: string;
  /** Stops the cluster and removes the work area. */
  close(): Promise<void>;
}

/** Starts the cluster, writes the project and stack file, sets the key, and adopts the cluster. */
export async function scratchStack(options: ScratchStackOptions): Promise<ScratchStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${options.stack}-`));
  process.env.MESOS_UPGRADE_WORK = dir;
  const cluster = await startCluster(options.hosts, {
    ...options.cluster,
    stateDir: path.join(dir, "sim"),
  } as StartOptions);
  const close = async (): Promise<void> => {
    await cluster.stop();
    delete process.env.MESOS_UPGRADE_WORK;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const projectDir = path.join(dir, "project");
    fs.mkdirSync(projectDir, { recursive: true });
    fs.writeFileSync(
      path.join(projectDir, "Pulumi.yaml"),
      fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`),
    );
    const stackFile = path.join(projectDir, `Pulumi.${options.stack}.yaml`);
    writeStackFile(stackFile, cluster, options.config(cluster));
    const stack = await openStack({ stack: options.stack, program: clusterProgram, projectDir });
    await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
    const settled = fs.readFileSync(stackFile, "utf8");
    if (options.adopt ?? true) {
      const adopted = await stack.up({ onOutput: () => undefined });
      assert.equal(adopted.outputs.phase.value, "adopting");
    }
    return { dir, cluster, stack, stackFile, settled, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What differs between the scratch stacks that take a small cluster one Mesos hop (0.25.1 → 0.26.2). */
export interface OneHopStackOptions {
  readonly stack: string;
  readonly network: string;
  /** @default "m1:master+marathon;a1,a2:agent" */
  readonly hosts?: string;
  readonly gateTimeoutSeconds: number;
  /** Stack keys besides targets, rollout and mesosSlave (e.g. secretEnv). */
  readonly config?: Record<string, unknown>;
  readonly adopt?: boolean;
}

/**
 * A scratch stack on a cluster running Docker 1.11.2, Mesos 0.25.1 and Marathon 0.11.1 with one app (/harbor),
 * whose targets take Mesos one hop to 0.26.2 with the seed's agent settings.
 */
export function oneHopScratchStack(options: OneHopStackOptions): Promise<ScratchStack> {
  return scratchStack({
    stack: options.stack,
    hosts: options.hosts ?? "m1:master+marathon;a1,a2:agent",
    cluster: {
      network: options.network,
      versions: { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" },
      apps: DEFAULT_APPS.filter((app) => app.id === "/harbor"),
    },
    config: () => ({
      targets: { docker: "1.11.2", mesos: "0.26.2", marathon: "0.11.1" },
      rollout: { gateTimeoutSeconds: options.gateTimeoutSeconds },
      mesosSlave: SEED_AGENT_SETTINGS,
      ...options.config,
    }),
    ...(options.adopt === undefined ? {} : { adopt: options.adopt }),
  });
}
