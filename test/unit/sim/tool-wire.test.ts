// The fake host commands' wire format and thin client (sim/host/tool-wire.ts, sim/host/tool-client.ts): both builds of
// the client, the compiled C one and the Perl one, against a stand-in daemon, as a host's shell runs them.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { toolClientBinary, toolClientScript, type ToolClientOptions } from "../../../sim/host/tool-client";
import { buildToolClient } from "../../../sim/host/tool-client-build";
import {
  clientPath,
  encodeRequest,
  frame,
  readRequest,
  sudoProgram,
  type ToolRequest,
} from "../../../sim/host/tool-wire";

test("reads back a request with empty and multi-byte arguments and '=' in environment values", () => {
  const request: ToolRequest = {
    tool: "docker",
    pid: 4242,
    argv: ["run", "", "-e", "A=b=c", "héllo"],
    env: { PATH: "/usr/bin", X: "1=2", EMPTY: "" },
  };
  const bytes = encodeRequest(request);
  assert.deepEqual(readRequest(bytes), request);
  assert.equal(readRequest(bytes.subarray(0, bytes.length - 1)), undefined);
  assert.equal(readRequest(Buffer.from("12")), undefined);
});

test("rejects bytes that are no request, naming the bad field", () => {
  assert.throws(() => readRequest(Buffer.from("x1\nab")), /bad length line "x1"/);
  assert.throws(() => readRequest(Buffer.from("9\ndocker\0-1")), /bad header fields \(tool "docker", pid "-1"/);
  assert.throws(() => readRequest(Buffer.from("a".repeat(30))), /no length line/);
});

test("frames carry their byte length, so multi-byte output passes whole", () => {
  assert.deepEqual(frame("o", "é\n"), Buffer.from("o3\né\n"));
  assert.deepEqual(frame("x", "0"), Buffer.from("x1\n0"));
});

test("finds the client's files through its /proc entry: relative from its cwd, absolute from its root", () => {
  assert.equal(clientPath(7, "./env", false), "/proc/7/cwd/./env");
  assert.equal(clientPath(7, "/var/run/docker.sock", false), "/proc/7/root/var/run/docker.sock");
  assert.equal(clientPath(7, "/tmp/x.sock", true), "/tmp/x.sock");
});

test("finds sudo's program after its options (-u and -g take a value, -- ends them)", () => {
  assert.equal(sudoProgram(["docker", "ps"]), 0);
  assert.equal(sudoProgram(["-n", "-u", "root", "-E", "apt-get", "-y"]), 4);
  assert.equal(sudoProgram(["--", "-weird"]), 1);
  assert.equal(sudoProgram(["-n"]), undefined);
});

// A stand-in daemon: answers each request with what `answer` returns, frame by frame.
const dir = mkdtempSync(join(tmpdir(), "tool-wire-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let seen: ToolRequest | undefined;
let answer: (request: ToolRequest, socket: net.Socket) => void = () => undefined;
const socketPath = join(dir, "tool.sock");
const server = net.createServer((socket) => {
  let buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    const request = readRequest(buffer);
    if (!request) return;
    seen = request;
    answer(request, socket);
  });
});
const listening = new Promise<void>((resolve) => server.listen(socketPath, resolve));
after(() => server.close());

// The compiled client needs a C compiler on the machine (CI installs gcc): without one these cases fail, naming why.
const built = buildToolClient();
const BUILDS = {
  compiled: (options: ToolClientOptions): Buffer => {
    if (!("file" in built)) throw new Error(built.problem);
    return toolClientBinary(readFileSync(built.file), options);
  },
  perl: (options: ToolClientOptions): string => toolClientScript(options),
} as const;
type Build = keyof typeof BUILDS;

function writeClient(build: Build, name: string, options: ToolClientOptions): string {
  const path = join(dir, `${build}-${name}`);
  writeFileSync(path, BUILDS[build](options), { mode: 0o755 });
  return path;
}

const client = (build: Build, tool: string): string =>
  writeClient(build, tool, {
    tool,
    socket: socketPath,
    control: "/ctl.sock",
    host: "h1",
    dockerHost: "unix:///d.sock",
  });

function run(program: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ stdout: string; stderr: string; code: number | null; pid: number }>((resolve) => {
    const child = spawn(program, args, { env: { PATH: process.env.PATH, ...env }, cwd: dir });
    // Decoded once whole: a piece may end inside a multi-byte character.
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => stdout.push(d));
    child.stderr.on("data", (d: Buffer) => stderr.push(d));
    child.on("close", (code) =>
      resolve({
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
        code,
        pid: child.pid as number,
      }),
    );
  });
}

