// Dynamic providers whose code lives in compiled modules loaded inside the provider process.
//
// The engine keeps a dynamic provider as text (a module) in the state of every resource. Our modules' code in it
// would make it large, and any change to them would show up as a change of every resource. So the text holds only
// the implementation file's path relative to the program's directory and a loader that `require`s it there.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { repoRoot } from "../toolchain/paths";
import { modulesBeforeImplementations } from "./component";

/**
 * What a provider module exports as `implementation`: the provider methods, as plain functions, `configure` among
 * them (the stack's credentials: component.ts configureFromStack).
 */
export type ProviderImplementation = Required<
  Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">
>;

/**
 * The provider methods of a dynamic resource, as JavaScript the provider process runs on the list of files it is
 * followed by (compiled .js paths relative to the program's directory): each is found as Node finds a package, from the
 * working directory upwards (the module's `paths` are that directory's node_modules and its parents'), and loaded in
 * turn, the ones before the last for their effect (component.ts readStackRoutesFrom); the last one's
 * `implementation` export is the provider. A file not found fails as Node says it ("Cannot find module './dist/…'").
 * Short, as its text is in every resource's state twice; the unit tests run it.
 */
const LOAD_IMPLEMENTATION =
  ".map(f=>require(require.resolve('./'+f,{paths:module.paths.map(p=>p+'/..')}))).pop().implementation";

/** A compiled file's path relative to the program's directory, "/"-separated (no path of this machine in a state). */
const relativeToProgram = (file: string): string => path.relative(repoRoot, file).split(path.sep).join("/");

/**
 * The provider of a dynamic resource as the engine keeps it (`__provider`: a module whose `handler` returns the
 * methods): the `implementation` export of `implementationFile`, loaded when the provider process first needs it,
 * after the files component.ts readStackRoutesFrom named. The engine stores this text in every resource's state twice
 * (inputs and outputs) and writes the whole state at each step's start and end, so it is written here rather than by
 * the SDK's closure serialization, which made it 2.5 KB: a fifth of a resource's state (issue 14); it is now under
 * 0.2 KB with the program's routes module. Any text a stack holds from before still loads: the provider process runs
 * each resource's own.
 */
export function delegatingProviderText(implementationFile: string): string {
  const files = [...modulesBeforeImplementations(), implementationFile].map(relativeToProgram);
  // Single quotes: the state's JSON escapes every double one.
  return `exports.handler=()=>[${files.map((f) => `'${f}'`).join(",")}]${LOAD_IMPLEMENTATION}\n`;
}

/**
 * A dynamic resource (type `pulumi-nodejs:dynamic/<module>:<type>`, as `pulumi.dynamic.Resource` names it) whose
 * provider is the `implementation` export of `implementationFile` (delegatingProviderText). Its `privateKey` input,
 * the stack's secrets when it is given them (the cluster program's resources are not), stays secret in its outputs
 * too.
 */
export class DelegatingResource extends pulumi.CustomResource {
  constructor(
    implementationFile: string,
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
      { ...props, __provider: delegatingProviderText(implementationFile) },
      // The option is recorded in each resource's state: only a resource given a key says so.
      props.privateKey === undefined
        ? opts
        : { ...opts, additionalSecretOutputs: ["privateKey", ...(opts?.additionalSecretOutputs ?? [])] },
    );
  }
}
