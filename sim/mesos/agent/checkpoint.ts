// The agent's checkpoint under --work_dir, at the paths src/slave/paths.cpp lays out: meta/slaves/latest, the agent's
// info, each framework's info and each executor run's task info and last update; and the sandboxes.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { atLeast } from "../../catalogue/versions";
import type { FrameworkInfo } from "../messages";
import type { AgentNode } from "./state";

export function metaDir(node: AgentNode): string {
  return `${node.state.workDir}/meta`;
}

/** A path inside the agent's container as a path of this machine. */
export function real(node: AgentNode, path: string): string {
  return node.ctx.resolvePath(path);
}

export function writeJson(node: AgentNode, path: string, data: unknown): void {
  mkdirSync(dirname(real(node, path)), { recursive: true });
  writeFileSync(real(node, path), JSON.stringify(data));
}

export function readJson<T>(node: AgentNode, path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(real(node, path), "utf8")) as T;
  } catch {
    return undefined;
  }
}

export function frameworkMeta(node: AgentNode, fid: string): string {
  return `${metaDir(node)}/slaves/${node.state.id}/frameworks/${fid}`;
}

export function runMeta(node: AgentNode, fid: string, eid: string, cid: string): string {
  return `${frameworkMeta(node, fid)}/executors/${eid}/runs/${cid}`;
}

export function sandboxOf(node: AgentNode, fid: string, eid: string, cid: string): string {
  return `${node.state.workDir}/slaves/${node.state.id}/frameworks/${fid}/executors/${eid}/runs/${cid}`;
}

export function checkpointFramework(node: AgentNode, framework: FrameworkInfo & { id: string }): void {
  // Mesos 0.22 and earlier did not write the FrameworkID into the checkpointed FrameworkInfo (MESOS-3834).
  const written = atLeast(node.version, "0.23.0") ? framework : { ...framework, id: undefined };
  writeJson(node, `${frameworkMeta(node, framework.id)}/framework.info`, written);
}
