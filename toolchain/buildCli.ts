// Builds the Pulumi CLI from the Go module proxy through a small wrapper module (pkg/v3 has replace directives).
import * as fs from "node:fs";
import * as path from "node:path";
import { runProgram } from "./run";

/** The cache directory for one CLI version: `<cache>/pulumi-v<version>` with `bin/` and `build.log`. */
export function cliBuildDir(cache: string, version: string): string {
  return path.join(cache, `pulumi-v${version}`);
}

export interface BuildOptions {
  readonly go: string;
  readonly version: string;
  readonly buildDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

/**
 * The wrapper module. `go install …/pkg/v3/cmd/pulumi@v…` is refused because pkg/go.mod has replace
 * directives; a module that requires pkg/v3 and sdk/v3 at the same version, and copies pkg's one
 * non-local replace (the clipboard fork), builds the same binary.
 */
export function wrapperModule(version: string): Record<string, string> {
  return {
    "go.mod": [
      "module mesosupgrade.local/pulumicli",
      "",
      "go 1.25",
      "",
      "require (",
      `\tgithub.com/pulumi/pulumi/pkg/v3 v${version}`,
      `\tgithub.com/pulumi/pulumi/sdk/v3 v${version}`,
      ")",
      "",
      "replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
      "",
    ].join("\n"),
    "tools.go": [
      "//go:build tools",
      "",
      "package pulumicli",
      "",
      'import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"',
      "",
    ].join("\n"),
  };
}

/** Builds `<buildDir>/bin/pulumi`; returns undefined on success, else a one-line reason with the log's path. */
export async function buildPulumiCli(options: BuildOptions): Promise<string | undefined> {
  const { go, version, buildDir, log } = options;
  const moduleDir = path.join(buildDir, "module");
  const binDir = path.join(buildDir, "bin");
  fs.mkdirSync(moduleDir, { recursive: true });
  fs.mkdirSync(binDir, { recursive: true });
  for (const [name, text] of Object.entries(wrapperModule(version))) fs.writeFileSync(path.join(moduleDir, name), text);
  const logPath = path.join(buildDir, "build.log");
  const logFile = fs.openSync(logPath, "w");
  const env = { ...options.env, GOFLAGS: "-mod=mod" };
  let downloads = 0;
  let compiled = 0;
  const onLine = (line: string) => {
    fs.writeSync(logFile, `${line}\n`);
    if (line.startsWith("go: downloading")) {
      if (++downloads % 50 === 0) log(`[setup]   downloaded ${downloads} Go modules…`);
    } else if (!line.startsWith("#") && /^[\w.-]+(\/[\w.@-]+)*$/.test(line)) {
      if (++compiled % 200 === 0) log(`[setup]   compiled ${compiled} Go packages…`);
    }
  };
  try {
    log("[setup]   resolving modules (go mod tidy)…");
    const tidy = await runProgram(go, ["mod", "tidy"], { cwd: moduleDir, env, onLine });
    if (tidy.code !== 0) return `\`go mod tidy\` exited ${tidy.code}: ${lastLine(tidy.stderr)} (log: ${logPath})`;
    log(`[setup]   compiling (go build)…`);
    const tmp = path.join(binDir, `pulumi.tmp-${process.pid}`);
    const build = await runProgram(
      go,
      [
        "build",
        "-v",
        "-ldflags",
        `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
        "-o",
        tmp,
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
      ],
      { cwd: moduleDir, env, onLine },
    );
    if (build.code !== 0) return `\`go build\` exited ${build.code}: ${lastLine(build.stderr)} (log: ${logPath})`;
    fs.renameSync(tmp, path.join(binDir, "pulumi"));
    log(`[setup]   built after ${downloads} module downloads and ${compiled} packages`);
    return undefined;
  } finally {
    fs.closeSync(logFile);
  }
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "");
  return lines.length ? lines[lines.length - 1].trim() : "no output";
}
