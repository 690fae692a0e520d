// Opens a Pulumi stack through the Automation API with the project's toolchain and environment.
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { pulumiEnv } from "./env";
import { keptPromise } from "./kept";
import { fileBackendDir } from "./backend";
import { withoutAutomaticLog } from "./automatic-log";
import { repoRoot, workAreaPulumiHome } from "./paths";
import { ensureToolchain, type Toolchain } from "./setup";

export interface OpenStackOptions {
  /** The stack name, e.g. "local" or "prod". */
  readonly stack: string;
  /** The program, run inline in this process (no Node.js language host needed). */
  readonly program: PulumiFn;
  /**
   * A throwaway project instead of the repository's Pulumi.yaml: its name and a work directory that
   * receives its Pulumi.yaml and stack file. The program still runs from the repository (its node_modules).
   */
  readonly scratchProject?: { readonly name: string; readonly workDir: string };
  /** A directory holding a Pulumi.yaml to use instead of the repository's (tests of project settings). */
  readonly projectDir?: string;
  /** The base environment (PULUMI_BACKEND_URL, PULUMI_HOME and passphrase overrides); defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A toolchain already provided; else ensureToolchain() runs. */
  readonly toolchain?: Toolchain;
}

/** The stack file's `secretsprovider` (e.g. awskms://…), if it names one. */
function secretsProviderOf(dir: string, stack: string): string | undefined {
  try {
    return /^secretsprovider:\s*["']?([^"'\s]+)/m.exec(
      fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"),
    )?.[1];
  } catch {
    return undefined;
  }
}

/** The Automation API's handles on the CLI, one per install root. */
const commands = new Map<string, Promise<PulumiCommand>>();

/**
 * The Automation API's handle on the CLI under `root`, made once per process: making one runs `pulumi version`
 * (0.17 s) whether or not the version is then checked, and a converge opens its stack more than once.
 */
function pulumiCommandAt(root: string): Promise<PulumiCommand> {
  return keptPromise(commands, root, () => PulumiCommand.get({ root, skipVersionCheck: true }));
}

/**
 * Creates or selects the stack: local and scratch stacks in the project's work area, real stacks on the operator's
 * backend (PULUMI_BACKEND_URL, else their `pulumi login`); see toolchain/backend.ts.
 */
export async function openStack(options: OpenStackOptions): Promise<Stack> {
  const toolchain = options.toolchain ?? (await ensureToolchain({ env: options.env }));
  const dir = options.scratchProject?.workDir ?? options.projectDir ?? repoRoot;
  const envVars = pulumiEnv(toolchain, options.stack, options.env, {
    secretsProvider: secretsProviderOf(dir, options.stack),
  });
  const backendDir = fileBackendDir(envVars.PULUMI_BACKEND_URL);
  if (backendDir) fs.mkdirSync(backendDir, { recursive: true });
  if (envVars.PULUMI_HOME === workAreaPulumiHome()) withoutAutomaticLog(envVars.PULUMI_HOME);
  else if (envVars.PULUMI_HOME) fs.mkdirSync(envVars.PULUMI_HOME, { recursive: true });
  const pulumiCommand = await pulumiCommandAt(path.dirname(toolchain.binDir));
  const scratch = options.scratchProject;
  if (scratch) {
    fs.mkdirSync(scratch.workDir, { recursive: true });
    return LocalWorkspace.createOrSelectStack(
      { stackName: options.stack, projectName: scratch.name, program: options.program },
      {
        pulumiCommand,
        envVars,
        workDir: scratch.workDir,
        projectSettings: { name: scratch.name, runtime: "nodejs", main: repoRoot },
      },
    );
  }
  return LocalWorkspace.createOrSelectStack(
    { stackName: options.stack, projectName: "mesos-upgrade", program: options.program },
    { pulumiCommand, envVars, workDir: options.projectDir ?? repoRoot },
  );
}
