# A python-zeroconf browser (an mDNS implementation independent of Pronto's) that prints, with
# wall-clock milliseconds, when each _presence._tcp instance is resolved, updated and removed.
# Usage: python3 observe.py ADDRESS
import sys
import time

import zeroconf

TYPE = "_presence._tcp.local."


def say(what):
    print("%d %s" % (int(time.time() * 1000), what), flush=True)


def status(info):
    if info is None or not info.properties:
        return "?"
    value = info.properties.get(b"status")
    return value.decode("utf-8", "replace") if value is not None else "-"


class Listener:
    def add_service(self, zc, type_, name):
        info = zc.get_service_info(type_, name, timeout=3000)
        say("add %s status=%s" % (name, status(info)))

    def update_service(self, zc, type_, name):
        info = zc.get_service_info(type_, name, timeout=3000)
        say("update %s status=%s" % (name, status(info)))

    def remove_service(self, zc, type_, name):
        say("remove %s" % name)


zc = zeroconf.Zeroconf(interfaces=[sys.argv[1]])
browser = zeroconf.ServiceBrowser(zc, TYPE, Listener())
say("observing")
try:
    sys.stdin.read()
finally:
    zc.close()
