"""A server process started inside the LAN, and what /proc says about its CPU time and memory."""

import os
import signal
import subprocess
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime + cutime + cstime of pid (proc(5) fields 14-17), in seconds.

    Threads are included (Kea's thread pool, the JVM's GC and JIT threads); children that were
    waited for are included through cutime/cstime (dnsmasq's helper, Kea's lease-file cleanup).
    """
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    # The command name (field 2) may hold spaces; it ends at the last ')'.
    fields = stat[stat.rindex(")") + 2:].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime + cutime + cstime) / CLOCK_TICKS


def rss_megabytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class ServerProcess:
    """A long-running server; its output goes to a log file. stop() is bounded and idempotent."""

    def __init__(self, name, argv, log_path, env=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self._popen = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env=None if env is None else {**os.environ, **env},
                                       start_new_session=True)
        self.started_at = time.monotonic()

    @property
    def pid(self):
        return self._popen.pid

    def alive(self):
        return self._popen.poll() is None

    def cpu_seconds(self):
        return cpu_seconds(self.pid)

    def rss_megabytes(self):
        return rss_megabytes(self.pid)

    def log_tail(self, lines=20):
        self._log.flush()
        with open(self.log_path, "rb") as f:
            return b"".join(f.readlines()[-lines:]).decode(errors="replace")

    def stop(self, grace=5.0):
        """SIGTERM, then SIGKILL after grace seconds; the process runs in its own session, so Ctrl-C
        on the terminal does not reach it before the harness decides to stop it."""
        if self._popen.poll() is None:
            try:
                self._popen.send_signal(signal.SIGTERM)
                self._popen.wait(grace)
            except subprocess.TimeoutExpired:
                self._popen.kill()
                self._popen.wait(5)
            except ProcessLookupError:
                pass
        self._log.close()


class CpuSampler:
    """Samples a process's CPU seconds every interval on a thread, for attributing CPU to a phase
    of a run whose boundaries are known only afterwards (the renewal phase of --simulate --renew)."""

    def __init__(self, pid, interval=0.05):
        self._pid = pid
        self._interval = interval
        self.samples = []  # (monotonic seconds, cpu seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(2)
        return False

    def _run(self):
        while not self._stop.is_set():
            try:
                self.samples.append((time.monotonic(), cpu_seconds(self._pid)))
            except (FileNotFoundError, ProcessLookupError):
                return
            self._stop.wait(self._interval)

    def cpu_between(self, start, end):
        """CPU seconds spent between two monotonic times (nearest samples at or outside them)."""
        return self.cpu_and_span_between(start, end)[0]

    def cpu_and_span_between(self, start, end):
        """(CPU seconds, seconds between the two samples they were taken from) for a window given by
        two monotonic times; the samples are the nearest at or outside it."""
        before = [(t, c) for t, c in self.samples if t <= start]
        after = [(t, c) for t, c in self.samples if t >= end]
        first = before[-1] if before else (self.samples[0] if self.samples else (start, 0.0))
        last = after[0] if after else (self.samples[-1] if self.samples else (end, 0.0))
        return last[1] - first[1], last[0] - first[0]
