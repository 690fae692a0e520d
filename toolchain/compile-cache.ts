// Node's module compile cache for the process that imports this module first: V8 keeps the code it compiled from
// the modules on disk and the next process of the same commands loads it instead of compiling again. The commands
// that load the Pulumi SDK (converge, preview, the benchmark) spent 0.7 s of their start there, 0.4 s from the cache.
// Node's own default directory (or NODE_COMPILE_CACHE); NODE_DISABLE_COMPILE_CACHE turns it off; a Node older than
// 22.8 has no enableCompileCache and loads as before. Never throws (Node reports a failure in what it returns).
import * as nodeModule from "node:module";

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
