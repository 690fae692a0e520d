// The shapes of simulated cluster `npm start` can converge: the seed's local cluster, or its dev machine (one host).
import { DEV_APPS, DEFAULT_APPS, type AppDefinition } from "../sim";

/** A simulated cluster shape and the stack file whose targets it converges to. */
export interface ClusterShape {
  readonly name: string;
  /** The simulator's host spec; undefined: Pulumi.local.yaml's simulator.hosts (the seed's 3 masters and 4 agents). */
  readonly hosts?: string;
  /** The Marathon apps the cluster starts with. */
  readonly apps: readonly AppDefinition[];
  /** The stack file whose `targets` the local stack takes (the environment this shape stands for). */
  readonly targetsFrom: string;
  /** For the start line. */
  readonly description: string;
  /** The simulator's time scale, when the fast profile's (0.02) is not right for the shape. */
  readonly timeScale?: number;
}

export const CLUSTER_SHAPES: Readonly<Record<string, ClusterShape>> = {
  local: { name: "local", apps: DEFAULT_APPS, targetsFrom: "Pulumi.local.yaml", description: "3 masters with Marathon, 4 agents" },
  // The seed's dev machine (开发环境): master, agent, Marathon and ZooKeeper's data on one host; every app once
  // (UNIQUE hostname constraints cannot place a second instance).
  // Time scale 0.05: an agent's restart over SSH takes about 1.5 s of wall time, all of it on the one host, which at
  // the fast profile's 0.02 is 75 simulated seconds — the master's whole ping window (5 × 15 s): it would remove the
  // agent as a real master never would. At 0.05 the window is 3.75 s of wall time.
  dev: { name: "dev", hosts: "dev1:master+agent+marathon", apps: DEV_APPS, targetsFrom: "Pulumi.dev.yaml", description: "dev's single host dev1: master, agent and Marathon, every app once", timeScale: 0.05 },
};
