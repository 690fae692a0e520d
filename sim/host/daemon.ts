// Entry point of a host daemon: `node sim/host/daemon.js <stateDir> <host>`, started detached in its own process group.
import { mkdirSync } from "node:fs";
import { stallTickMs, watchStalls } from "../host-work";
import { hostRecord, paths, readClusterFile } from "../layout";
import { programFor } from "../programs";
import { serveControl } from "./control";
import { HostRuntime } from "./runtime";
import { serveTools } from "./tool-server";

async function main(): Promise<void> {
  const [stateDir, name] = process.argv.slice(2);
  const cluster = stateDir ? readClusterFile(stateDir) : undefined;
  if (!stateDir || !name || !cluster) throw new Error("usage: host/daemon.js <stateDir> <host> (with a cluster.json)");
  const host = hostRecord(cluster, name);
  // What this host's processes connect from, and which addresses are the cluster's own (sim/host/firewall.ts).
  process.env.SIM_HOST_ADDRESS = host.address;
  process.env.SIM_CLUSTER_ADDRESSES = cluster.hosts.map((h) => h.address).join(",");
  // Where this process ran nothing, it does not count as the host's scaled time (sim/host-work.ts).
  watchStalls(stateDir, name, stallTickMs(cluster.profile.timeScale));
  const runtime = new HostRuntime(cluster, host, programFor);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    runtime
      .stop()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  mkdirSync(paths.controlDir(stateDir, name), { recursive: true });
  await serveControl(runtime, paths.controlSocket(stateDir, name));
  await serveTools(runtime, paths.toolSocket(stateDir, name));
  await runtime.start();
  process.stdout.write(`host ${name} ready (pid ${process.pid})\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`host daemon failed: ${process.env.SIM_DEBUG ? error.stack : error.message}\n`);
  process.exit(1);
});
