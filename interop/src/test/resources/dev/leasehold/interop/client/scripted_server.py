#!/usr/bin/python3
"""A DHCP server that answers with exactly what it is told, sane or not, for client tests.

Answers every DHCPDISCOVER with a DHCPOFFER and every DHCPREQUEST with a DHCPACK of the same
yiaddr and options, broadcast on the interface. Prints one line per message received
("<epoch> DISCOVER 02:00:..") so a test can count what a client sent. Runs until killed, or for
--seconds. Needs /usr/bin/python3 with Debian's python3-scapy.
"""
import argparse
import sys
import time

from scapy.all import BOOTP, DHCP, IP, UDP, Ether, conf, get_if_hwaddr, sendp, sniff

parser = argparse.ArgumentParser()
parser.add_argument("--iface", required=True)
parser.add_argument("--server", default="192.0.2.1")
parser.add_argument("--yiaddr", default="192.0.2.100")
parser.add_argument("--mask", default="255.255.255.0")
parser.add_argument("--lease", type=int, default=600)
parser.add_argument("--t1", type=int)
parser.add_argument("--t2", type=int)
parser.add_argument("--router")
parser.add_argument("--option", action="append", default=[], help="CODE:HEX, a raw option")
parser.add_argument("--seconds", type=float, default=120)
args = parser.parse_args()
conf.verb = 0

NAMES = {1: "DISCOVER", 3: "REQUEST", 4: "DECLINE", 7: "RELEASE", 8: "INFORM"}


def message_type(packet):
    for option in packet[DHCP].options:
        if isinstance(option, tuple) and option[0] == "message-type":
            return option[1]
    return None


def option(packet, name):
    for o in packet[DHCP].options:
        if isinstance(o, tuple) and o[0] == name:
            return o[1]
    return None


def answer(packet):
    if DHCP not in packet or packet[BOOTP].op != 1:
        return
    kind = message_type(packet)
    print("%.6f %s %s max-size %s" % (time.time(), NAMES.get(kind, kind), packet[Ether].src,
                                      option(packet, "max_dhcp_size")), flush=True)
    if kind not in (1, 3):
        return
    options = [("message-type", "offer" if kind == 1 else "ack"), ("server_id", args.server),
               ("subnet_mask", args.mask), ("lease_time", args.lease)]
    if args.t1 is not None:
        options.append(("renewal_time", args.t1))
    if args.t2 is not None:
        options.append(("rebinding_time", args.t2))
    if args.router:
        options.append(("router", args.router))
    for raw in args.option:
        code, value = raw.split(":", 1)
        options.append((int(code), bytes.fromhex(value)))
    options.append("end")
    bootp = BOOTP(op=2, xid=packet[BOOTP].xid, chaddr=packet[BOOTP].chaddr, yiaddr=args.yiaddr,
                  siaddr=args.server, flags=packet[BOOTP].flags)
    # The source MAC is named: scapy would look it up by route, find none, and send 00:00:00:00:00:00,
    # which a Linux bridge drops.
    reply = (Ether(src=get_if_hwaddr(args.iface), dst="ff:ff:ff:ff:ff:ff") / IP(src=args.server, dst="255.255.255.255")
             / UDP(sport=67, dport=68) / bootp / DHCP(options=options))
    sendp(reply, iface=args.iface)


sniff(iface=args.iface, filter="udp and dst port 67", prn=answer, store=False, timeout=args.seconds)
sys.exit(0)
