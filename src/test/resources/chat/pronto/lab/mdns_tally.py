# Listens to the mDNS group on ADDRESS beside whatever else runs there and prints, with wall-clock
# milliseconds, one line per packet: "q" or "r", the sender, then counts by type of its questions
# (qptr=…) and of its records (ptr=…), and for responses the SRV names it carried (names=a,b,…).
# Prints "listening" once its socket is open. Usage: /usr/bin/python3 mdns_tally.py ADDRESS
import socket
import sys
import time

from zeroconf import DNSIncoming
from zeroconf.const import _TYPES

GROUP = "224.0.0.251"


def say(what):
    print("%d %s" % (int(time.time() * 1000), what), flush=True)


def counts(prefix, entries):
    tally = {}
    for entry in entries:
        name = prefix + _TYPES.get(entry.type, str(entry.type))
        tally[name] = tally.get(name, 0) + 1
    return " ".join("%s=%d" % item for item in sorted(tally.items()))


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
sock.bind(("", 5353))
sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                socket.inet_aton(GROUP) + socket.inet_aton(sys.argv[1]))
say("listening")
while True:
    data, (sender, _) = sock.recvfrom(65536)
    message = DNSIncoming(data)
    if not message.valid:
        say("bad %s" % sender)
        continue
    records = message.answers() if callable(message.answers) else message.answers  # a method in later versions
    line = "%s %s %s %s" % ("r" if message.is_response() else "q", sender, counts("q", message.questions),
                            counts("", records))
    if message.is_response():
        names = [record.name for record in records if record.type == 33]
        line += " names=" + ",".join(names)
    say(line)
