"""A throwaway PostgreSQL 15 (Debian's binaries) in the benchmark's server namespace, for the
servers that keep leases in PostgreSQL: Kea's postgresql lease backend and Leasehold's
lease-store postgresql. One cluster for the run, a fresh database per server process, fsync on
(the default: an ACK after a durable COMMIT, as with the journal's batch policy). PostgreSQL
refuses to run as root: the cluster belongs to nobody. Its CPU time (postmaster, sessions and
the sessions that ended) and its WAL syncs (pg_stat_wal) are read per step."""

import os
import shutil
import subprocess
import tempfile

from proc import CLOCK_TICKS

BIN = "/usr/lib/postgresql/15/bin"
PORT = 5433
USER = "leasehold"


def available():
    return os.access(os.path.join(BIN, "initdb"), os.X_OK)


def _ticks(pid, with_children):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    own = int(fields[11]) + int(fields[12])
    return own + (int(fields[13]) + int(fields[14]) if with_children else 0)


class BenchPostgres:
    def __init__(self, lan, record):
        self.lan = lan
        self.record = record
        self.folder = tempfile.mkdtemp(prefix="leasehold-bench-pg-", dir="/tmp")
        os.chmod(self.folder, 0o755)
        self.data = os.path.join(self.folder, "data")
        self.running = False

    def _as_nobody(self, argv, timeout=120):
        full = self.lan.in_ns(self.lan.server_ns, ["runuser", "-u", "nobody", "--"] + argv)
        return subprocess.run(full, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                              check=True, cwd="/tmp").stdout

    def start(self):
        os.makedirs(self.data)
        subprocess.run(["chown", "-R", "nobody", self.folder], check=True)
        self._as_nobody([f"{BIN}/initdb", "-D", self.data, "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C",
                         "--no-instructions"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"listen_addresses = '127.0.0.1'\nport = {PORT}\nunix_socket_directories = '{self.folder}'\n"
                    "max_connections = 100\nshared_buffers = 128MB\n")
        argv = [f"{BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.folder, "server.log"), "-w", "start"]
        self.record("postgresql", argv)
        self._as_nobody(argv)
        self.running = True

    def psql(self, database, sql):
        return self._as_nobody([f"{BIN}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                "-p", str(PORT), "-U", USER, "-d", database, "-c", sql]).strip()

    def fresh_database(self, name):
        self.psql("postgres", f"DROP DATABASE IF EXISTS {name}")
        self.psql("postgres", f"CREATE DATABASE {name}")
        return name

    def postmaster_pid(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def cpu_seconds(self):
        """The postmaster with its ended children, and every live session and background process."""
        root = self.postmaster_pid()
        total = _ticks(root, True)
        children = subprocess.run(["pgrep", "-P", str(root)], text=True, stdout=subprocess.PIPE).stdout.split()
        for pid in children:
            try:
                total += _ticks(int(pid), False)
            except (OSError, ValueError):
                pass
        return total / CLOCK_TICKS

    def wal_syncs(self):
        return int(self.psql("postgres", "SELECT wal_sync FROM pg_stat_wal"))

    def stop(self):
        if self.running:
            subprocess.run(["runuser", "-u", "nobody", "--", f"{BIN}/pg_ctl", "-D", self.data, "-m", "immediate",
                            "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
                           cwd="/tmp")
            self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)
