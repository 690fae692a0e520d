// The program of an ordinary image (redis, rabbitmq, busybox, …): it runs until stopped, unless its command is one
// of the few short-lived commands the simulator understands (true, false, echo, sleep N, sh -c "exit N").
import type { ContainerContext, Program } from "./program";
import { serveTaskPorts, taskHostPorts } from "./service-ports";

function shortLived(args: readonly string[]): { output?: string; seconds: number; code: number } | undefined {
  const [command, ...rest] = args;
  if (command === undefined) return undefined;
  if (command === "true") return { seconds: 0, code: 0 };
  if (command === "false") return { seconds: 0, code: 1 };
  if (command === "echo") return { output: rest.join(" "), seconds: 0, code: 0 };
  if (command === "sleep" && rest[0] !== undefined && Number.isFinite(Number(rest[0]))) {
    return { seconds: Number(rest[0]), code: 0 };
  }
  if ((command === "sh" || command === "/bin/sh") && rest[0] === "-c" && rest[1] !== undefined) {
    const exit = /^\s*exit\s+(\d+)\s*$/.exec(rest[1]);
    if (exit) return { seconds: 0, code: Number(exit[1]) };
    const echo = /^\s*echo\s+(.*)$/.exec(rest[1]);
    if (echo) return { output: echo[1], seconds: 0, code: 0 };
  }
  return undefined;
}

/** Starts a generic container program. */
export function genericProgram(context: ContainerContext): Program {
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let ended: ((code: number) => void) | undefined;
  const end = new Promise<number>((resolve) => (ended = resolve));
  const done = (code: number) => {
    if (finished) return code;
    finished = true;
    if (timer) clearTimeout(timer);
    ended?.(code);
    return code;
  };
  const plan = shortLived(context.args);
  if (plan) {
    if (plan.output !== undefined) context.stdout(plan.output);
    timer = setTimeout(() => context.exit(done(plan.code)), Math.max(5, context.clock.ms(plan.seconds)));
  }
  // A long-running service answers on the host ports its Mesos task was given (see service-ports.ts).
  let closePorts: (() => void) | undefined;
  if (!plan) {
    void serveTaskPorts(context.host.address, taskHostPorts(context.env)).then((close) => {
      if (finished) close();
      else closePorts = close;
    });
  }
  // PID 1 of a container ignores every signal it has no handler for: a shell or `sleep` started as the container's
  // command survives SIGTERM, so `docker stop`, and an engine shutting down (daemon.Shutdown stops each container
  // the same way: SIGTERM, 10 s, SIGKILL), kill it after the timeout: exit 137 (moby/moby#32310; Docker run
  // reference, "PID 1"). Image services (redis-server, nginx…) handle SIGTERM and exit 0.
  const ignoresTerm = ["sh", "/bin/sh", "bash", "/bin/bash", "sleep"].includes(context.args[0] ?? "");
  return {
    stop: async (signal) => {
      if (signal === "SIGTERM" && ignoresTerm && !finished) return end;
      closePorts?.();
      return done(signal === "SIGKILL" ? 137 : 0);
    },
  };
}
