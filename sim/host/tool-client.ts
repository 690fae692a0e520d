// The fake host commands' thin client (the shim itself, in the host's /usr/local/bin): it sends its argv, pid and
// environment to the host's daemon, which runs the tool (sim/host/tool-server.ts, wire format in
// sim/host/tool-wire.ts), writes what comes back to its own stdout and stderr as it comes, then exits with the tool's
// status. A client that is killed closes its connection: the daemon then stops the tool's work.
// Two builds of the same client: a small C program, compiled once per machine (sim/host/tool-client-build.ts) and
// copied per host and tool with its settings written into it (toolClientBinary), which starts in about 0.3 ms of CPU;
// and a Perl script, for a machine without a C compiler: perl-base is Essential on Debian, and it starts in about
// 2 ms without modules (socket, connect, sysread, syswrite and exec are built in), against 60–80 ms for a Node process.
// A host's read runs four or five `docker` commands: the C client took a third off a simulated host's CPU per read.

/** What a shim sets before it asks the daemon. */
export interface ToolClientOptions {
  readonly tool: string;
  /** The tool socket as the host's shell sees it. */
  readonly socket: string;
  /** Exported to the tool's environment as the shims always did. */
  readonly control: string;
  readonly host: string;
  /** DOCKER_HOST when the environment has none (hosts without isolation). */
  readonly dockerHost?: string;
}

