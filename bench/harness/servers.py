"""The servers under test, each configured with the same subnet, pool, lease times and options.

Common settings (SETTINGS): subnet 10.0.0.0/8, pool 10.1.0.0-10.254.255.254 (16.6 million
addresses: no step, warm-up or pre-filled store comes near filling it), lease 3600 s, T1 1800 s,
T2 3150 s, options routers, domain-name-servers and domain-name. Per-lease logging is off in
every server (Kea logs at WARN, dnsmasq runs --quiet-dhcp, Leasehold logs no per-lease lines at
INFO), dnsmasq's ping-before-offer is off as the others do none, and nothing else is tuned.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass

from lan import SERVER_ADDRESS
from proc import ServerProcess

SETTINGS = {
    "subnet": "10.0.0.0/8",
    "netmask": "255.0.0.0",
    "pool_first": "10.1.0.0",
    "pool_last": "10.254.255.254",
    "router": SERVER_ADDRESS,
    "dns": "10.0.0.53",
    "domain": "bench.example",
    "valid": 3600,
    "t1": 1800,
    "t2": 3150,
    "subnet_id": 1,
}


@dataclass(frozen=True)
class Server:
    """name: short id; label: for tables; kind: leasehold | kea | dnsmasq; variant: durability or threading."""
    name: str
    label: str
    kind: str
    variant: str

    @property
    def speaks_rfc8357(self):
        """Whether the server answers a relay on the relay's own source port (RFC 8357 sub-option 19).
        `leasehold client --simulate` needs it; dnsmasq 2.90 always answers to port 67."""
        return self.kind != "dnsmasq"


# Kea first: its highest clean rate is the reference at which every later server also runs a step.
ALL = [
    Server("kea-st", "Kea 2.2 memfile, 1 thread", "kea", "single"),
    Server("kea-mt", "Kea 2.2 memfile, multi-threaded", "kea", "multi"),
    Server("leasehold-batch", "Leasehold, journal fsync (batch)", "leasehold", "batch"),
    Server("leasehold-none", "Leasehold, no fsync (none)", "leasehold", "none"),
    Server("dnsmasq", "dnsmasq", "dnsmasq", ""),
]

# Leases in PostgreSQL (issue 14): chosen by name only (--servers), since they need the Debian
# postgresql package; postgres.BenchPostgres runs the database in the server namespace.
PG_SERVERS = [
    Server("kea-pg-st", "Kea 2.2 PostgreSQL, 1 thread", "kea", "pg-single"),
    Server("kea-pg-mt", "Kea 2.2 PostgreSQL, multi-threaded", "kea", "pg-multi"),
    Server("leasehold-pg", "Leasehold, PostgreSQL", "leasehold", "postgresql"),
]

# Replies to the relay paced (relay-reply-pacing: true, off by default; issue 15) and the 1 ms group
# window of earlier defaults: by name only, to measure what each changes.
VARIANTS = [Server("leasehold-paced", "Leasehold, journal fsync, replies paced", "leasehold", "batch-paced"),
            Server("leasehold-window", "Leasehold, journal fsync, 1 ms group window", "leasehold", "batch-window"),
            Server("leasehold-window500", "Leasehold, journal fsync, 500 µs group window", "leasehold", "batch-window500"),
            Server("leasehold-window250", "Leasehold, journal fsync, 250 µs group window", "leasehold", "batch-window250")]

KNOWN = ALL + PG_SERVERS + VARIANTS


def uses_postgres(server):
    return server.variant in ("pg-single", "pg-multi", "postgresql")


def leasehold_config(server, ifname, data_dir, database=None):
    s = SETTINGS
    if database:
        from postgres import PORT, USER
        store = (f"lease-store: {{type: postgresql, url: 'jdbc:postgresql://127.0.0.1:{PORT}/{database}',"
                 f" user: {USER}}}")
    elif server.variant == "batch-paced":
        store = "durability: batch\nrelay-reply-pacing: true"
    elif server.variant.startswith("batch-window"):
        window = {"batch-window": "1ms", "batch-window500": "500us", "batch-window250": "250us"}[server.variant]
        store = f"durability: batch\ngroup-window: {window}"
    else:
        store = f"durability: {server.variant}"
    return f"""# Leasehold under the benchmark ({server.name}); see docs/benchmarks.md
interfaces: [{ifname}]
data-directory: {data_dir}
{store}
valid-lifetime: {s['valid']}
renew-timer: {s['t1']}
rebind-timer: {s['t2']}
options:
  domain-name-servers: [{s['dns']}]
  domain-name: {s['domain']}
subnets:
  - id: {s['subnet_id']}
    subnet: {s['subnet']}
    options: {{routers: {s['router']}}}
    pools:
      - range: {s['pool_first']}-{s['pool_last']}
