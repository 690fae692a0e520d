// The shape of a pinned SSH host key: OpenSSH's SHA256 fingerprint as `ssh-keygen -lf` prints it.

/** "SHA256:" and the unpadded base64 of a SHA-256 digest (43 characters). */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** Whether `text` is an SSH SHA256 host key fingerprint. */
export function isFingerprint(text: unknown): text is string {
  return typeof text === "string" && FINGERPRINT_PATTERN.test(text);
}
