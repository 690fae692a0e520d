// Mesos and Marathon run as Docker containers: pre-pull, replace and put back, through the Docker CLI (reading them:
// observe/containers.ts).
import type { RemoteShell } from "../remote/ssh";
import { ENV_FILE_DIR, envFilePath, envFileText } from "./env-file";
import { runSections, SECTION_STATUS, type Section } from "../remote/sections";
import { commandLine, redact, shellQuote } from "../remote/quote";
import { splitSecretEnv } from "../catalogue/secret-env";
import { optionFlags, type ContainerOptions } from "../observe/container-options";
import type { RunningContainer } from "../observe/containers";

/** A container as we start it: `docker run -d` with these settings. */
export interface ContainerSpec {
  readonly name: string;
  /** "repository:tag". */
  readonly image: string;
  /** Arguments after the image (the component's flags). */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Bind mounts "hostPath:containerPath". */
  readonly volumes: readonly string[];
  /** @default true: Mesos and Marathon bind the host's address and ports. */
  readonly hostNetwork: boolean;
  readonly privileged: boolean;
  /**
   * Docker restart policy ("on-failure" takes options.restartRetries); "always" brings the component back after an
   * engine restart.
   */
  readonly restart: "always" | "unless-stopped" | "on-failure" | "no";
  /** --pid=host: the host's PID namespace (an agent recovering executor containers needs it). @default false */
  readonly pidHost?: boolean;
  /** Names in `env` the stack lists as secrets, besides those whose name says so (providers/secret-env.ts). */
  readonly secretEnv?: readonly string[];
  /** Every other option, kept from the container this one replaces (limits, DNS, labels, log driver, …). */
  readonly options?: ContainerOptions;
}

/**
 * The `docker run` argv for a spec; one flag per setting, in a stable order (readable, and testable as a snapshot).
 * With `envFile`, `--env-file` comes before the `-e` values (Docker reads files first; `-e` wins).
 */
export function runArgv(spec: ContainerSpec, envFile?: string): string[] {
  const argv = ["docker", "run", "-d", "--name", spec.name];
  if (spec.hostNetwork) argv.push("--net", "host");
  if (spec.pidHost) argv.push("--pid", "host");
  if (spec.privileged) argv.push("--privileged");
  if (spec.restart === "on-failure") {
    argv.push("--restart", spec.options?.restartRetries ? `on-failure:${spec.options.restartRetries}` : "on-failure");
  } else if (spec.restart !== "no") argv.push("--restart", spec.restart);
  for (const volume of spec.volumes) argv.push("-v", volume);
  if (envFile) argv.push("--env-file", envFile);
  for (const [key, value] of Object.entries(spec.env).sort(([a], [b]) => a.localeCompare(b))) {
    argv.push("-e", `${key}=${value}`);
  }
  argv.push(...optionFlags(spec.options));
  // docker run takes one word for --entrypoint; the entrypoint's other words go first among the arguments.
  argv.push(spec.image, ...(spec.options?.entrypoint?.slice(1) ?? []), ...spec.args);
  return argv;
}

/** Pulls `image` before anything is stopped, so a registry problem never leaves a component down. */
export async function pullImage(shell: RemoteShell, image: string, timeoutSeconds?: number): Promise<void> {
  await shell.run(["docker", "pull", image], { timeoutSeconds });
}

/**
 * Stops and removes the container `name` if it exists (its volumes and the host's bind mounts stay): one round trip.
 */
export async function removeContainer(shell: RemoteShell, name: string, stopTimeoutSeconds = 30): Promise<void> {
  await shell.run(
    [
      "sh",
      "-c",
      'docker stop -t "$1" "$2" </dev/null; docker rm -f "$2" </dev/null',
      "sh",
      String(stopTimeoutSeconds),
      name,
    ],
    { allowFailure: true },
  );
}

/** What a replacement did: started the new container (its id), or stopped the old ones and failed to start it. */
export type ReplaceOutcome =
  { readonly kind: "started"; readonly id: string } | { readonly kind: "start-failed"; readonly failure: string };

