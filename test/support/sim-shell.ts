// A simulated host's SSH login, as the providers make it: its address, port, pinned host key and the cluster's key.
import { sshShell, type RemoteShell, type SshTarget } from "../../remote/ssh";
import type { Cluster } from "../../sim";

/** The SSH target of host `name` of `cluster`, with the cluster's user and private key. */
export function simTarget(cluster: Cluster, name: string): SshTarget {
  const host = cluster.host(name);
  return {
    name,
    address: host.address,
    port: host.sshPort,
    user: cluster.userKey.user,
    privateKey: cluster.userKey.privateKey,
    hostKeyFingerprint: host.hostKeyFingerprint,
  };
}

/** A remote shell on host `name` of `cluster`. */
export function simShell(cluster: Cluster, name: string): RemoteShell {
  return sshShell(simTarget(cluster, name));
}
