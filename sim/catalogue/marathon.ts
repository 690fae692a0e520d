// Marathon releases the simulator can run: image tags, bundled libmesos, documented Mesos minimum and flags.
import { IMAGE_REPOSITORIES } from "../../catalogue/images";
import flagData from "./marathon-flags.json";
import { atLeast, compareVersions } from "./versions";

/** A Marathon release as shipped in `mesosphere/marathon:v<version>`. */
export interface MarathonRelease {
  readonly version: string;
  /** libmesos inside the image (marathon `Dockerfile` at the tag: `FROM mesosphere/mesos:…` or `mesos=…`). */
  readonly libmesos: string;
  /** Lowest Mesos the release's docs require ("Requirements" in docs/docs/index.md; 1.3: changelog 1.2.0). */
  readonly minimumMesos: string;
}

/** The Docker repository of Marathon; tags are "v" + version (e.g. mesosphere/marathon:v0.9.1). */
export const MARATHON_IMAGE = IMAGE_REPOSITORIES.marathon.repository;

// 1.3.14 (the planner's 1.3 stop): options as 1.3.13 (`git diff v1.3.13 v1.3.14 -- src/main/scala` changes no
// opt/toggle), Dockerfile `mesos=1.0.1-2.0.93.debian81`. 1.4.13 (the planner's 1.4 stop): options of 1.4.1 plus
// zk_connection_timeout (opt/toggle names in src/main/scala at v1.4.13), project/Dependencies.scala MesosDebian
// 1.1.3-2.0.1.
const RAW: ReadonlyArray<[string, string, string]> = [
  ["0.9.0", "0.22.1", "0.20.1"],
  ["0.9.1", "0.22.1", "0.20.1"],
  ["0.9.2", "0.22.1", "0.20.1"],
  ["0.10.0", "0.22.1", "0.20.1"],
  ["0.10.1", "0.22.1", "0.20.1"],
  ["0.11.0", "0.23.0", "0.22.1"],
  ["0.11.1", "0.23.0", "0.22.1"],
  ["0.13.0", "0.24.1", "0.22.1"],
  ["0.13.1", "0.24.1", "0.22.1"],
  ["0.14.0", "0.26.0", "0.24.0"],
  ["0.14.1", "0.26.0", "0.24.0"],
  ["0.14.2", "0.26.0", "0.24.0"],
  ["0.14.3", "0.26.2", "0.24.0"],
  ["0.15.0", "0.26.0", "0.24.0"],
  ["0.15.1", "0.26.0", "0.24.0"],
  ["0.15.2", "0.26.0", "0.24.0"],
  ["0.15.3", "0.26.0", "0.24.0"],
  ["0.15.4", "0.26.0", "0.24.0"],
  ["0.15.5", "0.26.0", "0.24.0"],
  ["0.15.6", "0.26.2", "0.24.0"],
  ["0.15.7", "0.26.2", "0.24.0"],
  ["1.0.0-RC1", "0.28.0", "0.28.0"],
  ["1.1.0", "0.28.0", "0.28.0"],
  ["1.1.1", "0.28.0", "0.28.0"],
  ["1.1.2", "0.28.2", "0.28.0"],
  ["1.1.3", "0.28.2", "0.28.0"],
  ["1.1.4", "0.28.2", "0.28.0"],
  ["1.1.5", "0.28.2", "0.28.0"],
  ["1.1.6", "0.28.2", "0.28.0"],
  ["1.1.7", "0.28.2", "0.28.0"],
  ["1.3.0", "1.0.0", "1.0.0"],
  ["1.3.13", "1.0.1", "1.0.0"],
  ["1.3.14", "1.0.1", "1.0.0"],
  ["1.4.0", "1.1.0", "1.1.0"],
  ["1.4.1", "1.1.0", "1.1.0"],
  ["1.4.13", "1.1.3", "1.1.0"],
  // The last tag of each later line (newest-releases §2.1: tags, project/Dependencies.scala libmesos, and the minimum
  // the code enforces, LibMesos.scala: ≥1.1.0 through 1.6, ≥1.5.0 from 1.7; the docs' "1.0.1+" is stale).
  ["1.5.15", "1.4.0", "1.1.0"],
  ["1.6.590", "1.5.0", "1.1.0"],
  ["1.7.236", "1.5.1", "1.5.0"],
  ["1.8.244", "1.8.0", "1.5.0"],
  ["1.9.109", "1.9.0", "1.5.0"],
  ["1.10.26", "1.10.0", "1.5.0"],
];

/**
 * Options removed and added after 1.4.13, on top of its set (newest-releases §2.4: changelog.md plus a flag grep of
 * src/main/scala per tag). A removed option is unknown to scallop and stops start-up ("--artifact_store … will throw
 * an error if specified", changelog 1.5). Only the changes the fact sheet names are modelled.
 */
const LATER_FLAG_CHANGES: ReadonlyArray<{
  readonly from: string;
  readonly removed: readonly string[];
  readonly added: Readonly<Record<string, MarathonFlagKind>>;
}> = [
  // 1.5.0: event subscriptions (/v2/eventSubscriptions, --event_subscriber, --http_endpoints), the artifact store and
  // --max_tasks_per_offer are gone; --backup_location arrives.
  {
    from: "1.5.0",
    removed: ["event_subscriber", "http_endpoints", "artifact_store", "max_tasks_per_offer"],
    added: { backup_location: "value" },
  },
  // 1.8.0 refuses save_tasks_to_launch_timeout; --deprecated_features is how 1.8+ re-enables removed behaviour.
  { from: "1.8.0", removed: ["save_tasks_to_launch_timeout"], added: { deprecated_features: "value" } },
  // 1.9.0: --accepted_resource_roles_default_behavior replaces --default_accepted_resource_roles (deprecated, kept).
  { from: "1.9.0", removed: [], added: { accepted_resource_roles_default_behavior: "value" } },
  // 1.10.0: --revive_offers_for_new_apps / --revive_offers_repetitions, no-ops in 1.9, are gone (code).
  { from: "1.10.0", removed: ["revive_offers_for_new_apps", "revive_offers_repetitions"], added: {} },
];

