// The simulated docker client's connections to its daemon: one per command, as Go's HTTP client in one process.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import type { Socket } from "node:net";
import * as http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { runDockerCli } from "../../../sim/docker/cli";

describe("the simulated docker client", () => {
  it("asks for every name of an inspect on one connection, and closes it when the command ends", async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), "docker-cli-")), "docker.sock");
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? "");
      const container = /\/containers\/(\w+)\/json$/.exec(req.url ?? "")?.[1];
      const image = /\/images\/(\w+)\/json$/.exec(req.url ?? "")?.[1];
      const found = container === "web" ? { Id: "web" } : image === "busybox" ? { Id: "busybox" } : undefined;
      res.writeHead(found ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(found ?? { message: "no such container" }));
    });
    const connections: Socket[] = [];
    server.on("connection", (socket: Socket) => connections.push(socket));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      let out = "";
      let err = "";
      const code = await runDockerCli({
        argv: ["inspect", "web", "busybox"],
        argv0: "docker",
        clientVersion: "1.7.1",
        socketPath,
        out: (text) => (out += text),
        err: (text) => (err += text),
        readFile: () => "",
        clientSocket: (path) => path,
        env: () => undefined,
      });
      assert.equal(code, 0, err);
      assert.deepEqual(
        (JSON.parse(out) as Array<{ Id: string }>).map((o) => o.Id),
        ["web", "busybox"],
      );
      assert.equal(paths.length, 3, "the container, then the image it is not, then the image");
      assert.equal(connections.length, 1, "one connection for the command's three requests");
      await sleep(50);
      assert.ok(connections[0]?.destroyed || connections[0]?.readableEnded, "closed once the command ended");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
