"""The benchmark's LAN: two network namespaces joined by one veth pair.

    ns lhbench-<pid>-srv  [lhb<pid>s 10.0.0.1/8] ---- veth ---- [lhb<pid>g 10.0.0.2/8]  ns lhbench-<pid>-gen

The server runs in -srv, the load generators in -gen. The generators act as a DHCP relay whose
giaddr (10.0.0.2) lies inside the served subnet, so every server selects the subnet from it
(RFC 2131 §4.3.1). 10.0.0.0/8 is private (RFC 1918) and exists only inside these namespaces:
no packet reaches the host's network. Everything is removed by close(), also after a failure;
remove_stale() removes what an earlier run left behind when it was killed with SIGKILL.
"""

import os
import re
import subprocess

PREFIX = "lhbench-"
SERVER_ADDRESS = "10.0.0.1"
GENERATOR_ADDRESS = "10.0.0.2"
PREFIX_LENGTH = 8


def run(command, timeout=20, check=True, **kwargs):
    """Runs a command to completion (bounded by timeout) and returns the CompletedProcess."""
    return subprocess.run(command, timeout=timeout, check=check, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)


def remove_stale():
    """Deletes lhbench-<pid>-* namespaces whose run (pid) no longer exists; returns their names."""
    listed = run(["ip", "netns", "list"], check=False).stdout
    removed = []
    for line in listed.splitlines():
        name = line.split()[0] if line.strip() else ""
        match = re.fullmatch(PREFIX + r"(\d+)-\w+", name)
        if match and not os.path.exists("/proc/" + match.group(1)):
            _delete_namespace(name)
            removed.append(name)
    return removed


def _delete_namespace(name):
    # Anything still running inside would keep the veth alive: kill it first.
    pids = run(["ip", "netns", "pids", name], check=False).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), 9)
        except (ProcessLookupError, ValueError):
            pass
    run(["ip", "netns", "delete", name], check=False)


class Lan:
    """Builds the two namespaces and the veth pair; a context manager that always tears down."""

    def __init__(self, owner_pid=None):
        pid = owner_pid or os.getpid()
        self.server_ns = f"{PREFIX}{pid}-srv"
        self.generator_ns = f"{PREFIX}{pid}-gen"
        self.server_if = f"lhb{pid}s"
        self.generator_if = f"lhb{pid}g"
        self._made = []

    def __enter__(self):
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _build(self):
        for ns in (self.server_ns, self.generator_ns):
            run(["ip", "netns", "add", ns])
            self._made.append(ns)
            run(["ip", "-n", ns, "link", "set", "lo", "up"])
            # No IPv6: router solicitations and DAD would only add noise.
            self.exec(ns, ["sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6"])
        run(["ip", "link", "add", self.server_if, "netns", self.server_ns, "type", "veth",
             "peer", "name", self.generator_if, "netns", self.generator_ns])
        for ns, ifname, address in ((self.server_ns, self.server_if, SERVER_ADDRESS),
                                    (self.generator_ns, self.generator_if, GENERATOR_ADDRESS)):
            run(["ip", "-n", ns, "addr", "add", f"{address}/{PREFIX_LENGTH}", "dev", ifname])
            run(["ip", "-n", ns, "link", "set", ifname, "up"])
        ping = self.exec(self.generator_ns, ["ping", "-c", "1", "-W", "2", SERVER_ADDRESS], check=False)
        if ping.returncode != 0:
            raise RuntimeError("the benchmark LAN does not pass traffic:\n" + ping.stdout)

    def exec(self, ns, command, timeout=20, check=True):
        return run(["ip", "netns", "exec", ns] + list(command), timeout=timeout, check=check)

    def in_ns(self, ns, command):
        """The argv that runs command inside ns (ip netns exec execs it: the pid stays the command's)."""
        return ["ip", "netns", "exec", ns] + list(command)

    def udp_counters(self, ns):
        """The namespace's UDP counters from /proc/net/snmp (RFC 4113 names): RcvbufErrors counts
        datagrams dropped because a socket's receive buffer was full."""
        text = self.exec(ns, ["cat", "/proc/net/snmp"]).stdout
        rows = [l.split()[1:] for l in text.splitlines() if l.startswith("Udp:")]
        return dict(zip(rows[0], (int(v) for v in rows[1]))) if len(rows) >= 2 else {}

    def close(self):
        for ns in reversed(self._made):
            _delete_namespace(ns)
        self._made.clear()

    def describe(self):
        return (f"namespaces {self.server_ns} ({self.server_if} {SERVER_ADDRESS}/{PREFIX_LENGTH}) and "
                f"{self.generator_ns} ({self.generator_if} {GENERATOR_ADDRESS}/{PREFIX_LENGTH}), one veth pair")
