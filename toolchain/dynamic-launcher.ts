// The launcher the engine runs to start the dynamic provider's process, installed next to a CLI the project built.

/** Its name: the engine looks for a bundled plugin `pulumi-resource-<package>` next to the CLI. */
export const DYNAMIC_LAUNCHER = "pulumi-resource-pulumi-nodejs";

/** The provider host's script below a node_modules directory. */
const PROVIDER_SCRIPT = "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";

/**
 * The launcher's text. The one in the @pulumi/pulumi package asks a Node process of its own where the provider host
 * is (`node -e "console.log(require.resolve(…))"`, 70 ms on an idle machine, 200 ms while a preview reads the hosts)
 * before it starts the provider host's Node process, which the engine waits for before it checks the first resource
 * (issue 14). This one looks where Node's resolution looks first, the node_modules of the engine's working directory
 * (the program's) and of each directory above it, with the shell's own tests; only when none holds the script does it
 * ask Node as the package's launcher does (NODE_PATH, global folders). It `exec`s the provider host, so the process
 * the engine stops at the end of a run is the provider itself, not a shell whose child lives on.
 */
export function dynamicLauncherScript(): string {
  return `#!/bin/sh
# The dynamic provider's launcher (mesos-upgrade toolchain/dynamic-launcher.ts): starts the provider host of the
# program's @pulumi/pulumi, found as Node's require.resolve would from the working directory.
dir=$PWD
while :; do
  script="$dir/${PROVIDER_SCRIPT}"
  if [ -f "$script" ]; then exec node "$script" "$@"; fi
  [ -z "$dir" ] && break
  dir=\${dir%/*}
done
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
`;
}
