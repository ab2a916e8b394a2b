#!/usr/bin/env bash
# The Leasehold benchmark: Leasehold (journal with fsync, and without), Kea 2.2 memfile (single-
# and multi-threaded) and dnsmasq, one after another in one run, over a LAN of two network
# namespaces, driven by Kea's perfdhcp and by `leasehold client --simulate`.
#
#   sudo bench/run.sh --quick          # about 10 minutes on 2 cores
#   sudo bench/run.sh                  # the full run, about 40 minutes
#   sudo bench/run.sh --compare        # perfdhcp and dhcpgen side by side, 3 rounds (issue 15)
#
# Results: bench/results/<date>-<time>-<profile>/ (results.md, plot.svg, results.json,
# commands.txt, configs/, raw/). What the numbers mean: docs/benchmarks.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

usage() {
  cat <<'USAGE'
usage: bench/run.sh [--quick] [--servers a,b] [--scenarios a,b] [--no-build] [--out DIR]
       bench/run.sh --compare [--rounds N] [--servers a,b] [--perfdhcp-rates r,r] [--dhcpgen-rates r,r]
                    [--step S] [--warmup S] [--no-build] [--out DIR]

  --quick        short steps (3 s), 30,000 renewals, one step against the 1,000,000-lease store
  --servers      any of leasehold-batch,leasehold-none,kea-st,kea-mt,dnsmasq (default: all installed)
  --scenarios    any of dora,simulate,renew,store (default: all)
  --no-build     use the jars already in cli/target and bench/target
  --out DIR      where the results go (default: bench/results/<date>-<time>-<profile>)

  --compare          both relay generators, perfdhcp and dhcpgen (bench/dhcpgen/), against each server,
                     the servers interleaved round by round (default servers: leasehold-batch,kea-st)
  --rounds N         rounds (default 3)
  --perfdhcp-rates   perfdhcp steps, DORA/s (default 7000,8000,10000,12000; none: no perfdhcp steps)
  --dhcpgen-rates    dhcpgen steps, DORA/s (default 8000,16000,24000,32000,40000; none: no dhcpgen steps)
  --step S           seconds per step (default 10)
  --warmup S         seconds of warm-up (at 3,000 DORA/s, by the step's generator) for each fresh server (default 10)

Needs root (network namespaces), perfdhcp (Debian kea-admin), and for the reference servers
kea-dhcp4 (kea-dhcp4-server) and dnsmasq; --compare also a C compiler (cc) for dhcpgen. Environment: LEASEHOLD_JVM_OPTS (default: scripts/server-jvm-options, the busy-server setting).
USAGE
}

given="$*"
profile=full servers="" scenarios="dora,simulate,renew,store" build=1 out=""
compare_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) profile=quick ;;
    --compare) profile=compare; compare_args+=(--compare) ;;
    --rounds|--perfdhcp-rates|--dhcpgen-rates|--step|--warmup)
      [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
      compare_args+=("$1" "$2"); shift ;;
    --servers) servers="$2"; shift ;;
    --scenarios) scenarios="$2"; shift ;;
    --no-build) build=0 ;;
    --out) out="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ "$profile" = compare ]; then
  servers="${servers:-leasehold-batch,kea-st}"
elif [ ${#compare_args[@]} -gt 0 ]; then
  echo "${compare_args[0]} belongs to --compare" >&2; exit 2
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "bench/run.sh builds network namespaces and a veth pair, which needs root." >&2
  echo "Please run it as root, e.g.: sudo $0 $given" >&2
  exit 1
fi
missing=""
for tool in ip perfdhcp; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
[ "$profile" = compare ] && { command -v cc >/dev/null || missing="$missing cc"; }
python=/usr/bin/python3; [ -x "$python" ] || python="$(command -v python3 || true)"
[ -n "$python" ] || missing="$missing python3"
if [ -n "$missing" ]; then
  echo "missing:$missing (perfdhcp is in Debian's kea-admin package; ip in iproute2)" >&2
  exit 1
fi

source "$repo/scripts/java-home.sh"
cd "$repo"
if [ "$build" = 1 ]; then
  echo "building Leasehold (cli and bench) ..."
  # Offline first: a machine that has built once has every dependency already. `package` is
  # enough: the jars are taken from cli/target and bench/target, nothing from ~/.m2.
  ./mvnw -q -B -o -DskipTests -pl cli,bench -am package >/dev/null 2>&1 \
    || ./mvnw -q -B -DskipTests -pl cli,bench -am package
fi
if [ "$profile" = compare ]; then
  # The C load generator (bench/dhcpgen/README.md): a second of compiling, so always rebuilt.
  mkdir -p bench/target
  cc -O2 -Wall -o bench/target/dhcpgen bench/dhcpgen/dhcpgen.c
fi
for f in cli/target/leasehold-cli.jar bench/target/benchmarks.jar; do
  [ -f "$f" ] || { echo "$f is missing: run without --no-build" >&2; exit 1; }
done

stamp="$(date -u +%Y-%m-%d-%H%M)"
out="${out:-$here/results/$stamp-$profile}"
work="$(mktemp -d /var/tmp/leasehold-bench-XXXXXX)"
cleanup() {
  # The harness removes its LAN itself; this is the backstop for a harness that died abruptly.
  for ns in "lhbench-$$-srv" "lhbench-$$-gen"; do
    if ip netns list | grep -qw "^$ns"; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns delete "$ns" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A snapshot of the jars: other builds in this tree during the run must not change what is measured.
mkdir -p "$work/app"
cp cli/target/leasehold-cli.jar bench/target/benchmarks.jar "$work/app/"
cp -r cli/target/lib "$work/app/lib"
[ "$profile" = compare ] && cp bench/target/dhcpgen "$work/app/"
version="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git status --porcelain 2>/dev/null | grep -v '^??' | wc -l || true)"
[ "$dirty" != 0 ] && version="$version (working tree with $dirty uncommitted changes)"

export PYTHONDONTWRITEBYTECODE=1
echo "results will be written to $out"
if [ "$profile" = compare ]; then
  "$python" "$here/harness/bench.py" "${compare_args[@]}" --servers "$servers" --dhcpgen "$work/app/dhcpgen" \
    --out "$out" --work "$work" --app "$work/app" --java-home "$JAVA_HOME" \
    ${LEASEHOLD_JVM_OPTS:+--leasehold-jvm="$LEASEHOLD_JVM_OPTS"} --leasehold-version "$version" \
    --command-line "bench/run.sh $given" --owner-pid $$
  exit $?
fi
"$python" "$here/harness/bench.py" --profile "$profile" ${servers:+--servers "$servers"} \
  --scenarios "$scenarios" --out "$out" --work "$work" --app "$work/app" --java-home "$JAVA_HOME" \
  ${LEASEHOLD_JVM_OPTS:+--leasehold-jvm="$LEASEHOLD_JVM_OPTS"} --leasehold-version "$version" \
  --command-line "bench/run.sh $( [ $profile = quick ] && echo --quick )${servers:+ --servers $servers}" \
  --owner-pid $$
