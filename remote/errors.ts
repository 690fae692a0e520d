// What can go wrong talking to a host, each naming the host and what to do about it.

/** The host could not be reached or refused us (network, authentication, host key). */
export class RemoteConnectError extends Error {
  override readonly name: string = "RemoteConnectError";
  constructor(
    /** "name (address:port)" of the host. */
    readonly host: string,
    message: string,
    /** Whether another attempt may succeed (refused, reset, timed out), as opposed to a wrong key or fingerprint. */
    readonly transient: boolean,
  ) {
    super(`${host}: ${message}`);
  }
}

/** The host presented another host key than the pinned one: possibly another machine. */
export class HostKeyMismatchError extends RemoteConnectError {
  override readonly name = "HostKeyMismatchError";
  constructor(
    host: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      host,
      `host key ${actual} does not match the pinned ${expected}; if the host was reinstalled, check its key (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host) and update hostKeyFingerprint`,
      false,
    );
  }
}

/** `ssh.sudo` is on but sudo asks this user for a password: every command would fail at the prompt. */
export class SudoPasswordError extends Error {
  override readonly name = "SudoPasswordError";
  constructor(
    readonly host: string,
    readonly user: string,
    said: string,
  ) {
    super(
      `${host}: \`sudo -n true\` failed for user "${user}" (${said}): sudo needs a password, and commands run without a terminal. ` +
        `Give ${user} a NOPASSWD sudo rule for the commands this project runs (e.g. \`${user} ALL=(root) NOPASSWD: ALL\` in /etc/sudoers.d/mesos-upgrade), or log in as root (ssh.user: root, ssh.sudo: false)`,
    );
  }
}

/** A remote command exited non-zero. */
export class RemoteCommandError extends Error {
  override readonly name = "RemoteCommandError";
  constructor(
    readonly host: string,
    /** The command line as run, with secrets redacted. */
    readonly command: string,
    readonly exitCode: number | null,
    /** The last lines of the command's stderr (redacted). */
    readonly stderrTail: string,
  ) {
    super(
      `${host}: \`${command}\` failed with exit code ${exitCode ?? "(killed by signal)"}${stderrTail ? `: ${stderrTail}` : " and no output on stderr"}`,
    );
  }
}

/** A remote command did not finish in time. */
export class RemoteTimeoutError extends Error {
  override readonly name = "RemoteTimeoutError";
  constructor(
    readonly host: string,
    readonly command: string,
    readonly timeoutSeconds: number,
  ) {
    super(
      `${host}: \`${command}\` did not finish within ${timeoutSeconds}s; raise the command timeout (ssh.commandTimeoutSeconds) or check the host`,
    );
  }
}

/** The last `lines` non-empty lines of `text`, joined with " | " so an error stays on one line. */
export function tail(text: string, lines = 5): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "")
    .slice(-lines)
    .join(" | ");
}

/**
 * A service answered, but refused us for how the stack is set up (wrong HTTP credentials, a certificate the stack
 * does not trust): retrying cannot help, so reads report it instead of "no answer". Names the config key and the fix.
 */
export class HttpRefusedError extends Error {
  override readonly name = "HttpRefusedError";
}
