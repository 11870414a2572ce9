# One python-zeroconf responder publishing COUNT _presence._tcp services (XEP-0174 peers), each with
# a host name of its own on ADDRESS and a realistic TXT record. Prints, with wall-clock milliseconds,
# "published T" once every service has been announced (all three announcements), then keeps
# answering until its standard input closes.
# Usage: /usr/bin/python3 many_publish.py ADDRESS COUNT [HOST_TTL]
# HOST_TTL: the seconds the SRV and address records live (python-zeroconf's default, 120, without it).
import asyncio
import sys
import time

from zeroconf import IPVersion
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf

TYPE = "_presence._tcp.local."


def say(what):
    print("%d %s" % (int(time.time() * 1000), what), flush=True)


def txt(i):
    # What a XEP-0174 client publishes (Pronto's own keys, caps included).
    return {
        "txtvers": "1",
        "1st": "First%d" % i,
        "last": "Last%d" % i,
        "nick": "peer %d" % i,
        "status": "avail",
        "msg": "working on item %d" % i,
        "port.p2pj": "5298",
        "node": "https://pronto.chat/caps",
        "hash": "sha-1",
        "ver": "QgayPKawpkPSDYmwT/WM94uAlu0=",
    }


async def main(address, count, host_ttl):
    zc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    infos = [AsyncServiceInfo(TYPE, "user%d@machine%d.%s" % (i, i, TYPE), port=5298, properties=txt(i),
                              server="machine%d.local." % i, parsed_addresses=[address], host_ttl=host_ttl)
             for i in range(count)]
    say("publishing %d" % count)
    # Names are unique by construction: no probing (cooperating), the three announcements only.
    announcing = await asyncio.gather(*(zc.async_register_service(info, cooperating_responders=True) for info in infos))
    await asyncio.gather(*announcing)
    say("published %d" % count)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await zc.async_close()


asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 120))