function perlString(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Where the C client's settings are, in its compiled file: this mark, then room for CONFIG_BYTES bytes in all. */
export const CONFIG_MARK = "@@SIM-TOOL-CONFIG@@";
export const CONFIG_BYTES = 4096;

/**
 * The C client's source: the same requests and frames as the Perl script's, the same messages. Its settings are
 * NUL-terminated fields at CONFIG_MARK (tool, socket, control, host, Docker host or empty), written by
 * toolClientBinary into each copy, so a command reads no file before it asks the daemon.
 */
export const TOOL_CLIENT_C = String.raw`/* Simulated host command (sim/host/tool-client.ts): the host's daemon runs it; this client relays its output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;
static volatile const char config[${CONFIG_BYTES}] = "${CONFIG_MARK}";
static const char *tool;

static void fail(const char *what, int err) {
  if (err) dprintf(2, "%s: %s: %s\n", tool, what, strerror(err));
  else dprintf(2, "%s: %s\n", tool, what);
  exit(1);
}

static void put(int fd, const char *data, size_t len) {
  while (len) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) exit(1);
    data += n;
    len -= (size_t)n;
  }
}

struct buffer { char *bytes; size_t len, cap; };

static void append(struct buffer *b, const char *data, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->bytes = realloc(b->bytes, b->cap);
    if (!b->bytes) fail("out of memory", 0);
  }
  memcpy(b->bytes + b->len, data, n);
  b->len += n;
}

static void field(struct buffer *b, const char *text, int first) {
  if (!first) append(b, "", 1);
  append(b, text, strlen(text));
}

int main(int argc, char **argv) {
  /* Read through the volatile array, so that the compiler never takes its initial text for its content. */
  static char text[sizeof config];
  for (size_t i = 0; i < sizeof config; i++) text[i] = config[i];
  text[sizeof config - 1] = 0;
  const char *settings[5];
  const char *at = text;
  for (int i = 0; i < 5; i++) {
    settings[i] = at;
    at += strlen(at) + 1;
  }
  tool = settings[0];
  const char *path = settings[1];
  setenv("SIM_CONTROL", settings[2], 1);
  setenv("SIM_HOST", settings[3], 1);
  const char *docker = getenv("DOCKER_HOST");
  if (*settings[4] && (!docker || !*docker)) setenv("DOCKER_HOST", settings[4], 1);
  setenv("SIM_ARGV0", argv[0], 1);

  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, path, sizeof address.sun_path - 1);
  if (s < 0 || connect(s, (struct sockaddr *)&address, sizeof address) < 0) {
    char what[256];
    snprintf(what, sizeof what, "the host daemon is not reachable at %s", path);
    fail(what, errno);
  }
  struct buffer request = {0};
  char number[32];
  field(&request, tool, 1);
  snprintf(number, sizeof number, "%d", (int)getpid());
  field(&request, number, 0);
  snprintf(number, sizeof number, "%d", argc - 1);
  field(&request, number, 0);
  for (int i = 1; i < argc; i++) field(&request, argv[i], 0);
  for (char **entry = environ; *entry; entry++) field(&request, *entry, 0);
  snprintf(number, sizeof number, "%zu\n", request.len);
  put(s, number, strlen(number));
  put(s, request.bytes, request.len);

  struct buffer in = {0};
  for (;;) {
    for (;;) {
      if (in.len < 2) break;
      char type = in.bytes[0];
      if (!strchr("oexr", type)) fail("the host daemon sent no frame", 0);
      size_t i = 1, len = 0;
      while (i < in.len && in.bytes[i] >= '0' && in.bytes[i] <= '9') len = len * 10 + (size_t)(in.bytes[i++] - '0');
      if (i >= in.len) break;
      if (in.bytes[i] != '\n') fail("the host daemon sent no frame", 0);
      size_t head = i + 1;
      if (in.len < head + len) break;
      char *data = in.bytes + head;
      if (type == 'o') put(1, data, len);
      else if (type == 'e') put(2, data, len);
      else {
        data[len] = 0; /* append keeps a byte free past the data */
        if (type == 'x') exit(atoi(data));
        int from = atoi(data) + 1;
        const char *program = from < argc ? argv[from] : "";
        if (from < argc) execvp(program, argv + from);
        int err = from < argc ? errno : ENOENT;
        if (err == ENOENT) {
          dprintf(2, "sudo: %s: command not found\n", program);
          exit(1);
        }
        dprintf(2, "sudo: %s: %s\n", program, strerror(err));
        exit(126);
      }
      memmove(in.bytes, in.bytes + head + len, in.len - head - len);
      in.len -= head + len;
    }
    char chunk[65536];
    ssize_t n = read(s, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) fail("the host daemon closed the connection", 0);
    if (n < 0) fail("reading from the host daemon", errno);
    append(&in, chunk, (size_t)n);
  }
}
`;

/**
 * A copy of the compiled C client (`template`) with `options` written at its settings mark (pure). Throws when the
 * file has no mark or the settings do not fit.
 */
export function toolClientBinary(template: Buffer, options: ToolClientOptions): Buffer {
  const at = template.indexOf(CONFIG_MARK);
  if (at < 0) throw new Error(`the compiled tool client has no ${CONFIG_MARK} mark: build it from TOOL_CLIENT_C`);
  const fields = [options.tool, options.socket, options.control, options.host, options.dockerHost ?? ""];
  if (fields.some((f) => f.includes("\0"))) throw new Error("a tool client setting holds a NUL byte");
  const settings = Buffer.from(`${fields.join("\0")}\0`);
  if (settings.length > CONFIG_BYTES) {
    throw new Error(`the tool client's settings take ${settings.length} bytes, more than its ${CONFIG_BYTES}`);
  }
  const copy = Buffer.from(template);
  copy.fill(0, at, at + CONFIG_BYTES);
  settings.copy(copy, at);
  return copy;
}

/** The shim's text (the Perl build). */
export function toolClientScript(options: ToolClientOptions): string {
  const tool = perlString(options.tool);
  return `#!/usr/bin/perl
# Simulated host command (sim/host/tool-client.ts): the host's daemon runs it; this client relays its output.
$ENV{SIM_CONTROL} = ${perlString(options.control)};
$ENV{SIM_HOST} = ${perlString(options.host)};
${options.dockerHost ? `$ENV{DOCKER_HOST} = ${perlString(options.dockerHost)} unless length($ENV{DOCKER_HOST} // '');\n` : ""}$ENV{SIM_ARGV0} = $0;
my $tool = ${tool};
my $path = ${perlString(options.socket)};
sub put {
  my ($fh, $data) = @_;
  while (length $data) {
    my $n = syswrite($fh, $data);
    exit 1 unless defined $n;
    substr($data, 0, $n) = '';
  }
}
sub fail { print STDERR "$tool: $_[0]\\n"; exit 1 }
socket(S, 1, 1, 0) && connect(S, pack('S a108', 1, $path)) or fail("the host daemon is not reachable at $path: $!");
my $req = join("\\0", $tool, $$, scalar(@ARGV), @ARGV, map { "$_=$ENV{$_}" } keys %ENV);
put(\\*S, length($req) . "\\n" . $req);
my $buf = '';
for (;;) {
  while ($buf =~ /\\A([oexr])(\\d+)\\n/) {
    my ($type, $len, $head) = ($1, $2, length($1) + length($2) + 1);
    last if length($buf) < $head + $len;
    my $data = substr($buf, $head, $len);
    substr($buf, 0, $head + $len) = '';
    if ($type eq 'o') { put(\\*STDOUT, $data) }
    elsif ($type eq 'e') { put(\\*STDERR, $data) }
    elsif ($type eq 'x') { exit $data }
    else {
      my @command = @ARGV[$data .. $#ARGV];
      exec { $command[0] } @command;
      my $code = $! + 0;
      print STDERR $code == 2 ? "sudo: $command[0]: command not found\\n" : "sudo: $command[0]: $!\\n";
      exit($code == 2 ? 1 : 126);
    }
  }
  my $n = sysread(S, $buf, 65536, length $buf);
  fail(defined $n ? 'the host daemon closed the connection' : "reading from the host daemon: $!") unless $n;
}
`;
}
