// The fake host commands' thin client: a Perl script (the shim itself, in the host's /usr/local/bin) that sends its
// argv, pid and environment to the host's daemon, which runs the tool (sim/host/tool-server.ts, wire format in
// sim/host/tool-wire.ts), and writes what comes back to its own stdout and stderr as it comes, then exits with the
// tool's status. Perl because it is on every Debian machine (perl-base is Essential) and starts in about 2 ms of
// CPU without modules (none is loaded: socket, connect, sysread, syswrite and exec are built in), against 60–80 ms
// for a Node process. A client that is killed closes its connection: the daemon then stops the tool's work.

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

/** The shim's text. */
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
