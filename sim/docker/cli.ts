// The simulated `docker` command: the client of the installed docker-engine package talking to the daemon's socket,
// with that release's output formats, error texts and exit codes.
import type { Agent } from "node:http";
import { dockerRelease, dockerTraits } from "../catalogue/docker";
import { parseImageRef } from "../catalogue/images";
import { atLeast } from "../catalogue/versions";
import { keptAliveConnections, request, type HttpResult } from "../http";
import {
  flagBool,
  flagList,
  flagValue,
  parseFlags,
  RUN_FLAGS,
  UnknownFlagError,
  type FlagDef,
  type ParsedFlags,
} from "./cli-flags";
import { parseEnvFile } from "./env-file";
import { runOptionFields } from "./run-options";
import { humanDuration } from "./shapes";
import { checkTemplate, executeTemplate, TemplateError } from "./template";

/** What the CLI runs with. */
export interface CliContext {
  /** Arguments after "docker". */
  readonly argv: readonly string[];
  /** How the CLI was invoked ("docker", "/usr/bin/docker"), used in "See 'docker run --help'.". */
  readonly argv0: string;
  /** Version of the installed client (the docker-engine package). */
  readonly clientVersion: string;
  /** The daemon socket (from -H / DOCKER_HOST / the default). */
  readonly socketPath: string;
  out(text: string): void;
  err(text: string): void;
  /** Reads a file the client names, from the client's working directory and filesystem (`--env-file`). */
  readFile(path: string): string;
  /** Where a socket path the client names (`-H unix://…`) is found from this process. */
  clientSocket(path: string): string;
  /** The client's environment (a bare `VAR` line of an `--env-file`). */
  env(name: string): string | undefined;
  /** Aborted when the client goes away: its requests to the daemon are cut, as a killed client's would be. */
  readonly signal?: AbortSignal;
}

/** The CLI exits with this (the message is already printed). */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

interface Session {
  readonly ctx: CliContext;
  readonly version: string;
  readonly api: string;
  /**
   * The client's connections to the daemon: one kept open for all its requests, as Go's HTTP client does within one
   * `docker` process (an inspect of many names is one connection), closed when the command ends.
   */
  readonly connections: Agent;
}

function daemonError(result: HttpResult): string {
  const message = (result.json as { message?: string } | undefined)?.message ?? result.text.trim();
  return `Error response from daemon: ${message}`;
}

