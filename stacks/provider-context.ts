// Loaded in the provider process before the cluster program's resources' implementations (providers/component.ts
// readStackRoutesFrom): tells the providers how the stack's config holds its hosts' HTTP routes, which no
// resource carries.
import { readStackRoutesWith, PROJECT_NAME, type StackRoutes } from "../providers/component";
import { stackRoutesOf } from "./reach";
import { CONFIG_KEYS, parseStackSettings, rawSettingsOf, StackSettingsError } from "./settings";

/**
 * The stack's HTTP routes from its config values by full key, or undefined where they hold no stack's hosts. A config
 * with problems holds none either: the program refused it before it declared any resource.
 */
export function stackRoutesOfConfig(get: (key: string) => unknown): StackRoutes | undefined {
  const config = Object.fromEntries(
    CONFIG_KEYS.map((key) => [`${PROJECT_NAME}:${key}`, get(`${PROJECT_NAME}:${key}`)]),
  );
  if (config[`${PROJECT_NAME}:hosts`] === undefined) return undefined;
  try {
    return stackRoutesOf(parseStackSettings(rawSettingsOf(config)));
  } catch (error) {
    if (error instanceof StackSettingsError) return undefined;
    throw error;
  }
}

readStackRoutesWith(stackRoutesOfConfig);
