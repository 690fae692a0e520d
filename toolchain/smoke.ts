// The smoke stack: one small dynamic resource whose provider requires a real npm module, proving the engine end to end.
import * as pulumi from "@pulumi/pulumi";

/** Inputs of a ReleaseLine: a semantic version to classify. */
export interface ReleaseLineArgs {
  /** A semantic version, e.g. "0.28.2". */
  readonly version: pulumi.Input<string>;
}

interface ReleaseLineInputs {
  readonly version: string;
}

/**
 * Classifies a version into its release line ("0.28") with the `semver` package, required inside the
 * provider methods so the closure captures no module state and the provider process loads it itself.
 */
const releaseLineProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: ReleaseLineInputs, news: ReleaseLineInputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const semver = require("semver") as typeof import("semver");
    if (semver.valid(news.version) === null) {
      return {
        inputs: news,
        failures: [
          {
            property: "version",
            reason: `version "${news.version}" is not a semantic version; write it like "0.28.2"`,
          },
        ],
      };
    }
    return { inputs: news };
  },
  async create(inputs: ReleaseLineInputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const semver = require("semver") as typeof import("semver");
    return {
      id: `release-${inputs.version}`,
      outs: { version: inputs.version, line: `${semver.major(inputs.version)}.${semver.minor(inputs.version)}` },
    };
  },
  async update(_id: string, _olds: ReleaseLineInputs, news: ReleaseLineInputs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const semver = require("semver") as typeof import("semver");
    return { outs: { version: news.version, line: `${semver.major(news.version)}.${semver.minor(news.version)}` } };
  },
};

/** One ReleaseLine resource (type `pulumi-nodejs:dynamic/smoke:ReleaseLine`). */
export class ReleaseLine extends pulumi.dynamic.Resource {
  declare readonly line: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;

  constructor(name: string, args: ReleaseLineArgs, opts?: pulumi.CustomResourceOptions) {
    super(releaseLineProvider, name, { ...args, line: undefined }, opts, "smoke", "ReleaseLine");
  }
}

/** The smoke program: one ReleaseLine for the `version` given, exporting its line. */
export function smokeProgram(version: string): () => Promise<Record<string, pulumi.Output<string>>> {
  return async () => {
    const release = new ReleaseLine("mesos", { version });
    return { version: release.version, line: release.line };
  };
}