"""


def kea_config(server, ifname, lease_file, cores, database=None):
    s = SETTINGS
    # Kea's ARM (2.2, "Multi-Threading Settings"): enable it, size the thread pool and the packet
    # queue. One thread per core; the queue at Kea's default of 64: in trial runs here a queue of 7
    # per thread (the ratio of the ARM's memfile tuning figures) dropped perfdhcp's bursts at any rate.
    threading = ({"enable-multi-threading": True, "thread-pool-size": cores, "packet-queue-size": 64}
                 if server.variant in ("multi", "pg-multi") else {"enable-multi-threading": False})
    if database:
        from postgres import PORT, USER
        lease_database = {"type": "postgresql", "name": database, "host": "127.0.0.1", "port": PORT, "user": USER,
                          "password": ""}
    else:
        lease_database = {"type": "memfile", "persist": True, "name": lease_file, "lfc-interval": 0}
    config = {"Dhcp4": {
        "interfaces-config": {"interfaces": [ifname]},
        "lease-database": lease_database,
        "multi-threading": threading,
        "valid-lifetime": s["valid"], "renew-timer": s["t1"], "rebind-timer": s["t2"],
        "option-data": [{"name": "domain-name-servers", "data": s["dns"]},
                        {"name": "domain-name", "data": s["domain"]}],
        "subnet4": [{"id": s["subnet_id"], "subnet": s["subnet"],
                     "pools": [{"pool": f"{s['pool_first']} - {s['pool_last']}"}],
                     "option-data": [{"name": "routers", "data": s["router"]}]}],
        "loggers": [{"name": "kea-dhcp4", "severity": "WARN", "output_options": [{"output": "stdout"}]}],
    }}
    return json.dumps(config, indent=2) + "\n"


def dnsmasq_argv(ifname, work):
    s = SETTINGS
    return ["dnsmasq", "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null", "--port=0",
            "--bind-interfaces", f"--interface={ifname}", "--user=root", "--group=root",
            "--dhcp-authoritative", "--no-ping", "--quiet-dhcp", "--dhcp-lease-max=20000000",
            f"--dhcp-leasefile={work}/dnsmasq.leases", f"--pid-file={work}/dnsmasq.pid",
            f"--dhcp-range={s['pool_first']},{s['pool_last']},{s['netmask']},{s['valid']}",
            f"--dhcp-option=option:router,{s['router']}",
            f"--dhcp-option=option:dns-server,{s['dns']}",
            f"--dhcp-option=option:domain-name,{s['domain']}",
            f"--dhcp-option=option:T1,{s['t1']}", f"--dhcp-option=option:T2,{s['t2']}"]


class Launcher:
    """Writes a server's configuration into a fresh work folder (optionally seeded with a
    pre-filled store) and starts it in the server namespace."""

    def __init__(self, lan, app, work_root, java, leasehold_jvm_options, cores, record):
        self.lan = lan
        self.app = app
        self.work_root = work_root
        self.java = java
        self.jvm_options = leasehold_jvm_options
        self.cores = cores
        self.record = record  # record(kind, argv, files={name: text})
        self.postgres = None  # a postgres.BenchPostgres, set by the bench when a PostgreSQL server runs
        self._runs = 0

    def start(self, server, prefilled=None):
        self._runs += 1
        work = os.path.join(self.work_root, f"{self._runs:02d}-{server.name}")
        if os.path.exists(work):
            shutil.rmtree(work)
        os.makedirs(work)
        ifname = self.lan.server_if
        env = None
        files = {}
        database = None
        if uses_postgres(server):
            database = self.postgres.fresh_database(f"bench_{self._runs:02d}_{server.name.replace('-', '_')}")
            if server.kind == "kea":
                from postgres import PORT, USER
                init = ["kea-admin", "db-init", "pgsql", "-u", USER, "-p", "", "-n", database, "-h", "127.0.0.1",
                        "-P", str(PORT)]
                self.record("kea-admin", init)
                done = subprocess.run(self.lan.in_ns(self.lan.server_ns, init), text=True, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, timeout=120)
                if done.returncode != 0:
                    raise RuntimeError("kea-admin db-init failed:\n" + done.stdout)
        if server.kind == "leasehold":
            data = os.path.join(work, "data")
            if prefilled:
                shutil.copytree(os.path.join(prefilled, "leasehold"), data)
                lock = os.path.join(data, "leases.lock")
                if os.path.exists(lock):
                    os.remove(lock)
            config = os.path.join(work, "leasehold.yaml")
            files[f"{server.name}.yaml"] = leasehold_config(server, ifname, data, database)
            # Kea runs with its loggers at WARN (kea_config), which silences its per-lease lines;
            # the same level here silences Leasehold's event log, so neither writes a line a lease.
            env = {"LEASEHOLD_LOG_LEVEL": "warn"}
            argv = [self.java, "--enable-native-access=ALL-UNNAMED"] + self.jvm_options + [
                "-cp", f"{self.app}/leasehold-cli.jar:{self.app}/lib/*", "dev.leasehold.cli.Main",
                "serve", "--config", config]
        elif server.kind == "kea":
            lease_file = os.path.join(work, "kea-leases4.csv")
            if prefilled:
                shutil.copy(os.path.join(prefilled, "kea-leases4.csv"), lease_file)
            config = os.path.join(work, "kea-dhcp4.json")
            files[f"{server.name}.json"] = kea_config(server, ifname, lease_file, self.cores, database)
            argv = ["kea-dhcp4", "-c", config]
            # Kea names its pid file after the config; keep it (and the lock) in the work folder.
            env = {"KEA_PIDFILE_DIR": work, "KEA_LOCKFILE_DIR": work}
        else:
            if prefilled:
                shutil.copy(os.path.join(prefilled, "dnsmasq.leases"), os.path.join(work, "dnsmasq.leases"))
            config = None
            argv = dnsmasq_argv(ifname, work)
        if config:
            with open(config, "w") as f:
                f.write(next(iter(files.values())))
        full = self.lan.in_ns(self.lan.server_ns, argv)
        self.record("server " + server.name, full, files)
        return ServerProcess(server.name, full, os.path.join(work, "server.log"), env=env)