for (const build of ["compiled", "perl"] as const) {
  test(`(${build}) the client sends argv, pid and environment, writes stdout and stderr apart in order, and exits with the status`, async () => {
    await listening;
    answer = (_request, socket) => {
      socket.write(Buffer.concat([frame("o", "one\n"), frame("e", "warn\n")]));
      setTimeout(() => socket.end(Buffer.concat([frame("o", "two é\n"), frame("x", "3")])), 20);
    };
    const result = await run(client(build, "docker"), ["inspect", "", "a b"], { SIM_ORIGIN: "test", DOCKER_HOST: "" });
    assert.deepEqual([result.code, result.stdout, result.stderr], [3, "one\ntwo é\n", "warn\n"]);
    assert.equal(seen?.tool, "docker");
    assert.equal(seen?.pid, result.pid);
    assert.deepEqual(seen?.argv, ["inspect", "", "a b"]);
    assert.equal(seen?.env.SIM_ORIGIN, "test");
    assert.equal(seen?.env.SIM_HOST, "h1");
    assert.equal(seen?.env.DOCKER_HOST, "unix:///d.sock", "an empty DOCKER_HOST takes the host's default");
    await run(client(build, "docker"), [], { DOCKER_HOST: "unix:///mine.sock" });
    assert.equal(seen?.env.DOCKER_HOST, "unix:///mine.sock");
  });

  test(`(${build}) a sudo client replaces itself with the program the daemon points at, or fails like sudo when there is none`, async () => {
    answer = (_request, socket) => socket.end(frame("r", "2"));
    const ran = await run(client(build, "sudo"), ["-u", "root", "sh", "-c", "echo ran $0; exit 4"]);
    assert.deepEqual([ran.code, ran.stdout], [4, "ran sh\n"]);
    const missing = await run(client(build, "sudo"), ["-u", "root", "no-such-program-here"]);
    assert.deepEqual([missing.code, missing.stderr], [1, "sudo: no-such-program-here: command not found\n"]);
  });

  test(`(${build}) the client fails with status 1, naming the socket, when the daemon is not there or hangs up`, async () => {
    answer = (_request, socket) => socket.end(frame("o", "partial\n"));
    const cut = await run(client(build, "apt-get"), ["update"]);
    assert.deepEqual(
      [cut.code, cut.stdout, cut.stderr],
      [1, "partial\n", "apt-get: the host daemon closed the connection\n"],
    );
    const path = writeClient(build, "gone", {
      tool: "service",
      socket: join(dir, "none.sock"),
      control: "/c",
      host: "h1",
    });
    const gone = await run(path, ["docker", "status"]);
    assert.equal(gone.code, 1);
    assert.match(
      gone.stderr,
      /^service: the host daemon is not reachable at .*none\.sock: No such file or directory\n$/,
    );
  });

  test(`(${build}) the client passes a large output whole, whatever pieces the daemon's frames arrive in`, async () => {
    const text = Array.from({ length: 6000 }, (_, i) => `line ${i} ${"é".repeat(i % 40)}\n`).join("");
    answer = (_request, socket) => {
      const bytes = Buffer.concat([frame("o", text), frame("e", "done\n"), frame("x", "0")]);
      let at = 0;
      const next = () => {
        // Pieces of 1 to 4,000 bytes: frame headers and multi-byte characters are cut anywhere.
        const size = 1 + ((at * 7919) % 4000);
        socket.write(bytes.subarray(at, at + size));
        at += size;
        if (at < bytes.length) setImmediate(next);
        else socket.end();
      };
      next();
    };
    const result = await run(client(build, "docker"), ["logs", "x"]);
    assert.deepEqual([result.code, result.stderr, result.stdout.length], [0, "done\n", text.length]);
    assert.equal(result.stdout, text);
  });
}
