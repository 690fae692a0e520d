// Entry point of the coordination service process: `node sim/zk/main.js <stateDir>`.
import { listen } from "../http";
import { paths, readClusterFile } from "../layout";
import { serveZk, ZkTree } from "./server";

async function main(): Promise<void> {
  const stateDir = process.argv[2];
  const cluster = stateDir ? readClusterFile(stateDir) : undefined;
  if (!stateDir || !cluster) throw new Error("usage: zk/main.js <stateDir> (with a cluster.json)");
  const server = serveZk(new ZkTree(), paths.zkSnapshot(cluster));
  await listen(server, { host: cluster.zk.address, port: cluster.zk.port });
  process.stdout.write(`zookeeper listening on ${cluster.zk.address}:${cluster.zk.port}\n`);
  process.on("SIGTERM", () => process.exit(0));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
