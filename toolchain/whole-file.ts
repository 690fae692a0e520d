// A file replaced whole or not at all: written beside itself, then renamed over the old one, so a reader never sees
// half of it and a failed write (a full disk, a killed process) leaves the old one as it was.
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Writes `text` to `file` whole. The file keeps its mode when it exists (else gets `mode`), and a symbolic link stays
 * a link: the file it points to is the one replaced.
 */
export function writeFileWhole(file: string, text: string, mode = 0o644): void {
  const exists = fs.existsSync(file);
  const target = exists ? fs.realpathSync(file) : file;
  const kept = exists ? fs.statSync(target).mode & 0o7777 : mode;
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
  try {
    const fd = fs.openSync(temporary, "w", kept);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(temporary, kept); // openSync's mode is masked by the umask; the old file's is not
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
