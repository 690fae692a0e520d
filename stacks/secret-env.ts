// A container's environment as the program declares it: values that are secrets (by name, or listed in the stack's
// `secretEnv`) become Pulumi secrets, and the resource's `env` output is kept secret, so state, backups, history and
// previews hold only ciphertext or "[secret]".
import * as pulumi from "@pulumi/pulumi";
import { secretEnvNames } from "../catalogue/secret-env";

/** The `env` and `secretEnv` inputs of a containerised resource, and the options that keep its `env` output secret. */
export interface SealedEnv {
  readonly args: { readonly env: Record<string, pulumi.Input<string>>; readonly secretEnv?: string[] };
  readonly opts: Pick<pulumi.CustomResourceOptions, "additionalSecretOutputs">;
}

/** `env` with its secret values wrapped in `pulumi.secret`; `listed` is the stack's `secretEnv`. */
export function sealEnv(env: Readonly<Record<string, string>> | undefined, listed: readonly string[]): SealedEnv {
  const plain = env ?? {};
  const secret = new Set(secretEnvNames(plain, listed));
  if (secret.size === 0) return { args: { env: { ...plain } }, opts: {} };
  const sealed = Object.fromEntries(
    Object.entries(plain).map(([name, value]) => [name, secret.has(name) ? pulumi.secret(value) : value]),
  );
  const named = listed.filter((name) => name in plain);
  return {
    args: { env: sealed, ...(named.length ? { secretEnv: named } : {}) },
    opts: { additionalSecretOutputs: ["env"] },
  };
}
