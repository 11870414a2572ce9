# A python-zeroconf browser that waits for COUNT _presence._tcp instances to be resolved with their
# TXT record (what a people list shows), from the records it hears (asking only for names still
# incomplete a second after they were named, 20 at a time, until they are), and prints, with wall-clock milliseconds: "started T",
# "names N T" when N names were seen, and "resolved N T" each time another tenth of COUNT (and the
# last one) is resolved.
# Usage: /usr/bin/python3 many_browse.py ADDRESS COUNT
import asyncio
import sys
import time

from zeroconf import IPVersion, ServiceStateChange
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

TYPE = "_presence._tcp.local."
# Names asked for at once: more only make the responder's answers collide and drop.
ASKING_AT_ONCE = 20


def say(what):
    print("%d %s" % (int(time.time() * 1000), what), flush=True)


async def main(address, count):
    say("started")
    zc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    names = set()
    resolved = set()
    step = max(1, count // 10)
    asking = asyncio.Semaphore(ASKING_AT_ONCE)

    def complete(name):
        # What the cache holds: a name is listed once its SRV, TXT and address records are all in.
        info = AsyncServiceInfo(TYPE, name)
        if name not in resolved and info.load_from_cache(zc.zeroconf) and info.properties \
                and b"status" in info.properties:
            resolved.add(name)
            if len(resolved) % step == 0 or len(resolved) == count:
                say("resolved %d" % len(resolved))
        return name in resolved

    async def ask_if_still_missing(name):
        # The records usually follow the PTR in the same burst (and come as Updated events): ask only
        # for a name still incomplete a second later, as a browser that shows a people list would.
        await asyncio.sleep(1.0)
        while not complete(name):
            async with asking:
                if not complete(name):
                    await AsyncServiceInfo(TYPE, name).async_request(zc.zeroconf, 3000)

    def changed(zeroconf, service_type, name, state_change):
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            if name not in names:
                names.add(name)
                if len(names) == count:
                    say("names %d" % count)
                if not complete(name):
                    asyncio.ensure_future(ask_if_still_missing(name))
            else:
                complete(name)

    browser = AsyncServiceBrowser(zc.zeroconf, TYPE, handlers=[changed])
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await browser.async_cancel()
    await zc.async_close()


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
