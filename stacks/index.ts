// The program's entry for a normal Pulumi install (`pulumi preview` with Pulumi.yaml's main: dist/stacks/).
import { clusterProgram } from "./program";

export = clusterProgram();