/** Every Marathon release the simulator runs, oldest first. */
export const MARATHON_RELEASES: readonly MarathonRelease[] = RAW.map(([version, libmesos, minimumMesos]) => ({
  version,
  libmesos,
  minimumMesos,
}));

/** The release for "0.9.1" or "v0.9.1". */
export function marathonRelease(versionOrTag: string): MarathonRelease | undefined {
  const version = versionOrTag.replace(/^v/, "");
  return MARATHON_RELEASES.find((r) => r.version === version);
}

/** How a Marathon (scallop) option takes its value. */
export type MarathonFlagKind = "value" | "flag" | "toggle";

// chaos HttpConf options live outside the marathon repository (mesosphere/chaos), so they are listed by hand.
const HTTP_CONF: Readonly<Record<string, MarathonFlagKind>> = {
  http_port: "value",
  https_port: "value",
  http_address: "value",
  https_address: "value",
  assets_path: "value",
  http_credentials: "value",
  http_realm: "value",
  disable_http: "flag",
  ssl_keystore_path: "value",
  ssl_keystore_password: "value",
  http_max_concurrent_requests: "value",
};

/** The options `marathon` of a release accepts (scallop names; toggles also accept `--disable_<name>`). */
export function marathonFlags(version: string): ReadonlyMap<string, MarathonFlagKind> {
  const sets = (flagData as unknown as { sets: Array<{ versions: string[]; flags: Record<string, MarathonFlagKind> }> })
    .sets;
  const set = [...sets].reverse().find((s) => compareVersions(s.versions[0] as string, version) <= 0) ?? sets[0];
  const flags = new Map(Object.entries({ ...HTTP_CONF, ...set!.flags }));
  for (const change of LATER_FLAG_CHANGES) {
    if (!atLeast(version, change.from)) continue;
    for (const name of change.removed) flags.delete(name);
    for (const [name, kind] of Object.entries(change.added)) flags.set(name, kind);
  }
  return flags;
}

/** Behaviour that changes between Marathon releases. */
export function marathonTraits(version: string) {
  return {
    /** From 1.4.0 Marathon checks the master's version on registration and commits suicide below 1.1.0. */
    checksMasterVersion: atLeast(version, "1.4.0"),
    /**
     * The master version `masterVersionCheck` requires: 1.1.0 for 1.4–1.6, 1.5.0 from 1.7 (LibMesos.scala
     * `MesosMasterMinimumVersion`; "Mesos Master version X does not meet minimum required version", then crash).
     */
    masterMinimum: atLeast(version, "1.7.0") ? "1.5.0" : "1.1.0",
    /** 1.5 removed event callback subscriptions: /v2/eventSubscriptions and --event_subscriber (changelog 1.5.0). */
    eventSubscriptions: !atLeast(version, "1.5.0"),
    /**
     * The oldest storage a release migrates from (Migration.scala `minSupportedStorageVersion`): 0.8.0 for 1.4,
     * 1.4.0 for 1.5–1.7 (persistence store), 1.6.0 from 1.8 (newest-releases §2.3); undefined before 1.4.
     */
    minimumStorage: atLeast(version, "1.8.0")
      ? "1.6.0"
      : atLeast(version, "1.5.0")
        ? "1.4.0"
        : atLeast(version, "1.4.0")
          ? "0.8.0"
          : undefined,
    /** /v2/info marathon_config gains mesos_leader_ui_url in 0.11. */
    leaderUiUrl: atLeast(version, "0.11.0"),
    /** /v2/info marathon_config has marathon_store_timeout until 0.11 (gone from InfoResource.scala in 0.13). */
    storeTimeoutInInfo: !atLeast(version, "0.13.0"),
    /** /v2/info marathon_config gains task_reservation_timeout and features in 1.0 (InfoResource.scala @v1.0.0-RC1). */
    reservationsInInfo: atLeast(version, "1.0.0-RC1"),
    /**
     * DELETE /v2/leader answers "Leadership abdicted" (sic) until 0.14, "Leadership abdicated" from 0.15
     * (LeaderResource.scala).
     */
    abdicatedSpelledRight: atLeast(version, "0.15.0"),
    /** 1.0 deprecates `ports` in favour of `portDefinitions`. */
    portDefinitions: atLeast(version, "1.0.0-RC1"),
    /**
     * 1.3 elects with Curator's LeaderLatch under `<zk>/leader-curator` (hidden flag leader_election_backend,
     * default "curator"), and a 1.3 leader writes an ephemeral tombstone `member_-00000000` holding its address
     * into the old `<zk>/leader` group, which sorts before every older member so older instances follow it;
     * an older instance that already leads keeps leading, hence "stop all older Marathon instances before the
     * new version starts" (mesosphere/marathon@v1.3.14:src/main/scala/mesosphere/marathon/MarathonConf.scala,
     * core/election/impl/CuratorElectionService.scala; changelog 1.1.0 → 1.3.0).
     */
    curatorElection: atLeast(version, "1.3.0"),
    /** 0.13 migrates the task store; earlier versions cannot read it (changelog 0.13.0). */
    storageFormat: atLeast(version, "0.13.0") ? 2 : 1,
  };
}
