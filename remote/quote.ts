// Turns an argv into one POSIX shell command line that no argument can escape from.

/** Characters that never need quoting in a POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one argument for a POSIX shell: safe words stay as they are, everything else is wrapped in
 * single quotes, inside which the shell interprets nothing; a single quote becomes '\'' .
 */
export function shellQuote(arg: string): string {
  if (arg !== "" && SAFE_WORD.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs exactly `argv` (argv[0] is the program). */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("commandLine: argv is empty; pass at least the program name");
  return argv.map(shellQuote).join(" ");
}

/** Replaces every occurrence of each secret in `text` with "[secret]" (for logs and error messages). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[secret]");
  }
  return out;
}
