// Syntax of the values a stack file gives for reaching its hosts: addresses, ports, users. Pure; no lookups.
import { isIPv4, isIPv6 } from "node:net";

/**
 * Why `address` is not an IPv4 address, an IPv6 address or a host name (RFC 1123: dot-separated labels of letters,
 * digits and inner hyphens, each at most 63 characters, at most 253 in all), or undefined when it is one.
 */
export function addressProblem(address: string): string | undefined {
  if (isIPv4(address) || isIPv6(address)) return undefined;
  if (/^[\d.]+$/.test(address)) return "is not an IPv4 address (four numbers 0-255 joined by dots)";
  if (address.includes(":")) return "is not an IPv6 address (and a host name has no colon; put an SSH port in sshPort)";
  if (address.length > 253) return "is longer than a host name may be (253 characters)";
  const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  const bad = address.split(".").find((part) => !label.test(part));
  if (bad !== undefined) {
    return `is not a host name: ${bad === "" ? "an empty label" : `label "${bad}"`} (labels are letters, digits and inner hyphens)`;
  }
  return undefined;
}

/** Whether `port` is a TCP port number a host can listen on (1-65535). */
export const isPort = (port: number): boolean => Number.isInteger(port) && port >= 1 && port <= 65535;

/**
 * Why `user` is not a login name (POSIX portable: letters, digits, `.`, `_`, `-`, not starting with `-`, at most 32),
 * or undefined.
 */
export function userProblem(user: string): string | undefined {
  if (user.length > 32) return "is longer than a login name may be (32 characters)";
  if (!/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user)) {
    return 'is not a login name (letters, digits, ".", "_" and "-", not starting with "-")';
  }
  return undefined;
}

/**
 * Why the SSH private key is missing or is not a private key, with the command that sets it (for `stack` when given);
 * undefined when it looks right.
 */
export function privateKeyProblem(
  key: string | undefined,
  loginThroughAgent = false,
  stack?: string,
): string | undefined {
  const fix = `set it with \`pulumi config set --secret sshPrivateKey${stack ? ` --stack ${stack}` : ""} < ~/.ssh/id_ed25519\` (the operator's key, OpenSSH or PEM)`;
  // With ssh.agent the key stays in the operator's SSH agent, and sshPrivateKey stays unset (or empty).
  if (key === undefined || key.trim() === "") {
    return loginThroughAgent
      ? undefined
      : `is not set; ${fix}, or log in through your SSH agent: set ssh.agent: true (SSH_AUTH_SOCK where \`pulumi\` runs)`;
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
    return `is not a private key (no "-----BEGIN … PRIVATE KEY-----" line); ${fix}`;
  }
  return undefined;
}
