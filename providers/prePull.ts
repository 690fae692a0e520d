// Everything a run's steps will need, fetched on every host before the first window opens: the new images pulled and
// the new Docker packages downloaded into apt's cache, not installed (kubeadm's `upgrade` pre-pulls its images the
// same way, cmd/kubeadm/app/phases/upgrade/prepull.go). Hosts are fetched in parallel, a bounded number at once; the
// steps depend on this resource, so a failed pull stops the run before anything is stopped.
import * as pulumi from "@pulumi/pulumi";
import { sshShell, type RemoteShell } from "../remote/ssh";
import { configureFromStack, connectionsFailures, sameValue, targetOf, type ConnectionArgs } from "./component";
import { DelegatingResource, type ProviderImplementation } from "./dynamic";

/** A Docker package to download (apt's `name=version`). */
export interface PrePullPackage {
  readonly name: string;
  readonly version: string;
}

/** What one host needs fetched. */
export interface PrePullHost {
  readonly connection: ConnectionArgs;
  /** Images the host's steps will run, e.g. "mesosphere/mesos-slave:0.22.2-…". */
  readonly images: readonly string[];
  /** Docker packages its engine step will install. */
  readonly packages: readonly PrePullPackage[];
}

export interface PrePullArgs {
  readonly hosts: pulumi.Input<pulumi.Input<PrePullHost>[]>;
  /**
   * The stack's secrets (the SSH key, or the bundle: encodeCredentials), a Pulumi secret; unset, the provider uses
   * the stack config's (component.ts configureFromStack).
   */
  readonly privateKey?: pulumi.Input<string>;
  /**
   * Hosts fetched at once: bounded, so that a thousand hosts do not open a thousand pulls at once, and wide enough that
   * the registry's bandwidth, not the bound, sets the pace (with 16, the last few hosts of a hundred pulled alone, each
   * at its own link's speed, while the registry idled). @default 64
   */
  readonly parallel?: pulumi.Input<number>;
  /** How long one pull or download may take. @default 900 */
  readonly timeoutSeconds?: pulumi.Input<number>;
}

export interface PrePullInputs {
  readonly hosts: readonly PrePullHost[];
  readonly privateKey?: string;
  readonly parallel?: number;
  readonly timeoutSeconds?: number;
}

export interface PrePullOutputs extends PrePullInputs {
  /** Wall seconds the fetch took. */
  readonly seconds: number;
}

/** One fetch on one host. */
export type Fetch =
  | { readonly kind: "image"; readonly image: string }
  | { readonly kind: "package"; readonly name: string; readonly version: string };

/** The fetches of one host, in order: images, then packages (pure). */
export function fetchesOf(host: Pick<PrePullHost, "images" | "packages">): Fetch[] {
  return [
    ...host.images.map((image) => ({ kind: "image" as const, image })),
    ...host.packages.map((p) => ({ kind: "package" as const, name: p.name, version: p.version })),
  ];
}

/** The command of one fetch: `docker pull`, or apt's download-only install (`-d`: into /var/cache/apt/archives). */
export function fetchCommand(fetch: Fetch): string[] {
  return fetch.kind === "image"
    ? ["docker", "pull", fetch.image]
    : ["apt-get", "install", "-d", "-y", `${fetch.name}=${fetch.version}`];
}

const whatOf = (fetch: Fetch): string =>
  fetch.kind === "image" ? `image ${fetch.image}` : `package ${fetch.name}=${fetch.version}`;

/** Fetches one host's needs, one after the other (they share its link); throws naming the host and what failed. */
export async function fetchOn(shell: RemoteShell, host: string, fetches: readonly Fetch[], timeoutSeconds: number) {
  if (fetches.some((f) => f.kind === "package")) {
    await shell.run(["apt-get", "update"], { timeoutSeconds }).catch((error: unknown) => {
      throw new Error(`pre-pull on ${host}: apt-get update failed: ${(error as Error).message}`, { cause: error });
    });
  }
  for (const fetch of fetches) {
    try {
      await shell.run(fetchCommand(fetch), { timeoutSeconds });
    } catch (error) {
      throw new Error(`pre-pull on ${host}: ${whatOf(fetch)} could not be fetched: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

/** Hosts fetched at once unless the resource says otherwise. */
export const PRE_PULL_PARALLEL = 64;

/**
 * Runs `work` over `items`, at most `parallel` at once; after the first failure starts no more; throws every failure.
 */
export async function bounded<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>) {
  const failures: Error[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && failures.length === 0) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => void failures.push(error as Error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
  if (failures.length) {
    throw new Error(
      `${failures.map((f) => f.message).join("\n")}\nnothing was stopped; fix the registry or apt source (or the image or version), then run again`,
    );
  }
}

async function fetchAll(inputs: PrePullInputs): Promise<PrePullOutputs> {
  const started = Date.now();
  await bounded(inputs.hosts, inputs.parallel ?? PRE_PULL_PARALLEL, (host) =>
    fetchOn(
      sshShell(targetOf({ connection: host.connection, privateKey: inputs.privateKey })),
      host.connection.name,
      fetchesOf(host),
      inputs.timeoutSeconds ?? 900,
    ),
  );
  return { ...inputs, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** What is fetched, per host name (the connection details say how, not what). */
const wanted = (hosts: readonly PrePullHost[] | undefined) =>
  (hosts ?? []).map((h) => ({ host: h.connection?.name, images: h.images, packages: h.packages }));

export const implementation: ProviderImplementation = {
  configure: configureFromStack,
  async check(_olds, news) {
    const inputs = news as Partial<PrePullInputs>;
    const hosts = inputs.hosts ?? [];
    const failures = [
      ...connectionsFailures(
        hosts.map((h) => h.connection),
        inputs.privateKey,
      ),
    ];
    return failures.length ? { inputs: news, failures } : { inputs: news };
  },
  async diff(_id, olds, news) {
    // A new list is a new fetch (an update). The list of the last run that fetched it, again, changes nothing: those
    // images and packages are on the hosts already (and each step still pulls its image, a no-op then).
    const same = sameValue(wanted(olds.hosts), wanted(news.hosts));
    return same ? { changes: false } : { changes: true, replaces: [], deleteBeforeReplace: false };
  },
  async create(inputs) {
    const outs = await fetchAll(inputs as PrePullInputs);
    return { id: "pre-pull", outs };
  },
  async read(id, props) {
    // What was fetched does not drift in a way the steps depend on: each step pulls its image again (a no-op then).
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: await fetchAll(news as PrePullInputs) };
  },
  async delete() {
    // Images and downloaded packages stay on the hosts (the steps use them); removing the resource forgets it.
  },
};

/** The images and Docker packages of a run's steps, fetched on every host before its first step. */
export class PrePull extends DelegatingResource {
  declare readonly seconds: pulumi.Output<number>;

  constructor(name: string, args: PrePullArgs, opts?: pulumi.CustomResourceOptions) {
    super(__filename, name, { seconds: undefined, ...args }, opts, "prepull", "PrePull");
  }
}
