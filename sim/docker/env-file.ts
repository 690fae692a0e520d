// `docker run --env-file`: the client reads each file itself (the daemon only ever sees the resulting Env list), as
// ParseEnvFile in docker/docker opts/envfile.go (1.7–1.13) does, and Docker's CLI reference documents: one variable
// a line "VAR=VAL" with VAL taken verbatim (no quotes removed, no trimming), lines starting with "#" and empty lines
// skipped, leading whitespace of a line ignored, a bare "VAR" taken from the client's own environment. Every file is
// read before the -e/--env values, which therefore win.

/** A line Docker refuses, with the CLI's own text ("poorly formatted environment: …"). */
export class EnvFileError extends Error {
  override readonly name = "EnvFileError";
}

const WHITESPACE = /[ \t\n\v\f\r]/;
const UTF8_BOM = "\uFEFF";

/** The "VAR=VAL" entries of an env file's `text`; `lookup` reads the client's environment for a bare "VAR". */
export function parseEnvFile(text: string, lookup: (name: string) => string | undefined): string[] {
  const entries: string[] = [];
  // bufio.ScanLines: lines end at "\n", a "\r" before it is dropped; a last line without "\n" still counts.
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((raw, i) => {
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (i === 0 && line.startsWith(UTF8_BOM)) line = line.slice(UTF8_BOM.length);
    line = line.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const variable = eq < 0 ? line : line.slice(0, eq);
    if (WHITESPACE.test(variable)) {
      throw new EnvFileError(`poorly formatted environment: variable '${variable}' has white spaces`);
    }
    if (eq >= 0) entries.push(`${variable}=${line.slice(eq + 1)}`);
    else entries.push(`${variable.trim()}=${lookup(variable) ?? ""}`);
  });
  return entries;
}