/** The one remote script of a replacement, the data for its standard input, and the values to keep out of messages. */
export interface ReplaceScript {
  readonly sections: Section[];
  readonly stdin?: string;
  readonly secrets: string[];
}

/**
 * Replaces the containers `remove` by one from `spec`, in one script (one SSH round trip, so the component is down for
 * no more than Docker's own stop and start): the secret env file first (written from stdin, 0600 in a root-only
 * directory: providers/env-file.ts), and only when it is written, stop and remove each old container (failures
 * ignored: it may be gone already), `docker run`, and the env file removed whatever the run did.
 */
export function replaceScript(spec: ContainerSpec, remove: readonly string[], stopTimeoutSeconds = 30): ReplaceScript {
  const { plain, secret } = splitSecretEnv(spec.env, spec.secretEnv);
  const hasSecrets = Object.keys(secret).length > 0;
  const envFile = hasSecrets ? envFilePath(spec.name) : undefined;
  const sections: Section[] = [];
  if (envFile) {
    sections.push({
      name: "envfile",
      script: `(umask 077 && install -d -m 0700 -o root -g root ${shellQuote(ENV_FILE_DIR)} && cat > ${shellQuote(envFile)}); e=$?; ${SECTION_STATUS} $e`,
    });
  } else sections.push({ name: "envfile", script: "e=0" });
  const removals = remove.map(
    (name) =>
      `docker stop -t ${stopTimeoutSeconds} ${shellQuote(name)} </dev/null; docker rm -f ${shellQuote(name)} </dev/null`,
  );
  sections.push({ name: "remove", script: `if [ "$e" = 0 ]; then\n${removals.join("\n") || ":"}\nfi` });
  sections.push({
    name: "run",
    script: `if [ "$e" = 0 ]; then ${commandLine(runArgv({ ...spec, env: plain }, envFile))} </dev/null; else ${SECTION_STATUS} 125; fi`,
  });
  if (envFile) sections.push({ name: "cleanup", script: `rm -f ${shellQuote(envFile)}` });
  return { sections, ...(hasSecrets ? { stdin: envFileText(secret) } : {}), secrets: Object.values(secret) };
}

/**
 * Stops and removes `remove` and starts `spec` in one round trip (replaceScript). Throws, having stopped nothing, when
 * the env file cannot be written; a failed `docker run` (the old containers gone) is an outcome for the caller to undo.
 */
export async function replaceContainer(
  shell: RemoteShell,
  spec: ContainerSpec,
  remove: readonly string[],
): Promise<ReplaceOutcome> {
  const script = replaceScript(spec, remove);
  const results = await runSections(shell, script.sections, {
    secrets: script.secrets,
    ...(script.stdin === undefined ? {} : { stdin: script.stdin }),
  });
  const stderrTail = (text: string) => redact(text.trim().split("\n").slice(-3).join(" | "), script.secrets);
  const envFile = results.get("envfile");
  if (!envFile || envFile.code !== 0) {
    throw new Error(
      `${shell.label}: writing the env file of ${spec.name} (${ENV_FILE_DIR}) failed${envFile ? ` with exit code ${envFile.code}: ${stderrTail(envFile.stderr)}` : ""}; nothing was stopped`,
    );
  }
  const run = results.get("run");
  if (!run || run.code !== 0) {
    return {
      kind: "start-failed",
      failure: `\`docker run … ${spec.image}\` failed${run ? ` with exit code ${run.code}: ${stderrTail(run.stderr)}` : ": the remote script stopped before it"}`,
    };
  }
  return { kind: "started", id: run.stdout.trim().split("\n").pop() ?? "" };
}

/** The spec that recreates what runs (for putting the previous version back). */
export function specOf(running: RunningContainer): ContainerSpec {
  return {
    name: running.name,
    image: running.image,
    args: running.args,
    env: running.env,
    volumes: running.volumes,
    hostNetwork: running.hostNetwork,
    pidHost: running.pidHost,
    privileged: running.privileged,
    restart:
      running.restart === "always" || running.restart === "unless-stopped" || running.restart === "on-failure"
        ? running.restart
        : "no",
    options: running.options,
  };
}
