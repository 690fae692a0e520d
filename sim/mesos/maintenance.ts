// Mesos maintenance primitives (0.25+) over explicit state: the schedule, each scheduled machine's mode, and the
// four endpoints with the answers and errors of the real master. Pure: the master persists the state it returns in
// its registry (as Mesos' registrar does: registry.proto `machines` and `schedules`), so a restarted or newly
// elected master knows which machines are draining or down.
// Sources: apache/mesos src/master/http.cpp (maintenanceSchedule, maintenanceStatus, machineDown, machineUp),
// src/master/maintenance.cpp (UpdateSchedule/StartMaintenance/StopMaintenance and `validation::`), docs/maintenance.md.
import { compareVersions } from "../catalogue/versions";
import { parseJsonBody, parseMessage, parseMessages, type MessageSchema } from "./stout-json";

/** A MachineID (mesos.proto): at least one of hostname and ip. */
export interface MachineId {
  readonly hostname?: string;
  readonly ip?: string;
}

/** A maintenance window: machines and when they are unavailable (maintenance.proto `Window`). */
export interface MaintenanceWindow {
  readonly machine_ids: readonly MachineId[];
  readonly unavailability: {
    readonly start: { readonly nanoseconds: number };
    readonly duration?: { readonly nanoseconds: number };
  };
}

/** What the registry keeps: the one schedule, and the mode of every scheduled machine (UP machines are not kept). */
export interface MaintenanceState {
  readonly windows: readonly MaintenanceWindow[];
  readonly machines: readonly { readonly id: MachineId; readonly mode: "DRAINING" | "DOWN" }[];
}

export const NO_MAINTENANCE: MaintenanceState = { windows: [], machines: [] };

/** An answer, the state to persist before answering (if it changed), and the machines whose agents must go. */
export interface MaintenanceOutcome {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly next?: MaintenanceState;
  readonly downed?: readonly MachineId[];
}

const MACHINE_ID: MessageSchema = {
  hostname: { type: "string", rule: "optional" },
  ip: { type: "string", rule: "optional" },
};
const TIME: MessageSchema = { nanoseconds: { type: "int64", rule: "required" } };
const SCHEDULE: MessageSchema = {
  windows: {
    type: {
      machine_ids: { type: MACHINE_ID, rule: "repeated" },
      unavailability: {
        type: { start: { type: TIME, rule: "required" }, duration: { type: TIME, rule: "optional" } },
        rule: "required",
      },
    },
    rule: "repeated",
  },
};

/** Machines are the same MachineID when hostname and ip are equal (the master lowercases hostnames it is given). */
export function machineKey(m: MachineId): string {
  return `${(m.hostname ?? "").toLowerCase()}|${m.ip ?? ""}`;
}

