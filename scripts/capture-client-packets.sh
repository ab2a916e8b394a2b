#!/usr/bin/env bash
# Re-creates wire/src/test/resources/captured/*.hex: real DHCPv4 packets from dhclient, udhcpc and
# dhcpcd talking to Kea, captured on a throw-away LAN of network namespaces.
#
# Usage (as root, Debian packages isc-dhcp-client udhcpc dhcpcd-base kea-dhcp4-server tshark):
#   scripts/capture-client-packets.sh [OUTPUT_DIR]
#
# The LAN: namespace <lab>-br holds the bridges; <lab>-srv holds Kea on 192.0.2.1/24 (TEST-NET-1,
# routes nowhere); <lab>-c1..3 hold one client each, on an unaddressed veth with its own MAC.
# A second LAN, 198.51.100.0/24 (TEST-NET-2), sits behind ISC dhcrelay in <lab>-rly (adding
# option 82) with udhcpc in <lab>-c4, for relayed packets. dhclient starts with a planted lease
# for 203.0.113.5 (TEST-NET-3), so its INIT-REBOOT request draws a NAK first. Every namespace, process and temp
# file is removed on exit, also when a step fails. Traffic never leaves these namespaces.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
out_dir=${1:-$repo_root/wire/src/test/resources/captured}

