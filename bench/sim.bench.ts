// Timings of the simulated cluster's upgrade-relevant operations under a latency profile:
// `node dist/bench/sim.bench.js [fast|realistic]` (realistic runs at real speed and takes a few minutes).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCluster } from "../sim";
import { bootstrapCommands } from "../sim/bootstrap";
import { ssh } from "./sim-ssh";

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  process.stdout.write(`${label.padEnd(58)} ${((Date.now() - started) / 1000).toFixed(2).padStart(8)} s\n`);
  return result;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check().catch(() => false))) await new Promise((r) => setTimeout(r, 100));
}

async function main(): Promise<void> {
  const profile = (process.argv[2] ?? "fast") as "fast" | "realistic";
  process.stdout.write(`simulated cluster, ${profile} profile\n`);
  const cluster = await timed("up (3 masters + Marathon, 4 agents, 9 tasks)", () =>
    startCluster(undefined, {
      profile,
      network: "127.0.99",
      stateDir: mkdtempSync(join(tmpdir(), "sim-bench-")),
      timeoutMs: 600_000,
    }),
  );
  try {
    const agent = cluster.file.hosts.find((h) => h.name === "a1")!;
    const run = (bootstrapCommands(cluster.file, agent).find((c) => c.includes("mesos-slave")) as string).replace(
      /mesos-slave:\S+/,
      "mesos-slave:0.23.1-1.0.ubuntu1404",
    );
    await timed("docker pull of the next agent image", () =>
      ssh(cluster, "a1", "docker pull mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404"),
    );
    await timed("agent hop 0.22.1 → 0.23.1 until re-registered", async () => {
      await ssh(cluster, "a1", `docker stop mesos-slave && docker rm mesos-slave && ${run}`);
      await until(
        async () =>
          (await cluster.exec("a1", "true")).code === 0 &&
          JSON.parse((await cluster.exec("a1", `curl -s http://${agent.address}:5051/metrics/snapshot`)).stdout)[
            "slave/registered"
          ] === 1,
      );
    });
    await timed("apt-get install docker-engine=1.8.3 (daemon restart)", () =>
      ssh(cluster, "a2", "apt-get install -y docker-engine=1.8.3-0~trusty"),
    );
    const leader = await cluster.mesosLeader();
    await timed("leader master stopped → new leader elected", async () => {
      await ssh(cluster, leader!.name, "docker stop mesos-master");
      await until(async () => {
        const next = await cluster.mesosLeader();
        return next !== undefined && next.name !== leader!.name;
      });
    });
    process.stdout.write(`tasks lost so far: ${cluster.lostTasks().length}\n`);
  } finally {
    await cluster.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
