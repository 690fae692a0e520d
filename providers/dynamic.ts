// Dynamic providers whose code lives in compiled modules loaded inside the provider process.
//
// The engine keeps a dynamic provider as text (a module) in the state of every resource. Our modules' code in it
// would make it large, and any change to them would show up as a change of every resource. So the text holds only
// the implementation file's path relative to the program's directory and a loader that `require`s it there.
/* eslint-disable @typescript-eslint/no-require-imports -- the loader requires its module in the provider process */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { repoRoot } from "../toolchain/paths";

/**
 * What a provider module exports as `implementation`: the provider methods, as plain functions, `configure` among
 * them (the stack's credentials: component.ts configureCredentials).
 */
export type ProviderImplementation = Required<
  Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">
>;

/**
 * The provider methods of a dynamic resource: the `implementation` export of `file` (a compiled .js path relative to
 * the program's directory), found from the provider process's working directory upwards. This function runs in the
 * provider process from its text (delegatingProviderText): no comments inside it, nothing from outside but its
 * argument and Node's modules, and short names (its text is in every resource's state twice).
 */
function loadImplementation(file: string): ProviderImplementation {
  const p = require("path") as typeof import("path");
  for (let d = process.cwd(); ; d = p.dirname(d)) {
    const c = p.join(d, file);
    if ((require("fs") as typeof import("fs")).existsSync(c)) {
      return (require(c) as { implementation: ProviderImplementation }).implementation;
    }
    if (p.dirname(d) === d) {
      throw new Error(`provider code ${file} not found from ${process.cwd()} up: run \`npm run build\``);
    }
  }
}

/**
 * The provider of a dynamic resource as the engine keeps it (`__provider`: a module whose `handler` returns the
 * methods): the `implementation` export of `implementationFile`, loaded when the provider process first needs it. The
 * engine stores this text in every resource's state twice (inputs and outputs) and writes the whole state at each
 * step's start and end, so it is written here rather than by the SDK's closure serialization, which made it 2.5 KB: a
 * fifth of a resource's state (issue 14); it is now 0.4 KB. Any text a stack holds from before still loads:
 * the provider process runs each resource's own.
 */
export function delegatingProviderText(implementationFile: string): string {
  const relativeFile = path.relative(repoRoot, implementationFile).split(path.sep).join("/");
  const load = loadImplementation.toString().replace(/\n\s*/g, "\n");
  return `exports.handler = () => (${load})(${JSON.stringify(relativeFile)});\n`;
}

/**
 * A dynamic resource (type `pulumi-nodejs:dynamic/<module>:<type>`, as `pulumi.dynamic.Resource` names it) whose
 * provider is `providerText` (delegatingProviderText). Its `privateKey` input, the stack's secrets, stays secret in
 * its outputs too.
 */
export class DelegatingResource extends pulumi.CustomResource {
  constructor(
    providerText: string,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
    module: string,
    type: string,
  ) {
    if ("__provider" in props) throw new Error(`resource ${name}: "__provider" is the engine's key, not an input`);
    super(
      `pulumi-nodejs:dynamic/${module}:${type}`,
      name,
      { ...props, __provider: providerText },
      { ...opts, additionalSecretOutputs: ["privateKey", ...(opts?.additionalSecretOutputs ?? [])] },
    );
  }
}
