#!/bin/sh
# Class-data sharing for Pronto's own classes too, made where the package is installed: the JVM maps
# an archive only for jars with the very paths and modification times it was made from, and those of
# the jars exist only once the package is unpacked. Run by the .deb's postinst and the .rpm's %post
# (about 8 s); the launcher finds the result through -XX:SharedArchiveFile=$APPDIR/pronto.jsa.
# Usage: cds-archive.sh [INSTALL_DIR]   (default /opt/pronto)
set -eu
root=${1:-/opt/pronto}
app="$root/lib/app"
archive="$app/pronto.jsa"
rm -f "$archive"
# The class path exactly as the launcher builds it from its configuration, in the same order.
classpath=$(sed -n "s#^app.classpath=\\\$APPDIR#$app#p" "$app/pronto.cfg" | paste -sd: -)
if [ -s "$app/pronto.classlist" ] && [ -n "$classpath" ] \
        && "$root/lib/runtime/bin/java" -Xshare:dump -XX:SharedClassListFile="$app/pronto.classlist" \
            -XX:SharedArchiveFile="$archive" -cp "$classpath" -Xlog:cds=off -Xlog:cds+dynamic=off >/dev/null 2>&1; then
    exit 0
fi
# Could not make it: the runtime's own archive (the JDK's and JavaFX's classes) then, so that the
# launcher's option still names an archive (without one the JVM would map none at all).
rm -f "$archive"
cp "$root/lib/runtime/lib/server/classes.jsa" "$archive"
echo "pronto: class-data sharing for Pronto's own classes could not be set up; start-up is a little slower" >&2
