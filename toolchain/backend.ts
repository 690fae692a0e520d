// Which Pulumi backend and secrets a stack uses: the project's work area for local and scratch stacks, the operator's
// own for real ones.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Stacks kept in the project's work area (.work/state): the simulated cluster and throwaway test stacks. */
export function isLocalStack(stack: string): boolean {
  return stack === "local" || stack.startsWith("scratch-");
}

/** Where a stack's state lives, and why. */
export type BackendChoice =
  | { readonly kind: "work-area"; readonly url: string }
  | { readonly kind: "environment"; readonly url: string }
  | { readonly kind: "login"; readonly url: string };

/** How a stack's secrets are encrypted, and what the operator must provide for it. */
export type SecretsNeed =
  | { readonly kind: "passphrase" }
  | { readonly kind: "service" }
  | { readonly kind: "provider"; readonly provider: string };

export class BackendMissingError extends Error {
  override readonly name = "BackendMissingError";
}

/** The Pulumi home the CLI reads credentials from: $PULUMI_HOME, else ~/.pulumi. */
export function pulumiHomeOf(base: NodeJS.ProcessEnv): string {
  return base.PULUMI_HOME ?? path.join(base.HOME ?? os.homedir(), ".pulumi");
}

/** The backend `pulumi login` last selected (credentials.json's `current`), if any. */
export function currentLogin(base: NodeJS.ProcessEnv): string | undefined {
  try {
    const credentials = JSON.parse(fs.readFileSync(path.join(pulumiHomeOf(base), "credentials.json"), "utf8")) as {
      current?: unknown;
    };
    return typeof credentials.current === "string" && credentials.current !== "" ? credentials.current : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The backend of a stack. Local and scratch stacks: PULUMI_BACKEND_URL if set, else the work area. Real stacks:
 * PULUMI_BACKEND_URL if set, else the backend the operator is logged in to (`pulumi login`, or Pulumi Cloud when
 * only PULUMI_ACCESS_TOKEN is set); never the checkout's own files, which `git clean` would delete.
 */
export function chooseBackend(
  stack: string,
  base: NodeJS.ProcessEnv,
  workAreaState: string,
  login: string | undefined,
): BackendChoice {
  if (base.PULUMI_BACKEND_URL) return { kind: "environment", url: base.PULUMI_BACKEND_URL };
  if (isLocalStack(stack)) return { kind: "work-area", url: workAreaBackendUrl(workAreaState) };
  if (login) return { kind: "login", url: login };
  if (base.PULUMI_ACCESS_TOKEN) return { kind: "login", url: "https://api.pulumi.com" };
  throw new BackendMissingError(
    `stack "${stack}" is a real environment and no Pulumi backend is chosen: log in to the one that keeps its state ` +
      "(`pulumi login <url>`: s3://bucket, postgres://user@host/db, file:///srv/pulumi-state, or `pulumi login` for Pulumi Cloud) " +
      `or set PULUMI_BACKEND_URL; only "local" and scratch-* stacks keep their state in the checkout's .work/state`,
  );
}

/**
 * The work area's file backend at `dir`. `metadata=skip` (gocloud's fileblob, which Pulumi's file backend writes
 * through) leaves out the `.attrs` file it otherwise writes beside every file: an MD5 of the whole checkpoint, computed
 * at each of the engine's saves (two per step), which nothing of Pulumi's reads. A fifth of the engine's CPU per save.
 */
export function workAreaBackendUrl(dir: string): string {
  return `file://${dir}?metadata=skip`;
}

/** The directory of a `file://` backend URL (without its query, such as `?metadata=skip`); nothing for another backend. */
export function fileBackendDir(url: string | undefined): string | undefined {
  return url?.startsWith("file://") ? url.slice("file://".length).replace(/\?.*$/, "") : undefined;
}

/** Whether a backend is Pulumi Cloud (or a self-hosted Pulumi service), which encrypts secrets itself. */
export function isServiceBackend(url: string): boolean {
  return /^https?:\/\//.test(url);
}

/**
 * What a stack's secrets need: its stack file's `secretsprovider` (awskms://, gcpkms://, azurekeyvault://,
 * hashivault://) uses that provider's credentials; without one, Pulumi Cloud encrypts them and every other backend
 * (file, S3-compatible, PostgreSQL) uses a passphrase.
 */
export function secretsNeed(backendUrl: string, secretsProvider: string | undefined): SecretsNeed {
  if (secretsProvider && secretsProvider !== "passphrase" && secretsProvider !== "default") {
    return { kind: "provider", provider: secretsProvider };
  }
  if (secretsProvider === "passphrase") return { kind: "passphrase" };
  return isServiceBackend(backendUrl) ? { kind: "service" } : { kind: "passphrase" };
}

/** A backend URL fit for a message: any password replaced by ****. */
export function redactedUrl(url: string): string {
  return url.replace(/^([a-z0-9+.-]+:\/\/[^:/@]*):[^@/]*@/i, "$1:****@");
}

/** Text with every URL's password replaced by ****, e.g. a CLI error that quotes the backend URL. */
export function redactedText(text: string): string {
  return text.replace(/([a-z0-9+.-]+:\/\/[^:/@\s"]*):[^@/\s"]*@/gi, "$1:****@");
}
