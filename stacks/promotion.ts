// The promotion gate: a stack applies only hops the stack it is promoted from has completed (test → dev → demo → prod).
import { layerOf } from "../catalogue/components";
import { compareVersions, type Component, type PlanStep } from "../planner";

/** The lowest version each layer runs anywhere in a stack: what that stack has completed. */
export type Completed = Readonly<Partial<Record<Component, string>>>;

export { layerOf };

/** The lowest version of each layer across hosts. */
export function completedOf(
  hosts: ReadonlyArray<{ readonly versions: Readonly<Partial<Record<PlanStep["component"], string>>> }>,
): Completed {
  const lowest: Partial<Record<Component, string>> = {};
  for (const host of hosts) {
    for (const [component, version] of Object.entries(host.versions) as [PlanStep["component"], string][]) {
      const layer = layerOf(component);
      if (!lowest[layer] || compareVersions(version, lowest[layer] as string) < 0) lowest[layer] = version;
    }
  }
  return lowest;
}

/**
 * Steps the previous stack has not completed, each as a message naming the hop and what to do. `previous` is null when
 * the backend has no stack of that name, undefined when the stack exists but recorded no versions.
 */
export function promotionRefusals(
  steps: readonly PlanStep[],
  promotedFrom: string,
  previous: Completed | null | undefined,
): string[] {
  if (!promotedFrom) return [];
  if (previous === null) {
    return [
      `stack "${promotedFrom}" (promotedFrom) does not exist in this backend: run it first, or set promotionOverride to a reason`,
    ];
  }
  if (!previous) {
    return [
      `stack "${promotedFrom}" (promotedFrom) has no recorded versions: run it first, or set promotionOverride to a reason`,
    ];
  }
  const refused = new Map<string, string>();
  for (const step of steps) {
    const layer = layerOf(step.component);
    const done = previous[layer];
    if (!done || compareVersions(step.to, done) > 0) {
      const key = `${layer} ${step.to}`;
      if (!refused.has(key)) {
        refused.set(
          key,
          `${layer} ${step.from} → ${step.to} is not completed in stack "${promotedFrom}" (it runs ${layer} ${done ?? "nothing"}); upgrade "${promotedFrom}" first, or set promotionOverride to a reason`,
        );
      }
    }
  }
  return [...refused.values()];
}
