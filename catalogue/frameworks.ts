/** Frameworks and tools running against the cluster, and the versions of Mesos/Marathon each can live with. */
import type { Sourced, VersionRange } from "./types";

/** Frameworks the planner knows. */
export type FrameworkName = "jenkins-mesos-plugin" | "mesos-dns" | "bamboo";

/** Every known framework name (the valid keys of a plan input's `frameworks`). */
export const FRAMEWORK_NAMES: readonly FrameworkName[] = ["jenkins-mesos-plugin", "mesos-dns", "bamboo"];

/** A ceiling: framework versions in `versions` work with `component` only up to the `maxMinor` line. */
export interface FrameworkCeiling extends Sourced {
  /** The framework. */
  readonly framework: FrameworkName;
  /** The framework versions the ceiling applies to. */
  readonly versions: VersionRange;
  /** The component the ceiling caps. */
  readonly component: "mesos" | "marathon";
  /** The highest minor line of `component` those framework versions work with. */
  readonly maxMinor: string;
  /** Why. */
  readonly reason: string;
  /** What lifts the ceiling. */
  readonly fix: string;
}

/** The Mesos JAR a framework release bundles; libmesos' JNI check decides whether it loads. */
export interface FrameworkJar extends Sourced {
  /** The framework. */
  readonly framework: FrameworkName;
  /** The framework versions that bundle `jar`. */
  readonly versions: VersionRange;
  /** The bundled Mesos JAR version. */
  readonly jar: string;
}

/** Something operators must know when a framework of these versions runs against the cluster. */
export interface FrameworkNote extends Sourced {
  /** The framework. */
  readonly framework: FrameworkName;
  /** The framework versions concerned. */
  readonly versions: VersionRange;
  /** The note. */
  readonly message: string;
}

const PLUGIN_POM = "jenkinsci/mesos-plugin pom.xml <mesos.version> at each tag (fact sheet §6.1)";
const DNS_LOG = "mesosphere/mesos-dns CHANGELOG and records/generator.go at each tag (fact sheet §6.2)";

/** Known ceilings. Frameworks already broken at the cluster's current version are reported, not obeyed. */
export const FRAMEWORK_CEILINGS: readonly FrameworkCeiling[] = [
  {
    framework: "jenkins-mesos-plugin",
    versions: { to: "0.10.1" },
    component: "mesos",
    maxMinor: "0.24",
    reason:
      "the plugin bundles a Mesos JAR older than 0.25 and its maintainer names Mesos 0.25 as the last change that broke the plugin (inference)",
    fix: "upgrade the plugin to 0.11.0–0.13.1 (Mesos 0.27.0 JAR), which works with Mesos 0.28",
    source: `${PLUGIN_POM}; issue jenkinsci/mesos-plugin#235`,
  },
  {
    framework: "mesos-dns",
    versions: { before: "0.2.0" },
    component: "mesos",
    maxMinor: "0.23",
    reason: "mesos-dns v0.1.x reads only protobuf info_ znodes and cannot find 0.24+ masters, which publish JSON",
    fix: "upgrade mesos-dns to v0.2.0 (tagged mesos-0.24.0) or later",
    source: DNS_LOG,
  },
  {
    framework: "mesos-dns",
    versions: { from: "0.2.0", before: "0.3.0" },
    component: "mesos",
    maxMinor: "0.24",
    reason:
      "mesos-dns v0.2.x predates Mesos 0.25's NetworkInfo IP source, added in v0.3.0 (inference: mesos-N tags mark where support for Mesos N starts)",
    fix: "upgrade mesos-dns to v0.5.0 or later",
    source: `${DNS_LOG}; mesos-dns README (mesos-N tags)`,
  },
  {
    framework: "mesos-dns",
    versions: { from: "0.3.0", before: "0.5.0" },
    component: "mesos",
    maxMinor: "0.25",
    reason:
      "mesos-dns v0.5.0 CHANGELOG: with NetworkInfo (in the default IPSources) going from Mesos 0.25 to 0.26 needs mesos-dns 0.5.0",
    fix: "upgrade mesos-dns to v0.5.0 or later",
    source: DNS_LOG,
  },
  {
    framework: "mesos-dns",
    versions: { from: "0.5.0", before: "0.7.0-rc1" },
    component: "mesos",
    maxMinor: "1.7",
    reason: "mesos-dns up to v0.6.0 reads /master/state.json, which Mesos removes in 1.8.0",
    fix: "upgrade mesos-dns to v0.7.0-rc1 or later (reads /master/state; no final v0.7.0 was tagged)",
    source: `${DNS_LOG}; newest-releases fact sheet §4.2 (commit a274e0d, first in v0.7.0-rc1 2019-02-17); §1.3 (*.json aliases removed in 1.8.0, MESOS-4509)`,
  },
  {
    framework: "bamboo",
    versions: { before: "0.2.16" },
    component: "marathon",
    maxMinor: "1.4",
    reason:
      "bamboo before 0.2.16 can only register an HTTP callback (POST /v2/eventSubscriptions), which Marathon 1.5 removed",
    fix: 'upgrade bamboo to 0.2.16 or later and configure "UseEventStream": true',
    source:
      "QubitProducts/bamboo README (Compatibility; HEAD: Marathon >= 1.5.0 needs UseEventStream); @v0.3.1:main/bamboo/bamboo.go; newest-releases fact sheet §4.3",
  },
];

