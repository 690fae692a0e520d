// `main.js sshd-command <stateDir> <host>`: the OpenSSH server's ForceCommand wrapper (sim/host/openssh.ts). It asks
// the host's daemon for the shell of the command the client sent, then runs it in place. (The fake host commands are
// thin clients of the daemon instead: sim/host/tool-client.ts.)
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { request } from "../../http";
import { paths, readClusterFile } from "../../layout";

function passThrough(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const [program, ...args] = argv;
    if (!program) return resolve(0);
    const child = spawn(program, args, { stdio: "inherit", env });
    child.on("error", (error: NodeJS.ErrnoException) => {
      process.stderr.write(`${error.message}\n`);
      resolve(error.code === "ENOENT" ? 127 : 126);
    });
    child.on("exit", (code, signal) => resolve(signal ? 128 + (constants.signals[signal] ?? 15) : (code ?? 1)));
  });
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
  if (tool === "sshd-command") return sshdCommand(argv[0] as string, argv[1] as string);
  process.stderr.write(`unknown simulated tool ${tool ?? ""}: the host commands are thin clients now\n`);
  return 127;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