/** `stringify(JSON::protobuf(id))`: the fields that are set, in field order. */
function machineJson(m: MachineId): string {
  return JSON.stringify({
    ...(m.hostname !== undefined ? { hostname: m.hostname } : {}),
    ...(m.ip !== undefined ? { ip: m.ip } : {}),
  });
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** validation::machine: one of hostname and ip set; an ip must parse (net::IP::parse, AF_INET). */
function machineError(m: MachineId): string | undefined {
  if (!m.hostname && !m.ip) return "Both 'hostname' and 'ip' for a machine are empty";
  if (m.ip && !IPV4.test(m.ip)) return "Failed to parse the IP";
  return undefined;
}

/**
 * The wrong-method answer of each release: 0.25/0.26 answer 400 "Expecting GET or POST, got 'PUT'"; 0.27/0.28
 * answer 405 with an Allow header and "Expecting 'GET' or 'POST', received 'PUT'"; 1.0 on (libprocess
 * MethodNotAllowed::constructBody) "Expecting one of { 'GET', 'POST' }, but received 'PUT'".
 */
function wrongMethod(version: string, allowed: readonly string[], method: string): MaintenanceOutcome {
  if (compareVersions(version, "0.27.0") < 0) {
    return { status: 400, body: `Expecting ${allowed.join(" or ")}, got '${method}'` };
  }
  const body =
    compareVersions(version, "1.0.0") < 0
      ? `Expecting ${allowed.map((m) => `'${m}'`).join(" or ")}, received '${method}'`
      : `Expecting one of { '${allowed.join("', '")}' }, but received '${method}'`;
  return { status: 405, body, headers: { Allow: allowed.join(", ") } };
}

const badRequest = (message: string): MaintenanceOutcome => ({ status: 400, body: message });

/** GET and POST /master/maintenance/schedule. */
function schedule(state: MaintenanceState, method: string, body: string, version: string): MaintenanceOutcome {
  if (method !== "GET" && method !== "POST") return wrongMethod(version, ["GET", "POST"], method);
  // An empty schedule is `JSON::protobuf(Schedule())`: no "windows" key at all.
  if (method === "GET") return { status: 200, body: state.windows.length ? { windows: state.windows } : {} };
  const json = parseJsonBody(body, "object");
  if (json.error !== undefined) return badRequest(json.error);
  const parsed = parseMessage<{ windows?: MaintenanceWindow[] }>(SCHEDULE, json.value);
  if (parsed.error !== undefined) return badRequest(parsed.error);
  // A window without machine_ids parses (a repeated field may be absent) and fails validation below.
  const windows = (parsed.value.windows ?? []).map((w) => ({ ...w, machine_ids: w.machine_ids ?? [] }));
  // validation::schedule
  const updated = new Map<string, MachineId>();
  for (const window of windows) {
    if (window.machine_ids.length === 0) return badRequest("List of machines in the maintenance window is empty");
    if ((window.unavailability.duration?.nanoseconds ?? 0) < 0) {
      return badRequest("Unavailability 'duration' is negative");
    }
    for (const id of window.machine_ids) {
      const invalid = machineError(id);
      if (invalid) return badRequest(invalid);
      if (updated.has(machineKey(id))) {
        return badRequest(`Machine '${machineJson(id)}' appears more than once in the schedule`);
      }
      updated.set(machineKey(id), id);
    }
  }
  for (const machine of state.machines) {
    if (machine.mode === "DOWN" && !updated.has(machineKey(machine.id))) {
      return badRequest(`Machine '${machineJson(machine.id)}' is deactivated and cannot be removed from the schedule`);
    }
  }
  // UpdateSchedule: machines no longer scheduled go back UP (dropped); new ones start DRAINING; DOWN ones stay DOWN.
  const kept = state.machines.filter((m) => updated.has(machineKey(m.id)));
  const added = [...updated.entries()]
    .filter(([key]) => !kept.some((m) => machineKey(m.id) === key))
    .map(([, id]) => ({ id, mode: "DRAINING" as const }));
  return { status: 200, body: "", next: { windows, machines: [...kept, ...added] } };
}

/** GET /master/maintenance/status: draining and down machines; `{}` when there are none. */
function status(state: MaintenanceState, method: string, version: string): MaintenanceOutcome {
  if (method !== "GET") return wrongMethod(version, ["GET"], method);
  const draining = state.machines.filter((m) => m.mode === "DRAINING").map((m) => ({ id: m.id }));
  const down = state.machines.filter((m) => m.mode === "DOWN").map((m) => m.id);
  return {
    status: 200,
    body: {
      ...(draining.length ? { draining_machines: draining } : {}),
      ...(down.length ? { down_machines: down } : {}),
    },
  };
}

/** POST /master/machine/down and /master/machine/up. */
function transition(
  state: MaintenanceState,
  method: string,
  body: string,
  version: string,
  to: "DOWN" | "UP",
): MaintenanceOutcome {
  if (method !== "POST") return wrongMethod(version, ["POST"], method);
  const json = parseJsonBody(body, "array");
  if (json.error !== undefined) return badRequest(json.error);
  const parsed = parseMessages<MachineId>(MACHINE_ID, json.value);
  if (parsed.error !== undefined) return badRequest(parsed.error);
  const ids = parsed.value;
  // validation::machines
  if (ids.length === 0) return badRequest("List of machines is empty");
  const unique = new Set<string>();
  for (const id of ids) {
    const invalid = machineError(id);
    if (invalid) return badRequest(invalid);
    if (unique.has(machineKey(id))) {
      return badRequest(`Machine '${machineJson(id)}' appears more than once in the schedule`);
    }
    unique.add(machineKey(id));
  }
  const from = to === "DOWN" ? "DRAINING" : "DOWN";
  for (const id of ids) {
    const machine = state.machines.find((m) => machineKey(m.id) === machineKey(id));
    if (!machine) return badRequest(`Machine '${machineJson(id)}' is not part of a maintenance schedule`);
    if (machine.mode !== from) {
      return badRequest(
        `Machine '${machineJson(id)}' is not in ${from} mode and cannot be brought ${to === "DOWN" ? "down" : "up"}`,
      );
    }
  }
  if (to === "DOWN") {
    return {
      status: 200,
      body: "",
      next: {
        ...state,
        machines: state.machines.map((m) => (unique.has(machineKey(m.id)) ? { ...m, mode: "DOWN" as const } : m)),
      },
      downed: ids,
    };
  }
  // StopMaintenance: the machines leave the registry (UP) and every window; windows left empty go.
  const windows = state.windows
    .map((w) => ({ ...w, machine_ids: w.machine_ids.filter((m) => !unique.has(machineKey(m))) }))
    .filter((w) => w.machine_ids.length > 0);
  return {
    status: 200,
    body: "",
    next: { windows, machines: state.machines.filter((m) => !unique.has(machineKey(m.id))) },
  };
}

/** The maintenance endpoints, or undefined for another path. */
export function maintenanceRequest(
  state: MaintenanceState,
  request: { readonly method: string; readonly path: string; readonly body: string },
  version: string,
): MaintenanceOutcome | undefined {
  switch (request.path) {
    case "/master/maintenance/schedule":
      return schedule(state, request.method, request.body, version);
    case "/master/maintenance/status":
      return status(state, request.method, version);
    case "/master/machine/down":
      return transition(state, request.method, request.body, version, "DOWN");
    case "/master/machine/up":
      return transition(state, request.method, request.body, version, "UP");
    default:
      return undefined;
  }
}

/** Whether an agent at this hostname and ip is on a machine that is down. */
export function isDown(state: MaintenanceState, agent: { readonly hostname: string; readonly ip: string }): boolean {
  return state.machines.some((m) => m.mode === "DOWN" && matchesAgent(m.id, agent));
}

/** Whether a MachineID names an agent's machine (the master indexes agents by hostname and ip). */
export function matchesAgent(id: MachineId, agent: { readonly hostname: string; readonly ip: string }): boolean {
  return machineKey(id) === machineKey({ hostname: agent.hostname, ip: agent.ip });
}