/** The Mesos JAR each Jenkins plugin release bundles. */
export const FRAMEWORK_JARS: readonly FrameworkJar[] = [
  {
    framework: "jenkins-mesos-plugin",
    versions: { from: "0.6.0", before: "0.8.0" },
    jar: "0.21.1",
    source: PLUGIN_POM,
  },
  { framework: "jenkins-mesos-plugin", versions: { from: "0.8.0", to: "0.10.1" }, jar: "0.22.1", source: PLUGIN_POM },
  { framework: "jenkins-mesos-plugin", versions: { from: "0.11.0", to: "0.13.1" }, jar: "0.27.0", source: PLUGIN_POM },
  {
    framework: "jenkins-mesos-plugin",
    versions: { from: "0.14.0", before: "2.0.0-beta-1" },
    jar: "1.0.0",
    source: `${PLUGIN_POM}; issue d2iq-archive/dcos-jenkins-service#125 (plugin >= 0.14.0 fails on older Mesos)`,
  },
];

/** Notes shown whenever a framework of these versions is present. */
export const FRAMEWORK_NOTES: readonly FrameworkNote[] = [
  {
    framework: "jenkins-mesos-plugin",
    versions: { before: "2.0.0-beta-1" },
    message:
      'the Jenkins Mesos plugin loads the libmesos of the Jenkins host ("Mesos native library path"); relink it to the cluster\'s Mesos version after each hop (docs/upgrades.md step 4)',
    source: "jenkinsci/mesos-plugin README; apache/mesos@1.0.4:docs/upgrades.md",
  },
  {
    framework: "jenkins-mesos-plugin",
    versions: { from: "2.0.0-beta-1" },
    message:
      "the Jenkins Mesos plugin 2.0 no longer loads libmesos (a rewrite on Mesosphere USI speaking the v1 HTTP API; the master is given as http://HOST:PORT): no libmesos ceiling applies; its CI runs Mesos 1.9.0, and its supported Mesos range is unconfirmed",
    source:
      "jenkinsci/mesos-plugin build.gradle (USI 0.1.18 at 2.0-beta-1, 0.1.48 at 2.0), README, .github/workflows/gradle.yml; newest-releases fact sheet §4.1",
  },
  {
    framework: "bamboo",
    versions: { from: "0.2.16" },
    message:
      'bamboo must run with "UseEventStream": true before Marathon 1.5 (the callback registration is gone); on Marathon >= 1.5 apps no longer carry `ports`, so v0.3.1 templates that use ServicePorts come back empty (inference); point bamboo at the Marathon leader (the 1.7+ standby 302 may drop basic auth)',
    source:
      "QubitProducts/bamboo README (HEAD); @v0.3.1:services/marathon/marathon.go; issue QubitProducts/bamboo#245; newest-releases fact sheet §4.3",
  },
  {
    framework: "bamboo",
    versions: { before: "0.2.16" },
    message:
      "bamboo before 0.2.16 has no event-stream support and registers an HTTP callback, so Marathon must keep running with --event_subscriber http_callback",
    source: "QubitProducts/bamboo README (Compatibility); fact sheet §6.3",
  },
  {
    framework: "bamboo",
    versions: {},
    message:
      "bamboo publishes no Marathon compatibility table; 0.2.x reads /v2/apps and /v2/tasks, which keep their shape up to Marathon 1.1 — check haproxy templates that use servicePorts after Marathon 1.0 (portDefinitions)",
    source: "QubitProducts/bamboo README; issue QubitProducts/bamboo#245; fact sheet §6.3",
  },
];
