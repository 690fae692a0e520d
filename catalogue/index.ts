/** The catalogue: versions, hops, compatibility facts and flag schemas, as sourced data. */
export * from "./types";
export * from "./mesos";
export * from "./marathon";
export * from "./docker";
export * from "./containerizer";
export * from "./frameworks";
export * from "./seed-tables";
export * from "./seed-settings";
export * from "./flags/types";
export * from "./flags/mesos-logging";
export * from "./flags/mesos-master";
export * from "./flags/mesos-agent";
export * from "./flags/marathon";
export * from "./docker-packages";
