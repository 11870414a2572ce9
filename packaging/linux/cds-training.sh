#!/bin/sh
# The class-data-sharing training run (packaging/linux/build.sh): runs the app image's launcher once —
# the window on an Xvfb of its own, the network on a link of its own — until its first frame is painted
# and the network has started, and writes the list of every class it loaded.
# Usage: cds-training.sh APP_IMAGE CLASSLIST. Needs Xvfb, unshare and ip; root, or user namespaces.
# Everything runs inside a private network namespace holding only its own loopback and a veth pair
# (mDNS needs a multicast link to start on): no packet reaches a real network.
set -eu
image=$(cd "$1" && pwd)
classlist=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
if [ "${PRONTO_TRAINING_INSIDE:-}" != 1 ]; then
    export PRONTO_TRAINING_INSIDE=1
    if unshare --net --mount --propagation private true 2>/dev/null; then
        exec unshare --net --mount --propagation private -- "$0" "$@"
    fi
    exec unshare --user --map-root-user --net --mount --propagation private -- "$0" "$@"
fi
ip link set lo up
ip link add train0 type veth peer name train1
ip addr add 10.99.0.1/24 dev train0
ip link set train0 multicast on up
ip link set train1 up
scratch=$(mktemp -d)
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$scratch"' EXIT
mkfifo "$scratch/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" >/dev/null 2>&1 &
xvfb=$!
read -r display < "$scratch/display"
# The same launcher, class path and options as the installed app; the data folder is a scratch one.
DISPLAY=":$display" XDG_DATA_HOME="$scratch/data" HOME="$scratch" \
    JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$classlist" \
    timeout 120 "$image/bin/pronto" --name training@pronto --exit-after-first-frame
