// The messages simulated Mesos processes exchange (JSON stand-ins for the libprocess protobuf messages).

/** Scalar and range resources of an agent or a task. */
export interface Resources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  /** "[31000-32000]" */
  readonly ports: string;
}

/** What an agent reports about itself (SlaveInfo). */
export interface SlaveInfo {
  readonly hostname: string;
  readonly ip: string;
  readonly port: number;
  readonly resources: Resources;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A task as the framework asks for it (TaskInfo). */
export interface TaskInfo {
  readonly task_id: string;
  readonly name: string;
  readonly framework_id: string;
  readonly slave_id: string;
  readonly resources: Resources;
  readonly container: {
    readonly type: "DOCKER";
    readonly docker: { readonly image: string; readonly network: string; readonly privileged?: boolean };
  };
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Host ports the framework assigned from the offer. */
  readonly ports: readonly number[];
}

/** Mesos task states. */
export type TaskState =
  | "TASK_STAGING"
  | "TASK_STARTING"
  | "TASK_RUNNING"
  | "TASK_FINISHED"
  | "TASK_FAILED"
  | "TASK_KILLED"
  | "TASK_LOST"
  | "TASK_ERROR"
  | "TASK_KILLING";

/** Terminal states. */
export const TERMINAL: ReadonlySet<string> = new Set([
  "TASK_FINISHED",
  "TASK_FAILED",
  "TASK_KILLED",
  "TASK_LOST",
  "TASK_ERROR",
]);

/** A status update (StatusUpdateMessage). */
export interface StatusUpdate {
  readonly task_id: string;
  readonly framework_id: string;
  readonly slave_id: string;
  readonly state: TaskState;
  readonly reason?: string;
  readonly message?: string;
  readonly timestamp: number;
}

/** A task an agent reports when it re-registers. */
export interface ReportedTask {
  readonly task: TaskInfo;
  readonly state: TaskState;
  readonly container_name: string;
}

/** What a framework registers with (FrameworkInfo). */
export interface FrameworkInfo {
  readonly id?: string;
  readonly name: string;
  readonly user: string;
  readonly hostname: string;
  readonly checkpoint: boolean;
  readonly failover_timeout: number;
  readonly role: string;
  readonly webui_url?: string;
}

/** Parses "cpus:4;mem:8192;disk:50000;ports:[31000-32000]" (roles "cpus(*):4" allowed) onto defaults. */
export function parseResources(text: string | undefined, defaults: Resources): Resources {
  if (!text) return defaults;
  const result: Record<string, number | string> = { ...defaults };
  for (const part of text.split(";")) {
    const [rawName, value] = part.split(":");
    const name = (rawName ?? "").replace(/\(.*\)$/, "").trim();
    if (name === "ports") result.ports = (value ?? "").trim();
    else if (name && value !== undefined && Number.isFinite(Number(value))) result[name] = Number(value);
  }
  return result as unknown as Resources;
}

/** Parses "rack:r1;zone:a". */
export function parseAttributes(text: string | undefined): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(
    text
      .split(";")
      .filter((p) => p.includes(":"))
      .map((p) => [p.slice(0, p.indexOf(":")), p.slice(p.indexOf(":") + 1)]),
  );
}
