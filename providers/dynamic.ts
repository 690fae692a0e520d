// Dynamic providers whose code lives in compiled modules loaded inside the provider process.
//
// The engine serializes a provider's methods to text (closure serialization) and stores that text in the
// state of every resource. Capturing our modules by value would make that text large, and any change to
// them would show up as a change of every resource. So each method captures only the implementation
// file's path relative to the program's directory, and loads it there with `require`.
/* eslint-disable @typescript-eslint/no-require-imports -- the methods load their module in the provider process */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { repoRoot } from "../toolchain/paths";

/** What a provider module exports as `implementation`: the provider methods, as plain functions. */
export type ProviderImplementation = Required<
  Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
>;

/**
 * A provider whose methods delegate to the `implementation` export of `implementationFile` (a compiled .js
 * path), loaded in the provider process by searching from its working directory (the program's directory) upwards.
 */
export function delegatingProvider(implementationFile: string): pulumi.dynamic.ResourceProvider {
  const relativeFile = path.relative(repoRoot, implementationFile).split(path.sep).join("/");
  // The function's text is serialized into every resource's state twice (inputs and outputs): no comments in it.
  const load = (): ProviderImplementation => {
    const nodePath = require("path") as typeof import("path");
    for (let dir = process.cwd(); ; dir = nodePath.dirname(dir)) {
      const candidate = nodePath.join(dir, relativeFile);
      if ((require("fs") as typeof import("fs")).existsSync(candidate)) {
        return (require(candidate) as { implementation: ProviderImplementation }).implementation;
      }
      if (nodePath.dirname(dir) === dir) {
        throw new Error(`provider code ${relativeFile} not found from ${process.cwd()} up: run \`npm run build\``);
      }
    }
  };
  return {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
