/** The upgrade planner's public API: pure planning over the catalogue, re-exported from one place. */
export type {
  Blocker,
  Component,
  HostComponent,
  HostInput,
  MarathonPolicy,
  Phase,
  Plan,
  PlanInput,
  PlanNote,
  PlanStep,
  Role,
  SettingsChange,
} from "./types";
export { FlagError, PlanInputError, type FlagProblem, type InputProblem } from "./errors";
export { compareVersions, isKnownBad, isKnownRelease, latestPatch, minorOf, releasesOf } from "./versions";
export { findPath } from "./paths";
export { hopRefusal } from "./hop-refusal";
export { explainPath, type HopReason } from "./path-reasons";
export { wholeClusterRestart } from "./whole-cluster";
export { validatePlanInput, COMPONENTS, ROLES, POLICIES } from "./validate";
export { planRun } from "./plan-run";
export { renderPlanTable } from "./render-table";
export { lowestFrom, storageMigrations } from "./notes";
export { invariantViolations } from "./invariants";
export { runsExecutorContainersAfter, taskKillingReason } from "./task-killing";
export {
  minMesosFor,
  marathonLibmesos,
  highestMarathonFor,
  maxMesosFor,
  marathonWindowProblem,
  dockerTooOld,
} from "./compatibility";
export {
  flagSchema,
  validateFlags,
  flagsForVersion,
  toCommandLine,
  flagChanges,
  type FlagDefinition,
  type TranslatedFlags,
  type ValidateFlagsOptions,
} from "./flags";
export { requiredAgentSettings, checkRequiredAgentSettings, type AgentSettings } from "./agent-settings";
export type { FlagComponent, FlagValue } from "../catalogue/flags/types";
export type { FrameworkName } from "../catalogue/frameworks";