die() { echo "capture: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces)"
for b in ip kea-dhcp4 dhclient udhcpc dhcpcd dhcrelay tcpdump tshark; do
  command -v "$b" >/dev/null || die "missing binary: $b"
done

# Unique per run so that parallel or leftover runs never collide; interface names stay <= 15 chars.
sfx=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
lab="lhcap-$sfx"
ns_br="$lab-br" ns_srv="$lab-srv"
if_srv="ls${sfx}s"        # server end, in ns_srv
# One namespace per client, told apart in the capture by MAC. dhcpcd names its pid and lease
# files after the interface, so interface names carry the run's suffix too.
declare -A ns_of=([dhclient]="$lab-c1" [udhcpc]="$lab-c2" [dhcpcd]="$lab-c3" [relayed]="$lab-c4")
declare -A if_of=([dhclient]="lc${sfx}1" [udhcpc]="lc${sfx}2" [dhcpcd]="lc${sfx}3" [relayed]="lc${sfx}4")
declare -A mac_of=([dhclient]=02:00:00:00:00:01 [udhcpc]=02:00:00:00:00:02 [dhcpcd]=02:00:00:00:00:03
                   [relayed]=02:00:00:00:00:04)
ns_rly="$lab-rly" if_up="lr${sfx}a" if_down="lr${sfx}b"
work=$(mktemp -d /tmp/lhcap.XXXXXX)
pids=()

cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.3
  for ns in "${ns_of[@]}" "$ns_rly" "$ns_srv" "$ns_br"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
    rm -rf "/etc/netns/$ns"
  done
  rm -f "/run/dhcpcd/${if_of[dhcpcd]}".* "/var/lib/dhcpcd/${if_of[dhcpcd]}".* 2>/dev/null
  if [[ -n ${KEEP_WORK:-} ]]; then echo "capture: work files kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Foreground only: started with `&`, the function would background a subshell, and $! would not
# be the process to signal. Background starts call `ip netns exec` (which execs) directly.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Bounded wait: wait_for SECONDS DESCRIPTION COMMAND...
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || die "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

build_lan() {
  for ns in "$ns_br" "$ns_srv" "$ns_rly" "${ns_of[@]}"; do
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
  done
  in_ns "$ns_br" ip link add br0 type bridge
  in_ns "$ns_br" ip link set br0 up
  in_ns "$ns_br" ip link add br1 type bridge
  in_ns "$ns_br" ip link set br1 up
  ip link add "$if_srv" netns "$ns_srv" type veth peer name "p$if_srv" netns "$ns_br"
  in_ns "$ns_br" ip link set "p$if_srv" master br0 up
  in_ns "$ns_srv" ip addr add 192.0.2.1/24 dev "$if_srv"
  in_ns "$ns_srv" ip link set "$if_srv" up
  for c in dhclient udhcpc dhcpcd relayed; do
    local ns=${ns_of[$c]} ifc=${if_of[$c]} br=br0
    [[ $c == relayed ]] && br=br1
    # The clients' scripts write /etc/resolv.conf; `ip netns exec` bind-mounts this file over it.
    mkdir -p "/etc/netns/$ns" && : > "/etc/netns/$ns/resolv.conf"
    ip link add "$ifc" netns "$ns" address "${mac_of[$c]}" type veth peer name "p$ifc" netns "$ns_br"
    in_ns "$ns_br" ip link set "p$ifc" master "$br" up
    in_ns "$ns" ip link set "$ifc" up
  done
  # The relay: one leg on each LAN; it routes, so the relayed client's unicast RELEASE gets through.
  ip link add "$if_up" netns "$ns_rly" type veth peer name "p$if_up" netns "$ns_br"
  ip link add "$if_down" netns "$ns_rly" type veth peer name "p$if_down" netns "$ns_br"
  in_ns "$ns_br" ip link set "p$if_up" master br0 up
  in_ns "$ns_br" ip link set "p$if_down" master br1 up
  in_ns "$ns_rly" ip addr add 192.0.2.2/24 dev "$if_up"
  in_ns "$ns_rly" ip addr add 198.51.100.1/24 dev "$if_down"
  in_ns "$ns_rly" ip link set "$if_up" up
  in_ns "$ns_rly" ip link set "$if_down" up
  in_ns "$ns_rly" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
  in_ns "$ns_srv" ip route add 198.51.100.0/24 via 192.0.2.2
}

start_kea() {
  cat > "$work/kea-dhcp4.json" <<EOF
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$if_srv" ] },
    "lease-database": { "type": "memfile", "persist": true, "name": "$work/kea-leases4.csv", "lfc-interval": 0 },
    "valid-lifetime": 60, "renew-timer": 8, "rebind-timer": 45,
    "authoritative": true,
    "option-data": [
      { "name": "domain-name-servers", "data": "192.0.2.53, 192.0.2.54" },
      { "name": "domain-name", "data": "lab.example" } ],
    "subnet4": [ {
        "id": 1, "subnet": "192.0.2.0/24",
        "pools": [ { "pool": "192.0.2.100 - 192.0.2.199" } ],
        "option-data": [ { "name": "routers", "data": "192.0.2.1" } ] },
      { "id": 2, "subnet": "198.51.100.0/24",
        "pools": [ { "pool": "198.51.100.100 - 198.51.100.199" } ],
        "option-data": [ { "name": "routers", "data": "198.51.100.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
                   "output_options": [ { "output": "$work/kea.log" } ] } ] } }
EOF
  # Kea names its pid file after the config file; a private directory keeps parallel runs apart.
  KEA_PIDFILE_DIR=$work KEA_LOCKFILE_DIR=$work ip netns exec "$ns_srv" kea-dhcp4 -c "$work/kea-dhcp4.json" \
    > "$work/kea.out" 2>&1 &
  pids+=($!)
  wait_for 10 "Kea to open its socket" grep -q DHCP4_STARTED "$work/kea.log"
}

start_capture() {
  ip netns exec "$ns_srv" tcpdump -i "$if_srv" -U -n -w "$work/dhcp.pcap" 'udp port 67 or udp port 68' \
    > "$work/tcpdump.out" 2>&1 &
  pids+=($!)
  wait_for 10 "tcpdump to listen" grep -q "listening on" "$work/tcpdump.out"
}

has_address() { in_ns "${ns_of[$1]}" ip -4 -o addr show dev "${if_of[$1]}" | grep -Eq 'inet (192\.0\.2|198\.51\.100)\.'; }

run_dhclient() {
  local lf="$work/dhclient.leases" pf="$work/dhclient.pid" ns=${ns_of[dhclient]} ifc=${if_of[dhclient]}
  # A remembered lease from another network: dhclient starts in INIT-REBOOT (RFC 2131 §3.2) and Kea,
  # authoritative, answers DHCPNAK because 203.0.113.5 is not on this link (§4.3.2).
  cat > "$lf" <<EOF
lease {
  interface "$ifc";
  fixed-address 203.0.113.5;
  option subnet-mask 255.255.255.0;
  option dhcp-lease-time 3600;
  option dhcp-server-identifier 203.0.113.1;
  renew 4 2037/01/01 00:00:00;
  rebind 4 2037/01/01 00:00:00;
  expire 4 2037/01/01 00:00:00;
}
EOF
  dhclient_cmd="dhclient -4 -d -v -lf LEASEFILE -pf PIDFILE $ifc (LEASEFILE holding a lease of 203.0.113.5); dhclient -4 -r -lf LEASEFILE -pf PIDFILE $ifc"
  ip netns exec "$ns" dhclient -4 -d -v -lf "$lf" -pf "$pf" "$ifc" > "$work/dhclient.out" 2>&1 &
  local p=$!; pids+=($p)
  wait_for 20 "dhclient to bind" has_address dhclient
  # renew-timer is 8 s: wait for the unicast RENEWING request and its ACK.
  wait_for 20 "dhclient to renew" grep -q "DHCPREQUEST for .* to 192.0.2.1 port 67" "$work/dhclient.out"
  sleep 1
  in_ns "$ns" dhclient -4 -r -v -lf "$lf" -pf "$pf" "$ifc" > "$work/dhclient-r.out" 2>&1
  wait_for 5 "dhclient to exit" bash -c "! kill -0 $p"
}

run_udhcpc() {
  # -R: release on exit. (With -q it would exit before BOUND and send no RELEASE.)
  local ns=${ns_of[udhcpc]} ifc=${if_of[udhcpc]}
  udhcpc_cmd="udhcpc -f -R -t 5 -T 2 -i $ifc; then SIGTERM"
  ip netns exec "$ns" udhcpc -f -R -t 5 -T 2 -i "$ifc" > "$work/udhcpc.out" 2>&1 &
  local p=$!; pids+=($p)
  wait_for 20 "udhcpc to bind" has_address udhcpc
  kill -TERM "$p"
  wait_for 5 "udhcpc to exit" bash -c "! kill -0 $p"
}

run_relayed() {
  # -a: dhcrelay appends option 82 (RFC 3046) with the circuit id of the client-side interface.
  relay_cmd="dhcrelay -4 -d -a -id $if_down -iu $if_up 192.0.2.1"
  ip netns exec "$ns_rly" dhcrelay -4 -d -a -pf "$work/dhcrelay.pid" -id "$if_down" -iu "$if_up" 192.0.2.1 \
    > "$work/dhcrelay.out" 2>&1 &
  pids+=($!)
  wait_for 10 "dhcrelay to listen" grep -q "Sending on" "$work/dhcrelay.out"
  local ns=${ns_of[relayed]} ifc=${if_of[relayed]}
  ip netns exec "$ns" udhcpc -f -R -t 5 -T 2 -i "$ifc" > "$work/udhcpc-relayed.out" 2>&1 &
  local p=$!; pids+=($p)
  wait_for 20 "the relayed udhcpc to bind" has_address relayed
  kill -TERM "$p"
  wait_for 5 "the relayed udhcpc to exit" bash -c "! kill -0 $p"
}

run_dhcpcd() {
  cat > "$work/dhcpcd.conf" <<'EOF'
# Debian's /etc/dhcpcd.conf defaults, minus the hooks that would touch the host (hostname, NTP).
duid
persistent
vendorclassid
option domain_name_servers, domain_name, domain_search
option classless_static_routes
option interface_mtu
option host_name
option rapid_commit
require dhcp_server_identifier
slaac private
nohook hostname, ntp-common.conf, chrony.conf, timesyncd.conf, openntpd.conf
EOF
  local ns=${ns_of[dhcpcd]} ifc=${if_of[dhcpcd]}
  dhcpcd_cmd="dhcpcd -4 -B -f dhcpcd.conf $ifc; dhcpcd -4 -k $ifc"
  ip netns exec "$ns" dhcpcd -4 -B -f "$work/dhcpcd.conf" "$ifc" > "$work/dhcpcd.out" 2>&1 &
  local p=$!; pids+=($p)
  wait_for 30 "dhcpcd to bind" has_address dhcpcd
  # dhcpcd -k now and then gives up waiting ("failed to exit") right after binding; one retry.
  in_ns "$ns" dhcpcd -4 -k -f "$work/dhcpcd.conf" "$ifc" >> "$work/dhcpcd.out" 2>&1 ||
    { sleep 1; kill -0 "$p" 2>/dev/null && in_ns "$ns" dhcpcd -4 -k -f "$work/dhcpcd.conf" "$ifc" >> "$work/dhcpcd.out" 2>&1; }
  wait_for 10 "dhcpcd to exit" bash -c "! kill -0 $p"
  # INFORM: an interface with a static address asks only for options (dhcpcd --inform).
  in_ns "$ns" ip addr flush dev "$ifc"
  dhcpcd_inform_cmd="dhcpcd -4 -1 -B -f dhcpcd.conf -s 192.0.2.250/24 $ifc"
  timeout 30 ip netns exec "$ns" dhcpcd -4 -1 -B -f "$work/dhcpcd.conf" -s 192.0.2.250/24 "$ifc" \
    >> "$work/dhcpcd.out" 2>&1 || true
  in_ns "$ns" dhcpcd -4 -x -f "$work/dhcpcd.conf" "$ifc" >/dev/null 2>&1 || true
}

# write_fixture NAME SOURCE VERSION COMMAND FRAME MAC
write_fixture() {
  local name=$1 source=$2 version=$3 command=$4 frame=$5 mac=$6 hex
  hex=$(tshark -r "$work/dhcp.pcap" -Y "frame.number == $frame" -T fields -e udp.payload 2>/dev/null)
  [[ -n $hex ]] || die "no payload in frame $frame for $name"
  {
    echo "# $name: DHCPv4 UDP payload (BOOTP header onwards), hex, captured with tcpdump"
    echo "# sender: $source $version"
    echo "# command: $command"
    echo "# server: Kea $(kea-dhcp4 -v) on 192.0.2.1/24, pools 192.0.2.100-199 and (relayed) 198.51.100.100-199; client MAC $mac"
    echo "# date: $(date -u +%Y-%m-%dT%H:%MZ), re-create with scripts/capture-client-packets.sh"
    echo "$hex" | fold -w 64
  } > "$out_dir/$name.hex"
  echo "wrote $out_dir/$name.hex"
}

# For one client (packets whose chaddr is its MAC), keep the first packet of every message type.
# Requests sent while renewing (ciaddr set) are kept apart from those in SELECTING/INIT-REBOOT.
extract() {
  local client=$1 version=$2 command=$3 mac=${mac_of[$1]}
  local frame src type ciaddr server_id name last_sent="" seen=" "
  while IFS=$'\t' read -r frame src type ciaddr server_id; do
    case $type in
      1) name=discover ;; 2) name=offer ;; 3) name=request ;; 4) name=decline ;;
      5) name=ack ;; 6) name=nak ;; 7) name=release ;; 8) name=inform ;; *) continue ;;
    esac
    [[ $type == 3 && $ciaddr != 0.0.0.0 ]] && name=request-renew
    # INIT-REBOOT: no ciaddr and no server identifier (RFC 2131 §4.3.2).
    [[ $type == 3 && $ciaddr == 0.0.0.0 && -z $server_id ]] && name=request-init-reboot
    # Of the relayed client keep only what crossed the relay; its RELEASE goes straight to Kea.
    [[ $client == relayed && $src != 192.0.2.1 && $src != 192.0.2.2 ]] && continue
    if [[ $src == 192.0.2.1 ]]; then
      # Name an answer after the request it answers when that is not the first DORA.
      [[ $last_sent == request-renew || $last_sent == inform || $last_sent == request-init-reboot ]] \
        && name="$name-$last_sent"
      name="kea-$name-to-$client"
      write_fixture_once "$name" "Kea" "$(kea-dhcp4 -v)" "kea-dhcp4 -c kea-dhcp4.json (see script)" "$frame" "$mac"
    else
      last_sent=$name
      write_fixture_once "$client-$name" "$client" "$version" "$command" "$frame" "$mac"
    fi
  done < <(tshark -r "$work/dhcp.pcap" -Y "dhcp.hw.mac_addr == $mac" \
             -T fields -e frame.number -e ip.src -e dhcp.option.dhcp -e dhcp.ip.client \
             -e dhcp.option.dhcp_server_id 2>/dev/null)
}
write_fixture_once() {
  [[ $seen == *" $1 "* ]] && return 0
  seen+="$1 "
  write_fixture "$@"
}

frames() { tshark -r "$work/dhcp.pcap" 2>/dev/null | wc -l; }

mkdir -p "$out_dir"
build_lan
start_kea
start_capture
run_dhclient
run_udhcpc
run_dhcpcd
run_relayed
sleep 1   # let tcpdump write the last answers

extract dhclient "$(dhclient --version 2>&1)" "$dhclient_cmd"
extract udhcpc "$(udhcpc --help 2>&1 | head -1)" "$udhcpc_cmd"
extract dhcpcd "$(dhcpcd --version | head -1)" "$dhcpcd_cmd; $dhcpcd_inform_cmd"
extract relayed "udhcpc behind $(dhcrelay --version 2>&1 | head -1)" "udhcpc -f -R -i IF behind: $relay_cmd"
for f in {dhclient,udhcpc,dhcpcd}-{discover,request,release} kea-{offer,ack}-to-dhclient dhcpcd-inform \
         dhclient-request-init-reboot kea-nak-request-init-reboot-to-dhclient relayed-discover kea-offer-to-relayed; do
  [[ -f $out_dir/$f.hex ]] || die "expected $f.hex was not captured"
done
echo "capture: $(frames) packets, fixtures in $out_dir"
