#!/bin/bash
# Runs one DHCP client in a pair of throwaway network namespaces against the scripted server
# (interop/src/test/resources/dev/leasehold/interop/client/scripted_server.py) for SECONDS, then
# prints the interface's addresses and routes, what the server received and the client's notable
# log lines: how docs/client.md's comparison table was made. Needs root, /usr/bin/python3 with
# python3-scapy, and the client: isc-dhcp-client, dhcpcd-base, systemd (networkd), or Leasehold
# built with `./mvnw -pl cli -am package -DskipTests`.
#
#   sudo scripts/compare-dhcp-clients.sh leasehold|dhclient|dhcpcd|networkd SECONDS SERVER_CIDR MTU -- SERVER_ARGS…
#   sudo scripts/compare-dhcp-clients.sh dhcpcd 12 10.88.0.1/24 1500 -- --server 10.88.0.1 --yiaddr 10.88.0.255
#
# Everything it makes (namespaces, /etc/netns/NS, dhcpcd's files for its interface, networkd's
# .network file and state) is removed on exit; traffic stays inside the two namespaces.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
client=$1; secs=$2; srvcidr=$3; mtu=$4; shift 5
tag=lhcmp$$; S=$tag-s; C=$tag-c; IF=${tag}c; dir=$(mktemp -d /tmp/$tag.XXXX)
made_network_dir=no; [ -d /run/systemd/network ] || made_network_dir=yes
cleanup() {
  ip netns pids $C 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns pids $S 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del $C 2>/dev/null; ip netns del $S 2>/dev/null
  rm -rf /etc/netns/$C /etc/netns/$S "$dir"
  rm -f /var/lib/dhcpcd/$IF* /run/dhcpcd/$IF* /run/systemd/network/10-$tag.network
  if [ "$client" = networkd ]; then rm -f /run/systemd/netif/links/* /run/systemd/netif/leases/*; fi
  if [ $made_network_dir = yes ]; then rmdir /run/systemd/network 2>/dev/null; fi
}
trap cleanup EXIT
for n in $S $C; do
  ip netns add $n
  mkdir -p /etc/netns/$n; echo "nameserver 203.0.113.99" > /etc/netns/$n/resolv.conf  # scripts write here, not /etc
  ip -n $n link set lo up
  ip netns exec $n sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6'
done
ip link add ${tag}s netns $S type veth peer name $IF netns $C
ip -n $C link set $IF address 02:00:00:00:00:42 mtu $mtu
ip -n $S link set ${tag}s mtu $mtu
ip -n $S addr add $srvcidr dev ${tag}s; ip -n $S link set ${tag}s up; ip -n $C link set $IF up
ip netns exec $S timeout $((secs + 5)) /usr/bin/python3 \
  "$here/interop/src/test/resources/dev/leasehold/interop/client/scripted_server.py" --iface ${tag}s "$@" > $dir/server.log 2>&1 &
sleep 1.5
case $client in
  dhclient) ip netns exec $C timeout $secs dhclient -d -v -lf $dir/dhclient.leases -pf $dir/dhclient.pid $IF > $dir/client.log 2>&1 & ;;
  dhcpcd) ip netns exec $C timeout $secs dhcpcd -4 -B -d $IF > $dir/client.log 2>&1 & ;;
  networkd)
    # Outside systemd: a private mount namespace with a read-only /sys, so networkd does not wait for udev.
    mkdir -p /run/systemd/network; printf '[Match]\nName=%s\n[Network]\nDHCP=ipv4\n' $IF > /run/systemd/network/10-$tag.network
    ip netns exec $C unshare -m sh -c "mount -o remount,ro /sys; exec timeout $secs env SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_TARGET=console /lib/systemd/systemd-networkd" > $dir/client.log 2>&1 & ;;
  leasehold)
    source "$here/scripts/java-home.sh"
    ip netns exec $C timeout $secs "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$here/cli/target/leasehold-cli.jar:$here/cli/target/lib/*" \
      dev.leasehold.cli.Main client $IF --state-dir $dir --run-dir $dir --resolv-conf $dir/resolv.conf > $dir/client.log 2>&1 & ;;
  *) echo "unknown client $client" >&2; exit 2 ;;
esac
sleep $((secs - 1))
echo "== $client $* (mtu $mtu)"
echo "addresses: $(ip -n $C -4 -o addr show dev $IF | awk '{print $4}' | tr '\n' ' ')"
echo "routes: $(ip -n $C -4 route | tr '\n' ';')"
echo "server received: $(grep -E '^[0-9]' $dir/server.log | awk '{print $2}' | sort | uniq -c | tr '\n' ' ')"
echo "option 57 seen: $(grep -E '^[0-9]' $dir/server.log | awk '{print $5}' | sort -u | tr '\n' ' ')"
start=$(grep -E '^[0-9]' $dir/server.log | head -1 | cut -d' ' -f1)
echo "DHCPREQUESTs at (s): $(awk -v s="$start" '$2=="REQUEST"{printf "%.1f ", $1 - s}' $dir/server.log)"
grep -i -E "warn|refus|invalid|reject|expiry|error|fail|renewal in" $dir/client.log | grep -v -E "^Registering|sd-bus|Bus bus|rtnl" | head -8 | cut -c1-220
