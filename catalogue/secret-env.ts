// Which environment values of a container are secrets: by name (PASSWORD, SECRET, TOKEN, CREDENTIAL…) or because the
// stack lists the name (`secretEnv`). Pure; the program marks them Pulumi secrets, the providers keep them off argv.

/**
 * Name parts that say a variable holds a credential, e.g. MARATHON_HTTP_CREDENTIALS (Marathon's --http_credentials
 * as an environment variable), MESOS_AUTHENTICATE…_SECRET, a registry's REGISTRY_PASSWORD, an API_TOKEN.
 */
export const SECRET_ENV_PATTERN = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY|API_KEY/i;

/** Whether the variable `name` holds a secret: its name says so, or the stack lists it. */
export function isSecretEnvName(name: string, listed: readonly string[] = []): boolean {
  return SECRET_ENV_PATTERN.test(name) || listed.includes(name);
}

/** The names of `env` whose values are secrets, sorted. */
export function secretEnvNames(env: Readonly<Record<string, string>>, listed: readonly string[] = []): string[] {
  return Object.keys(env)
    .filter((name) => isSecretEnvName(name, listed))
    .sort();
}

/** `env` split into the values that may appear on a command line and the secret ones. */
export function splitSecretEnv(
  env: Readonly<Record<string, string>>,
  listed: readonly string[] = [],
): { plain: Record<string, string>; secret: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) (isSecretEnvName(name, listed) ? secret : plain)[name] = value;
  return { plain, secret };
}