async function call(session: Session, method: string, path: string, body?: unknown): Promise<HttpResult> {
  try {
    return await request({ socketPath: session.ctx.socketPath }, `/v${session.api}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
      timeoutMs: 600_000,
      agent: session.connections,
      ...(session.ctx.signal ? { signal: session.ctx.signal } : {}),
      headers: {
        "user-agent": `Docker-Client/${dockerRelease(session.version)?.displayVersion ?? session.version} (linux)`,
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ECONNREFUSED" || code === "ENOENT" || code === "ECONNRESET") {
      session.ctx.err(`${dockerTraits(session.version).cannotConnect}\n`);
      throw new Exit(1);
    }
    throw error;
  }
}

/** Calls the daemon and fails like the CLI on an error status (message on stderr, exit 1). */
async function callOk(session: Session, method: string, path: string, body?: unknown): Promise<HttpResult> {
  const result = await call(session, method, path, body);
  if (result.status >= 400) {
    session.ctx.err(`${daemonError(result)}\n`);
    throw new Exit(1);
  }
  return result;
}

function subcommandFlags(
  session: Session,
  name: string,
  argv: readonly string[],
  defs: readonly FlagDef[],
  interspersed = true,
): ParsedFlags {
  try {
    return parseFlags(argv, [...defs, { names: ["--help"], kind: "bool" }], session.version, interspersed);
  } catch (error) {
    if (!(error instanceof UnknownFlagError)) throw error;
    session.ctx.err(`${error.message}\nSee '${session.ctx.argv0} ${name} --help'.\n`);
    throw new Exit(atLeast(session.version, "1.10.0") ? 125 : 2);
  }
}

function requireArgs(session: Session, name: string, flags: ParsedFlags, min: number, usage: string): void {
  if (flags.args.length >= min) return;
  if (atLeast(session.version, "1.10.0")) {
    session.ctx.err(
      `docker: "${name}" requires a minimum of ${min} argument${min > 1 ? "s" : ""}.\nSee '${session.ctx.argv0} ${name} --help'.\n\nUsage:\t${usage}\n`,
    );
  } else {
    session.ctx.err(
      `docker: "${name}" requires a minimum of ${min} argument${min > 1 ? "s" : ""}. See '${session.ctx.argv0} ${name} --help'.\n`,
    );
  }
  throw new Exit(1);
}

/** Go's tabwriter as the CLI configures it (minwidth 20, padding 3): every column but the last is padded. */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 20, cell.length + 3)));
  }
  return (
    rows
      .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] as number) : cell)).join(""))
      .join("\n") + "\n"
  );
}

function humanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000;
    i++;
  }
  return `${Number(size.toPrecision(4))} ${units[i]}`;
}

function templateOrExit(session: Session, template: string): void {
  try {
    checkTemplate(template);
  } catch (error) {
    session.ctx.err(`Template parsing error: ${(error as Error).message}\n`);
    throw new Exit(64);
  }
}

function render(session: Session, template: string, data: unknown, typeName: string): string {
  try {
    return executeTemplate(template, data, typeName);
  } catch (error) {
    if (error instanceof TemplateError) {
      session.ctx.err(`${error.message}\n`);
      throw new Exit(1);
    }
    throw error;
  }
}

// ---- version / info ------------------------------------------------------------------------------------------

/**
 * The default `docker version` template of the Docker CE CLIs (docker/cli cli/command/system/version.go): 17.03–18.03
 * add the server's minimum API and Experimental; 18.06 groups the server under "Engine:" with wider columns.
 */
function ceVersionTemplate(version: string): string | undefined {
  if (atLeast(version, "18.6.0")) {
    return "Client:\n Version:           {{.Client.Version}}\n API version:       {{.Client.APIVersion}}\n Go version:        {{.Client.GoVersion}}\n Git commit:        {{.Client.GitCommit}}\n Built:             {{.Client.BuildTime}}\n OS/Arch:           {{.Client.Os}}/{{.Client.Arch}}\n Experimental:      {{.Client.Experimental}}{{if .ServerOK}}\n\nServer:\n Engine:\n  Version:          {{.Server.Version}}\n  API version:      {{.Server.APIVersion}} (minimum version {{.Server.MinAPIVersion}})\n  Go version:       {{.Server.GoVersion}}\n  Git commit:       {{.Server.GitCommit}}\n  Built:            {{.Server.BuildTime}}\n  OS/Arch:          {{.Server.Os}}/{{.Server.Arch}}\n  Experimental:     {{.Server.Experimental}}{{end}}";
  }
  if (atLeast(version, "17.3.0")) {
    return "Client:\n Version:      {{.Client.Version}}\n API version:  {{.Client.APIVersion}}\n Go version:   {{.Client.GoVersion}}\n Git commit:   {{.Client.GitCommit}}\n Built:        {{.Client.BuildTime}}\n OS/Arch:      {{.Client.Os}}/{{.Client.Arch}}{{if .ServerOK}}\n\nServer:\n Version:      {{.Server.Version}}\n API version:  {{.Server.APIVersion}} (minimum version {{.Server.MinAPIVersion}})\n Go version:   {{.Server.GoVersion}}\n Git commit:   {{.Server.GitCommit}}\n Built:        {{.Server.BuildTime}}\n OS/Arch:      {{.Server.Os}}/{{.Server.Arch}}\n Experimental: {{.Server.Experimental}}{{end}}";
  }
  return undefined;
}

async function cmdVersion(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(
    session,
    "version",
    argv,
    atLeast(session.version, "1.8.0") ? [{ names: ["-f", "--format"], kind: "value" }] : [],
  );
  const release = dockerRelease(session.version);
  const client = {
    Version: release?.displayVersion ?? session.version,
    ApiVersion: release?.apiVersion ?? "1.19",
    APIVersion: release?.apiVersion ?? "1.19",
    GoVersion: release?.goVersion ?? "go1.4.2",
    GitCommit: release?.gitCommit ?? "",
    BuildTime: release ? new Date(release.buildTime).toUTCString() : "",
    Os: "linux",
    Arch: "amd64",
    Experimental: false,
  };
  if (!dockerTraits(session.version).groupedVersionOutput) {
    session.ctx.out(
      `Client version: ${client.Version}\nClient API version: ${client.ApiVersion}\nGo version (client): ${client.GoVersion}\nGit commit (client): ${client.GitCommit}\nOS/Arch (client): linux/amd64\n`,
    );
    const server = (await callOk(session, "GET", "/version")).json as Record<string, string>;
    session.ctx.out(
      `Server version: ${server.Version}\nServer API version: ${server.ApiVersion}\nGo version (server): ${server.GoVersion}\nGit commit (server): ${server.GitCommit}\nOS/Arch (server): ${server.Os}/${server.Arch}\n`,
    );
    return;
  }
  const field = dockerTraits(session.version).apiVersionField;
  const template =
    flagValue(flags, "-f") ??
    ceVersionTemplate(session.version) ??
    `Client:\n Version:      {{.Client.Version}}\n API version:  {{.Client.${field}}}\n Go version:   {{.Client.GoVersion}}\n Git commit:   {{.Client.GitCommit}}\n Built:        {{.Client.BuildTime}}\n OS/Arch:      {{.Client.Os}}/{{.Client.Arch}}{{if .ServerOK}}\n\nServer:\n Version:      {{.Server.Version}}\n API version:  {{.Server.${field}}}\n Go version:   {{.Server.GoVersion}}\n Git commit:   {{.Server.GitCommit}}\n Built:        {{.Server.BuildTime}}\n OS/Arch:      {{.Server.Os}}/{{.Server.Arch}}{{end}}`;
  templateOrExit(session, template);
  const data: Record<string, unknown> = { Client: client, ServerOK: false, Server: null };
  let failure: Exit | undefined;
  try {
    const server = (await callOk(session, "GET", "/version")).json as Record<string, unknown>;
    data.Server = { ...server, APIVersion: server.ApiVersion, Experimental: false };
    data.ServerOK = true;
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    failure = error;
  }
  // The CLI prints the template even when the daemon is down (its deferred Execute), then fails.
  const text =
    data.ServerOK || !/\.Server\./.test(template) ? render(session, template, data, "client.VersionData") : "";
  session.ctx.out(`${text}\n`);
  if (failure) throw failure;
}

async function cmdInfo(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(
    session,
    "info",
    argv,
    atLeast(session.version, "1.13.0") ? [{ names: ["-f", "--format"], kind: "value" }] : [],
  );
  const info = (await callOk(session, "GET", "/info")).json as Record<string, unknown>;
  const format = flagValue(flags, "-f");
  if (format) {
    templateOrExit(session, format);
    session.ctx.out(`${render(session, format, info, "types.Info")}\n`);
    return;
  }
  const lines: string[] = [`Containers: ${info.Containers}`];
  if ("ContainersRunning" in info) {
    lines.push(
      ` Running: ${info.ContainersRunning}`,
      ` Paused: ${info.ContainersPaused}`,
      ` Stopped: ${info.ContainersStopped}`,
    );
  }
  lines.push(`Images: ${info.Images}`);
  if (atLeast(session.version, "1.9.0")) lines.push(`Server Version: ${info.ServerVersion}`);
  lines.push(`Storage Driver: ${info.Driver}`);
  for (const [k, v] of (info.DriverStatus as string[][]) ?? []) lines.push(` ${k}: ${v}`);
  if (info.ExecutionDriver) lines.push(`Execution Driver: ${info.ExecutionDriver}`);
  lines.push(`Logging Driver: ${info.LoggingDriver}`);
  lines.push(`Kernel Version: ${info.KernelVersion}`, `Operating System: ${info.OperatingSystem}`);
  lines.push(
    `CPUs: ${info.NCPU}`,
    `Total Memory: ${(Number(info.MemTotal) / 2 ** 30).toFixed(3)} GiB`,
    `Name: ${info.Name}`,
    `ID: ${info.ID}`,
  );
  if (atLeast(session.version, "1.10.0")) {
    lines.push(
      `Docker Root Dir: ${info.DockerRootDir}`,
      `Debug mode (client): false`,
      `Debug mode (server): ${info.Debug}`,
    );
  }
  const labels = (info.Labels as string[]) ?? [];
  if (labels.length) lines.push("Labels:", ...labels.map((x) => ` ${x}`));
  const registry = info.RegistryConfig as {
    Mirrors: string[];
    InsecureRegistryCIDRs: string[];
    IndexConfigs: Record<string, { Secure: boolean }>;
  };
  if (atLeast(session.version, "1.9.0")) {
    const insecure = [
      ...Object.entries(registry.IndexConfigs)
        .filter(([, c]) => !c.Secure)
        .map(([n]) => n),
      ...registry.InsecureRegistryCIDRs,
    ];
    if (registry.Mirrors.length) lines.push("Registry Mirrors:", ...registry.Mirrors.map((m) => ` ${m}`));
    lines.push("Insecure Registries:", ...insecure.map((r) => ` ${r}`));
  }
  if ("LiveRestoreEnabled" in info) lines.push(`Live Restore Enabled: ${info.LiveRestoreEnabled}`);
  session.ctx.out(`${lines.join("\n")}\n`);
  session.ctx.err("WARNING: No swap limit support\n");
}

// ---- images ----------------------------------------------------------------------------------------------------

async function pullImage(
  session: Session,
  reference: string,
  out: (text: string) => void,
): Promise<string | undefined> {
  const ref = parseImageRef(reference);
  const result = await call(
    session,
    "POST",
    `/images/create?fromImage=${encodeURIComponent(ref.repository)}&tag=${encodeURIComponent(ref.tag)}`,
  );
  if (result.status >= 400) return daemonError(result);
  for (const line of result.text.split("\n").filter((l) => l !== "")) {
    const message = JSON.parse(line) as { status?: string; error?: string };
    if (message.error) return message.error;
    if (message.status) out(`${message.status}\n`);
  }
  return undefined;
}

async function cmdPull(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(session, "pull", argv, [
    { names: ["-a", "--all-tags"], kind: "bool" },
    { names: ["--disable-content-trust"], kind: "bool", since: "1.8.0" },
  ]);
  requireArgs(session, "pull", flags, 1, "docker pull [OPTIONS] NAME[:TAG|@DIGEST]");
  const error = await pullImage(session, flags.args[0] as string, session.ctx.out);
  if (error) {
    session.ctx.err(`${error}\n`);
    throw new Exit(1);
  }
}

async function cmdImages(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(session, "images", argv, [
    { names: ["-q", "--quiet"], kind: "bool" },
    { names: ["-a", "--all"], kind: "bool" },
    { names: ["--no-trunc"], kind: "bool" },
    { names: ["--digests"], kind: "bool" },
    { names: ["-f", "--filter"], kind: "list" },
    { names: ["--format"], kind: "value", since: "1.8.0" },
  ]);
  const images = (await callOk(session, "GET", "/images/json")).json as Array<{
    Id: string;
    RepoTags: string[];
    Created: number;
    VirtualSize: number;
  }>;
  const repoFilter = flags.args[0];
  const rows: string[][] = [
    ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", atLeast(session.version, "1.10.0") ? "SIZE" : "VIRTUAL SIZE"],
  ];
  const ids: string[] = [];
  for (const image of images) {
    const short = image.Id.replace(/^sha256:/, "").slice(0, 12);
    for (const repoTag of image.RepoTags) {
      const ref = parseImageRef(repoTag);
      if (repoFilter && ref.repository !== parseImageRef(repoFilter).repository) continue;
      if (repoFilter && repoFilter.includes(":") && ref.tag !== parseImageRef(repoFilter).tag) continue;
      ids.push(flagBool(flags, "--no-trunc") ? image.Id : short);
      rows.push([
        ref.repository,
        ref.tag,
        flagBool(flags, "--no-trunc") ? image.Id : short,
        `${humanDuration(Date.now() / 1000 - image.Created)} ago`,
        humanSize(image.VirtualSize),
      ]);
    }
  }
  if (flagBool(flags, "-q")) session.ctx.out(ids.map((i) => `${i}\n`).join(""));
  else session.ctx.out(table(rows));
}

async function cmdRmi(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(session, "rmi", argv, [
    { names: ["-f", "--force"], kind: "bool" },
    { names: ["--no-prune"], kind: "bool" },
  ]);
  requireArgs(session, "rmi", flags, 1, "docker rmi [OPTIONS] IMAGE [IMAGE...]");
  session.ctx.err("Error response from daemon: image removal is not simulated\n");
  throw new Exit(1);
}

// ---- containers ------------------------------------------------------------------------------------------------

function parseRestart(session: Session, text: string | undefined): { Name: string; MaximumRetryCount: number } {
  if (text === undefined || text === "" || text === "no") {
    return { Name: text === "no" ? "no" : "", MaximumRetryCount: 0 };
  }
  const [name, count] = text.split(":");
  const allowed = ["always", "on-failure", ...(dockerTraits(session.version).unlessStopped ? ["unless-stopped"] : [])];
  if (!allowed.includes(name as string) || (count !== undefined && (name !== "on-failure" || !/^\d+$/.test(count)))) {
    const message =
      count !== undefined && name !== "on-failure"
        ? `maximum restart count not valid with restart policy of '${name}'`
        : `invalid restart policy ${name}`;
    throw Object.assign(new Error(message), { runUsage: true });
  }
  return { Name: name as string, MaximumRetryCount: count ? Number(count) : 0 };
}

function runFailure(session: Session, message: string, code = 125): never {
  if (atLeast(session.version, "1.10.0")) {
    session.ctx.err(`docker: ${message}.\nSee '${session.ctx.argv0} run --help'.\n`);
    throw new Exit(code);
  }
  session.ctx.err(`${message}\n`);
  throw new Exit(1);
}

function validateBinds(session: Session, binds: readonly string[]): void {
  for (const bind of binds) {
    const parts = bind.split(":");
    if (parts.length < 2 || parts.length > 3 || !(parts[1] as string).startsWith("/")) {
      runFailure(session, `Error response from daemon: Invalid volume spec "${bind}"`);
    }
    if (parts[2] !== undefined && !/^(ro|rw|z|Z|ro,z|rw,z|ro,Z|rw,Z)$/.test(parts[2])) {
      runFailure(session, `Error response from daemon: Invalid volume spec "${bind}"`);
    }
  }
}

/** The entries of each `--env-file`, read by the client from its own filesystem (sim/docker/env-file.ts). */
function envFromFiles(session: Session, files: readonly string[]): string[] {
  return files.flatMap((file) => {
    try {
      return parseEnvFile(session.ctx.readFile(file), (name) => session.ctx.env(name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Go's os.Open error text: "open <path>: no such file or directory" / "permission denied".
      const message =
        code === "ENOENT"
          ? `open ${file}: no such file or directory`
          : code === "EACCES"
            ? `open ${file}: permission denied`
            : code === "EISDIR"
              ? `read ${file}: is a directory`
              : (error as Error).message;
      return runFailure(session, message);
    }
  });
}

async function cmdRun(session: Session, argv: readonly string[], createOnly = false): Promise<void> {
  const name = createOnly ? "create" : "run";
  const flags = subcommandFlags(session, name, argv, RUN_FLAGS, false);
  requireArgs(session, name, flags, 1, `docker ${name} [OPTIONS] IMAGE [COMMAND] [ARG...]`);
  const [image, ...cmd] = flags.args as [string, ...string[]];
  let restart: { Name: string; MaximumRetryCount: number };
  try {
    restart = parseRestart(session, flagValue(flags, "--restart"));
  } catch (error) {
    runFailure(session, (error as Error).message);
  }
  if (flagBool(flags, "--rm") && restart.Name !== "" && restart.Name !== "no") {
    runFailure(session, "Conflicting options: --restart and --rm", 125);
  }
  const binds = flagList(flags, "-v");
  validateBinds(session, binds);
  const env = [...envFromFiles(session, flagList(flags, "--env-file")), ...flagList(flags, "-e")];
  const labels = Object.fromEntries(
    flagList(flags, "-l").map((kv) => [kv.split("=")[0], kv.includes("=") ? kv.slice(kv.indexOf("=") + 1) : ""]),
  );
  const logOpts = Object.fromEntries(
    flagList(flags, "--log-opt").map((kv) => [kv.split("=")[0], kv.slice(kv.indexOf("=") + 1)]),
  );
  const entrypoint = flagValue(flags, "--entrypoint");
  // runconfig ValidateNetMode (docker 1.7–1.12): the host's network means the host's name; -h is refused.
  const network = flagValue(flags, "--network") ?? flagValue(flags, "--net");
  if (network === "host" && flagValue(flags, "-h") !== undefined && !atLeast(session.version, "1.13.0")) {
    runFailure(
      session,
      atLeast(session.version, "1.12.0")
        ? "conflicting options: hostname and the network mode"
        : "Conflicting options: -h and the network mode (--net)",
    );
  }
  let options: ReturnType<typeof runOptionFields>;
  try {
    options = runOptionFields(flags, session.version);
  } catch (error) {
    runFailure(session, (error as Error).message);
  }
  const body = {
    ...options.config,
    Image: image,
    Cmd: cmd,
    ...(entrypoint !== undefined ? { Entrypoint: [entrypoint] } : {}),
    Env: env,
    Labels: labels,
    ...(flagValue(flags, "-h") ? { Hostname: flagValue(flags, "-h") } : {}),
    HostConfig: {
      ...options.hostConfig,
      Binds: binds,
      NetworkMode: flagValue(flags, "--network") ?? flagValue(flags, "--net") ?? "default",
      Privileged: flagBool(flags, "--privileged"),
      RestartPolicy: restart,
      ...(flagValue(flags, "--log-driver")
        ? { LogConfig: { Type: flagValue(flags, "--log-driver"), Config: logOpts } }
        : {}),
      ...(flagValue(flags, "--pid") ? { PidMode: flagValue(flags, "--pid") } : {}),
    },
  };
  const nameParam =
    flagValue(flags, "--name") !== undefined ? `?name=${encodeURIComponent(flagValue(flags, "--name") as string)}` : "";
  let created = await call(session, "POST", `/containers/create${nameParam}`, body);
  if (created.status === 404 && /No such image/.test(created.text)) {
    const ref = parseImageRef(image);
    session.ctx.err(`Unable to find image '${ref.repository}:${ref.tag}' locally\n`);
    const error = await pullImage(session, image, session.ctx.err);
    if (error) {
      if (atLeast(session.version, "1.10.0")) runFailure(session, error);
      session.ctx.err(`${error}\n`);
      throw new Exit(1);
    }
    created = await call(session, "POST", `/containers/create${nameParam}`, body);
  }
  if (created.status >= 400) runFailure(session, daemonError(created));
  const id = (created.json as { Id: string }).Id;
  if (createOnly) {
    session.ctx.out(`${id}\n`);
    return;
  }
  const started = await call(session, "POST", `/containers/${id}/start`);
  if (started.status >= 400) runFailure(session, daemonError(started), 125);
  if (flagBool(flags, "-d")) {
    session.ctx.out(`${id}\n`);
    return;
  }
  const code = ((await callOk(session, "POST", `/containers/${id}/wait`)).json as { StatusCode: number }).StatusCode;
  const logs = await call(session, "GET", `/containers/${id}/logs?stdout=1&stderr=1`);
  for (const line of (logs.json as Array<{ stream: string; log: string }> | undefined) ?? []) {
    if (line.stream === "stderr") session.ctx.err(line.log);
    else session.ctx.out(line.log);
  }
  if (flagBool(flags, "--rm")) await call(session, "DELETE", `/containers/${id}?force=1`);
  if (code !== 0) throw new Exit(code);
}

async function eachContainer(
  session: Session,
  name: string,
  argv: readonly string[],
  defs: readonly FlagDef[],
  action: (flags: ParsedFlags, id: string) => Promise<HttpResult>,
): Promise<void> {
  const flags = subcommandFlags(session, name, argv, defs);
  requireArgs(session, name, flags, 1, `docker ${name} [OPTIONS] CONTAINER [CONTAINER...]`);
  const failed: string[] = [];
  for (const id of flags.args) {
    const result = await action(flags, id);
    if (result.status >= 400) {
      session.ctx.err(`${daemonError(result)}\n`);
      failed.push(id);
    } else {
      session.ctx.out(`${id}\n`);
    }
  }
  if (failed.length) {
    const verb = { stop: "stop", start: "start", restart: "restart", kill: "kill", rm: "remove" }[name] ?? name;
    session.ctx.err(`Error: failed to ${verb} containers: [${failed.join(" ")}]\n`);
    throw new Exit(1);
  }
}

async function cmdPs(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(session, "ps", argv, [
    { names: ["-a", "--all"], kind: "bool" },
    { names: ["-q", "--quiet"], kind: "bool" },
    { names: ["--no-trunc"], kind: "bool" },
    { names: ["-s", "--size"], kind: "bool" },
    { names: ["-l", "--latest"], kind: "bool" },
    { names: ["-n"], kind: "value" },
    { names: ["-f", "--filter"], kind: "list" },
    { names: ["--format"], kind: "value", since: "1.8.0" },
  ]);
  let list = (await callOk(session, "GET", `/containers/json${flagBool(flags, "-a") ? "?all=1" : ""}`)).json as Array<
    Record<string, unknown>
  >;
  for (const filter of flagList(flags, "-f")) {
    const [key, value = ""] = [filter.slice(0, filter.indexOf("=")), filter.slice(filter.indexOf("=") + 1)];
    list = list.filter((c) => {
      if (key === "name") return (c.Names as string[]).some((n) => n.replace(/^\//, "").includes(value));
      if (key === "status") {
        return (c.Status as string).toLowerCase().startsWith(value === "running" ? "up" : value) || c.State === value;
      }
      if (key === "label") {
        const [lk, lv] = value.split("=");
        const labels = (c.Labels as Record<string, string>) ?? {};
        return lk !== undefined && lk in labels && (lv === undefined || labels[lk] === lv);
      }
      if (key === "id") return (c.Id as string).startsWith(value);
      if (key === "ancestor") return c.Image === value || (c.Image as string).startsWith(`${value}:`);
      return true;
    });
  }
  if (flagBool(flags, "-l")) list = list.slice(0, 1);
  const noTrunc = flagBool(flags, "--no-trunc");
  const view = list.map((c) => {
    const command = JSON.stringify(c.Command as string);
    const cut = noTrunc
      ? command
      : atLeast(session.version, "1.9.0") && command.length > 20
        ? `${command.slice(0, 19)}…`
        : command.slice(0, 20);
    return {
      ID: noTrunc ? (c.Id as string) : (c.Id as string).slice(0, 12),
      Image: c.Image as string,
      Command: cut,
      CreatedAt: new Date((c.Created as number) * 1000).toString(),
      RunningFor: humanDuration(Date.now() / 1000 - (c.Created as number)),
      Ports: "",
      Status: c.Status as string,
      Size: "0 B",
      Names: (c.Names as string[]).map((n) => n.replace(/^\//, "")).join(","),
      Labels: Object.entries((c.Labels as Record<string, string>) ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    };
  });
  if (flagBool(flags, "-q")) {
    session.ctx.out(view.map((v) => `${v.ID}\n`).join(""));
    return;
  }
  const format = flagValue(flags, "--format");
  if (format) {
    templateOrExit(session, format);
    session.ctx.out(view.map((v) => `${render(session, format, v, "*ps.containerContext")}\n`).join(""));
    return;
  }
  const rows = [
    ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"],
    ...view.map((v) => [v.ID, v.Image, v.Command, `${v.RunningFor} ago`, v.Status, v.Ports, v.Names]),
  ];
  session.ctx.out(table(rows));
}

async function cmdInspect(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(session, "inspect", argv, [
    { names: ["-f", "--format"], kind: "value" },
    { names: ["--type"], kind: "value", since: "1.8.0" },
    { names: ["-s", "--size"], kind: "bool", since: "1.8.0" },
  ]);
  requireArgs(session, "inspect", flags, 1, "docker inspect [OPTIONS] CONTAINER|IMAGE [CONTAINER|IMAGE...]");
  const format = flagValue(flags, "-f");
  if (format) templateOrExit(session, format);
  const type = flagValue(flags, "--type");
  const found: unknown[] = [];
  let missing = false;
  for (const name of flags.args) {
    let result =
      type === "image" ? undefined : await call(session, "GET", `/containers/${encodeURIComponent(name)}/json`);
    let typeName = "*types.ContainerJSON";
    if (!result || result.status === 404) {
      result = type === "container" ? result : await call(session, "GET", `/images/${name}/json`);
      typeName = "*types.ImageInspect";
    }
    if (!result || result.status >= 400) {
      missing = true;
      const what = type ?? (atLeast(session.version, "1.12.0") ? "object" : "image or container");
      session.ctx.err(`Error: No such ${what}: ${name}\n`);
      continue;
    }
    if (format) session.ctx.out(`${render(session, format, result.json, typeName)}\n`);
    else found.push(result.json);
  }
  if (!format) session.ctx.out(`${JSON.stringify(found, null, 4)}\n`);
  if (missing) throw new Exit(1);
}

async function cmdLogs(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(session, "logs", argv, [
    { names: ["-f", "--follow"], kind: "bool" },
    { names: ["-t", "--timestamps"], kind: "bool" },
    { names: ["--tail"], kind: "value" },
    { names: ["--since"], kind: "value" },
  ]);
  requireArgs(session, "logs", flags, 1, "docker logs [OPTIONS] CONTAINER");
  const id = flags.args[0] as string;
  if (flagBool(flags, "-f")) await callOk(session, "POST", `/containers/${encodeURIComponent(id)}/wait`);
  const tail = flagValue(flags, "--tail");
  const result = await callOk(
    session,
    "GET",
    `/containers/${encodeURIComponent(id)}/logs?stdout=1&stderr=1${tail ? `&tail=${tail}` : ""}`,
  );
  for (const line of result.json as Array<{ stream: string; log: string }>) {
    if (line.stream === "stderr") session.ctx.err(line.log);
    else session.ctx.out(line.log);
  }
}

async function cmdWait(session: Session, argv: readonly string[]): Promise<void> {
  const flags = subcommandFlags(session, "wait", argv, []);
  requireArgs(session, "wait", flags, 1, "docker wait CONTAINER [CONTAINER...]");
  for (const id of flags.args) {
    const result = await callOk(session, "POST", `/containers/${encodeURIComponent(id)}/wait`);
    session.ctx.out(`${(result.json as { StatusCode: number }).StatusCode}\n`);
  }
}

// ---- dispatch --------------------------------------------------------------------------------------------------

const GLOBAL_FLAGS: readonly FlagDef[] = [
  { names: ["-H", "--host"], kind: "list" },
  { names: ["-D", "--debug"], kind: "bool" },
  { names: ["-l", "--log-level"], kind: "value" },
  { names: ["--tls"], kind: "bool" },
  { names: ["--tlsverify"], kind: "bool" },
  { names: ["--tlscacert"], kind: "value" },
  { names: ["--tlscert"], kind: "value" },
  { names: ["--tlskey"], kind: "value" },
  { names: ["--config"], kind: "value", since: "1.8.0" },
  { names: ["-v", "--version"], kind: "bool" },
  { names: ["-h", "--help"], kind: "bool" },
];

const COMMANDS = [
  "attach",
  "build",
  "commit",
  "cp",
  "create",
  "diff",
  "events",
  "exec",
  "export",
  "history",
  "images",
  "import",
  "info",
  "inspect",
  "kill",
  "load",
  "login",
  "logout",
  "logs",
  "pause",
  "port",
  "ps",
  "pull",
  "push",
  "rename",
  "restart",
  "rm",
  "rmi",
  "run",
  "save",
  "search",
  "start",
  "stats",
  "stop",
  "tag",
  "top",
  "unpause",
  "version",
  "wait",
];

/** Runs the CLI; resolves with the exit code. */
export async function runDockerCli(ctx: CliContext): Promise<number> {
  let global: ParsedFlags;
  try {
    global = parseFlags(ctx.argv, GLOBAL_FLAGS, ctx.clientVersion, false);
  } catch (error) {
    ctx.err(`${(error as Error).message}\nSee '${ctx.argv0} --help'.\n`);
    return atLeast(ctx.clientVersion, "1.10.0") ? 125 : 2;
  }
  const host = flagList(global, "-H").at(-1);
  const socketPath = host?.startsWith("unix://") ? ctx.clientSocket(host.slice("unix://".length)) : ctx.socketPath;
  const session: Session = {
    ctx: { ...ctx, socketPath },
    version: ctx.clientVersion,
    api: dockerRelease(ctx.clientVersion)?.apiVersion ?? "1.19",
    connections: keptAliveConnections(),
  };
  if (flagBool(global, "-v")) {
    ctx.out(
      `Docker version ${dockerRelease(ctx.clientVersion)?.displayVersion ?? ctx.clientVersion}, build ${dockerRelease(ctx.clientVersion)?.gitCommit ?? ""}\n`,
    );
    return 0;
  }
  const [command, ...rest] = global.args;
  try {
    switch (command) {
      case "version":
        await cmdVersion(session, rest);
        break;
      case "info":
        await cmdInfo(session, rest);
        break;
      case "pull":
        await cmdPull(session, rest);
        break;
      case "images":
        await cmdImages(session, rest);
        break;
      case "rmi":
        await cmdRmi(session, rest);
        break;
      case "run":
        await cmdRun(session, rest);
        break;
      case "create":
        await cmdRun(session, rest, true);
        break;
      case "ps":
        await cmdPs(session, rest);
        break;
      case "inspect":
        await cmdInspect(session, rest);
        break;
      case "logs":
        await cmdLogs(session, rest);
        break;
      case "wait":
        await cmdWait(session, rest);
        break;
      case "start":
        await eachContainer(
          session,
          "start",
          rest,
          [
            { names: ["-a", "--attach"], kind: "bool" },
            { names: ["-i", "--interactive"], kind: "bool" },
          ],
          (_f, id) => call(session, "POST", `/containers/${encodeURIComponent(id)}/start`),
        );
        break;
      case "stop":
      case "restart":
        await eachContainer(session, command, rest, [{ names: ["-t", "--time"], kind: "value" }], (f, id) =>
          call(session, "POST", `/containers/${encodeURIComponent(id)}/${command}?t=${flagValue(f, "-t") ?? "10"}`),
        );
        break;
      case "kill":
        await eachContainer(session, "kill", rest, [{ names: ["-s", "--signal"], kind: "value" }], (_f, id) =>
          call(session, "POST", `/containers/${encodeURIComponent(id)}/kill`),
        );
        break;
      case "rm":
        await eachContainer(
          session,
          "rm",
          rest,
          [
            { names: ["-f", "--force"], kind: "bool" },
            { names: ["-v", "--volumes"], kind: "bool" },
            { names: ["-l", "--link"], kind: "bool" },
          ],
          (f, id) =>
            call(session, "DELETE", `/containers/${encodeURIComponent(id)}?force=${flagBool(f, "-f") ? 1 : 0}`),
        );
        break;
      case undefined:
        ctx.out(`Usage: docker [OPTIONS] COMMAND [arg...]\n\nA self-sufficient runtime for containers.\n`);
        return 0;
      default:
        if (COMMANDS.includes(command)) {
          ctx.err(`docker ${command} is not available in the simulated engine\n`);
          return 1;
        }
        ctx.err(`docker: '${command}' is not a docker command.\nSee '${ctx.argv0} --help'.\n`);
        return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    ctx.err(`${(error as Error).message}\n`);
    return 1;
  } finally {
    session.connections.destroy();
  }
}
