// The service of an ordinary long-running image answering on the host ports a Mesos task was given: the Docker
// containerizer publishes each of the task's host ports (`-p hostPort:containerPort` in BRIDGE mode, the same port
// in HOST mode; Mesos docs/docker-containerizer.md), and Marathon passes them as $PORT0…$PORTn. A connection is
// accepted (a TCP check passes); an HTTP request is answered 200 (an HTTP check passes). Nothing listens once the
// container is gone, so a stopped task fails its checks as a real one does.
import { createServer, type Server } from "node:net";

/** The host ports of a Mesos task's container, from the environment Marathon gave it. */
export function taskHostPorts(env: Readonly<Record<string, string>>): number[] {
  if (!env.MESOS_TASK_ID) return [];
  return Object.entries(env)
    .filter(([key, value]) => /^PORT\d+$/.test(key) && /^\d+$/.test(value))
    .map(([, value]) => Number(value));
}

/** Listens on each port at `address`; resolves with a function that closes them all. Ports in use are skipped. */
export async function serveTaskPorts(address: string, ports: readonly number[]): Promise<() => void> {
  const servers: Server[] = [];
  for (const port of ports) {
    const server = createServer((socket) => {
      socket.on("error", () => undefined);
      socket.once("data", (data) => {
        if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r?\n/.test(data.toString("latin1"))) {
          socket.end(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nOK\n",
          );
        }
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, address, () => resolve(true));
    });
    if (listening) servers.push(server);
  }
  return () => {
    for (const server of servers) server.close();
  };
}
