"""Avahi's side of XEP-0174 pictures, over its D-Bus API (as libpurple and Salut use it).

publish NAME FILE PORT: publishes NAME._presence._tcp with phsh = SHA-1 of FILE and FILE's bytes in a
NULL record on the instance name (TTL 120), then keeps them alive until killed.
fetch NAME: browses for NAME._presence._tcp.local's NULL record (avahi decides how to ask) and prints
"picture SHA1 LENGTH" for every record it is told of.
"""
import hashlib
import sys
import time

import dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

AVAHI = 'org.freedesktop.Avahi'
CLASS_IN, TYPE_NULL = 1, 10


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    server = dbus.Interface(bus.get_object(AVAHI, '/'), AVAHI + '.Server')
    command, name = sys.argv[1], sys.argv[2]
    if command == 'publish':
        data = open(sys.argv[3], 'rb').read()
        phsh = hashlib.sha1(data).hexdigest()
        group = dbus.Interface(bus.get_object(AVAHI, server.EntryGroupNew()), AVAHI + '.EntryGroup')
        txt = [dbus.ByteArray(s.encode()) for s in
               ['txtvers=1', 'port.p2pj=' + sys.argv[4], 'status=avail', 'phsh=' + phsh]]
        group.AddService(-1, -1, dbus.UInt32(0), name, '_presence._tcp', '', '', dbus.UInt16(int(sys.argv[4])), txt)
        group.AddRecord(-1, -1, dbus.UInt32(0), name + '._presence._tcp.local', dbus.UInt16(CLASS_IN),
                        dbus.UInt16(TYPE_NULL), dbus.UInt32(120), dbus.ByteArray(data))
        group.Commit()
        print('published', phsh, len(data), flush=True)
        while True:
            time.sleep(3600)
    elif command == 'fetch':
        path = server.RecordBrowserNew(-1, -1, name + '._presence._tcp.local', dbus.UInt16(CLASS_IN),
                                       dbus.UInt16(TYPE_NULL), dbus.UInt32(0))

        def item(interface, protocol, record_name, clazz, record_type, rdata, flags):
            data = bytes(rdata)
            print('picture', hashlib.sha1(data).hexdigest(), len(data), flush=True)

        bus.add_signal_receiver(item, signal_name='ItemNew', dbus_interface=AVAHI + '.RecordBrowser', path=path)
        bus.add_signal_receiver(lambda error: print('failure', error, flush=True), signal_name='Failure',
                                dbus_interface=AVAHI + '.RecordBrowser', path=path)
        print('browsing', flush=True)
        GLib.MainLoop().run()


if __name__ == '__main__':
    main()
