// The fake host commands: `main.js <tool> args…`, run by the shims in a host's /usr/local/bin. Each records its argv
// in the host's ledger through the control socket, then behaves like the real tool.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { runDockerCli } from "../../docker/cli";
import { request } from "../../http";
import { paths, readClusterFile } from "../../layout";

interface ToolResult {
  stdout: string;
  stderr: string;
  code: number;
}

function control(): { socketPath: string } {
  const socketPath = process.env.SIM_CONTROL;
  if (!socketPath) throw new Error("SIM_CONTROL is not set: run this through a simulated host's shell");
  return { socketPath };
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const result = await request(control(), path, { method: "POST", body, timeoutMs: 3_600_000 });
  if (result.status !== 200) throw new Error(`host daemon: ${result.text}`);
  return result.json as T;
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => (text === "" ? resolve() : stream.write(text, () => resolve())));
}

async function docker(argv: string[]): Promise<number> {
  const { dockerClient } = await post<{ dockerClient: string | null }>("/exec-log", {
    program: "docker",
    argv,
    origin: process.env.SIM_ORIGIN ?? "shell",
  });
  if (!dockerClient) {
    await write(process.stderr, "sh: 1: docker: not found\n");
    return 127;
  }
  const host = process.env.DOCKER_HOST;
  const out: Promise<void>[] = [];
  return runDockerCli({
    argv,
    argv0: "docker",
    clientVersion: dockerClient,
    socketPath: host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock",
    out: (text) => out.push(write(process.stdout, text)),
    err: (text) => out.push(write(process.stderr, text)),
  }).then(async (code) => {
    await Promise.all(out);
    return code;
  });
}

async function hostTool(program: string, argv: string[]): Promise<number> {
  const result = await post<ToolResult>("/tool", { program, argv, origin: process.env.SIM_ORIGIN ?? "shell" });
  await write(process.stdout, result.stdout);
  await write(process.stderr, result.stderr);
  return result.code;
}

function passThrough(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const [program, ...args] = argv;
    if (!program) return resolve(0);
    const child = spawn(program, args, { stdio: "inherit", env });
    child.on("error", (error: NodeJS.ErrnoException) => {
      process.stderr.write(error.code === "ENOENT" ? `sudo: ${program}: command not found\n` : `${error.message}\n`);
      resolve(error.code === "ENOENT" ? 1 : 126);
    });
    child.on("exit", (code, signal) => resolve(signal ? 128 + (constants.signals[signal] ?? 15) : (code ?? 1)));
  });
}

async function sudo(argv: string[]): Promise<number> {
  await post("/exec-log", { program: "sudo", argv, origin: process.env.SIM_ORIGIN ?? "shell" });
  let i = 0;
  while (i < argv.length && (argv[i] as string).startsWith("-")) {
    const option = argv[i] as string;
    i++;
    if (option === "--") break;
    if (option === "-u" || option === "-g") i++;
  }
  return passThrough(argv.slice(i), process.env);
}

async function sshdCommand(stateDir: string, hostName: string): Promise<number> {
  const cluster = readClusterFile(stateDir);
  if (!cluster) throw new Error(`no cluster in ${stateDir}`);
  const socketPath = paths.controlSocket(stateDir, hostName);
  const env = Object.fromEntries(
    ["SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY", "TERM"]
      .filter((k) => process.env[k] !== undefined)
      .map((k) => [k, process.env[k] as string]),
  );
  const result = await request({ socketPath }, "/ssh-exec", {
    method: "POST",
    body: { command: process.env.SSH_ORIGINAL_COMMAND, env },
  });
  const { argv, env: shellEnv } = result.json as { argv: string[]; env: NodeJS.ProcessEnv };
  return passThrough(argv, shellEnv);
}

async function main(): Promise<number> {
  const [tool, ...argv] = process.argv.slice(2);
  switch (tool) {
    case "docker":
      return docker(argv);
    case "apt-get":
    case "apt-cache":
    case "dpkg-query":
    case "dpkg":
    case "service":
      return hostTool(tool, argv);
    case "sudo":
      return sudo(argv);
    case "sshd-command":
      return sshdCommand(argv[0] as string, argv[1] as string);
    default:
      process.stderr.write(`unknown simulated tool ${tool ?? ""}\n`);
      return 127;
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
