// A forwarded channel through a host's SSH connection (ssh2 forwardOut, OpenSSH's direct-tcpip): reaching a port
// that only the host itself may open, with nothing but SSH open to the operator.
import type { Duplex } from "node:stream";
import { RemoteConnectError } from "./errors";
import { labelOf, sshConnection, type SshTarget } from "./ssh";

/** A byte stream to `address:port` as the host `target` connects to it (e.g. its own Mesos master). */
export async function forwardedChannel(target: SshTarget, address: string, port: number): Promise<Duplex> {
  const client = await sshConnection(target);
  return new Promise((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, address, port, (error, stream) => {
      if (error) {
        reject(
          new RemoteConnectError(
            labelOf(target),
            `sshd refused to forward a channel to ${address}:${port} (${error.message}); allow it (AllowTcpForwarding yes in the host's sshd_config) or set http.via: direct`,
            false,
          ),
        );
      } else resolve(stream);
    });
  });
}
