#!/bin/bash
# Pronto's Linux packages, built here: a jlinked runtime with exactly the modules Pronto needs →
# a jpackage app-image → a .deb (and an .rpm when rpmbuild is installed). Output: target/packaging/.
# Usage: packaging/linux/build.sh   (needs JDK 17+ with jmods, Maven, fakeroot, dpkg-deb, unzip; objcopy helps)
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=0.1.0
OUT=target/packaging
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
# jdeps finds most modules; Smack needs jdk.naming.dns and jdk.crypto.ec at run time, which it does not
# see (../shared/STACK.md); java.desktop opens links in the browser; the rest is JavaFX and the JDK APIs used.
MODULES=java.base,java.desktop,java.logging,java.naming,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.naming.dns,jdk.net,jdk.unsupported,javafx.controls

rm -rf "$OUT"
mkdir -p "$OUT/input" "$OUT/fxmods" "$OUT/lib"
mvn -q -Dmaven.test.skip=true package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$OUT/lib"
cp target/pronto-*.jar "$OUT/input/pronto.jar"
for jar in "$OUT"/lib/*.jar; do
    case "$(basename "$jar")" in
        javafx-*-linux.jar) cp "$jar" "$OUT/fxmods/" ;;   # modules with their natives: into the runtime
        javafx-*) ;;                                        # the empty platform-neutral jars
        *) cp "$jar" "$OUT/input/" ;;
    esac
done

# The library jars trimmed as on every system (why, in JarTrim): BouncyCastle's unsigned and not named as
# providers, sqlite-jdbc with this system's native library only.
"$JAVA_HOME/bin/java" packaging/JarTrim.java "$OUT/input"
ARCH=$(uname -m)
SQLITE=$(ls "$OUT"/input/sqlite-jdbc-*.jar)

# sqlite-jdbc's native library, unpacked once here: otherwise sqlite-jdbc writes it to /tmp at every
# start (about 85 ms of the start here) and cannot load it where /tmp is mounted noexec.
mkdir -p "$OUT/native"
unzip -q -j -o "$SQLITE" "org/sqlite/native/Linux/$ARCH/libsqlitejdbc.so" -d "$OUT/native"

# Modules are stored uncompressed: the .deb's own xz compression does far better on them
# (32 MB instead of 48 MB), at the price of a larger installed size.
STRIP=()
if command -v objcopy >/dev/null; then
    STRIP=(--strip-native-debug-symbols exclude-debuginfo-files)
fi
"$JAVA_HOME/bin/jlink" --module-path "$JAVA_HOME/jmods:$OUT/fxmods" --add-modules "$MODULES" \
    --strip-debug "${STRIP[@]}" --no-header-files --no-man-pages --compress=0 --output "$OUT/runtime"

# The JVM for a desktop chat window: the options in jvm-options (why each, there), then the paths
# that only the installed image has. jpackage puts the image's own folder in place of $APPDIR; the
# class-data-sharing archive is made at install time (cds-archive.sh, below).
JAVA_OPTIONS=()
while read -r option; do
    case "$option" in ''|'#'*) continue ;; esac
    JAVA_OPTIONS+=(--java-options "$option")
done < packaging/jvm-options
for option in '-XX:SharedArchiveFile=$APPDIR/pronto.jsa' '-Dorg.sqlite.lib.path=$APPDIR/native' \
        -Dorg.sqlite.lib.name=libsqlitejdbc.so; do
    JAVA_OPTIONS+=(--java-options "$option")
done
"$JAVA_HOME/bin/jpackage" --type app-image --name pronto --app-version "$VERSION" \
    --description "Serverless chat with the people on your local network" --vendor "Pronto" \
    --input "$OUT/input" --main-jar pronto.jar --main-class chat.pronto.app.Main \
    "${JAVA_OPTIONS[@]}" \
    --runtime-image "$OUT/runtime" --icon packaging/linux/pronto.png --dest "$OUT"
# A launcher script in place of jpackage's native one, which queries rpm and dpkg at every start.
packaging/linux/launcher.sh "$OUT/pronto"
cp -r "$OUT/native" "$OUT/pronto/lib/app/native"

# Class-data sharing: the classes that Pronto's start-up loads, pre-parsed, so the JVM maps them instead
# of loading them one by one (measured in the README, Start-up). The list comes from a training run of
# this very image; where that cannot run (no Xvfb, no namespaces) the JDK's own list is used. Here the
# runtime's default archive gets the runtime image's classes (the JDK's and JavaFX's); the list travels
# in the package, and its install script archives all of them, Pronto's and its libraries' too
# (cds-archive.sh): JDK 17 checks every class path jar's path and modification time against an
# archive, and neither is known before the package is unpacked (jpackage copies the jars again).
RUNTIME="$OUT/pronto/lib/runtime"
if packaging/linux/cds-training.sh "$OUT/pronto" "$OUT/pronto.classlist" > "$OUT/cds-training.log" 2>&1 \
        && [ -s "$OUT/pronto.classlist" ]; then
    CLASSLIST="$OUT/pronto.classlist"
else
    echo "CDS training run failed (see $OUT/cds-training.log): the JDK's default class list is archived" >&2
    CLASSLIST="$RUNTIME/lib/classlist"
fi
"$RUNTIME/bin/java" -Xshare:dump -XX:SharedClassListFile="$CLASSLIST" \
    -XX:SharedArchiveFile="$RUNTIME/lib/server/classes.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off > "$OUT/cds-dump.log" 2>&1
ls -l "$RUNTIME/lib/server/classes.jsa"
cp "$CLASSLIST" "$OUT/pronto/lib/app/pronto.classlist"

# Our own desktop entry, AppStream metainfo and icon travel inside the image; the package's scripts
# put them where desktops look (jpackage's --linux-shortcut would add a failing xdg-utils step).
mkdir -p "$OUT/pronto/lib/share"
cp packaging/linux/pronto.desktop packaging/linux/chat.pronto.Pronto.metainfo.xml packaging/linux/pronto.png \
    packaging/linux/cds-archive.sh packaging/linux/firewall/pronto.ufw packaging/linux/firewall/pronto.firewalld.xml \
    "$OUT/pronto/lib/share/"

"$JAVA_HOME/bin/jpackage" --type deb --app-image "$OUT/pronto" --name pronto --app-version "$VERSION" \
    --description "Serverless chat with the people on your local network" --vendor "Pronto" \
    --linux-package-name pronto --linux-deb-maintainer "Pronto developers <pronto@localhost>" \
    --linux-package-deps "libgtk-3-0, libgl1" --linux-app-category net \
    --resource-dir packaging/linux/deb --dest "$OUT"

if command -v rpmbuild >/dev/null; then
    "$JAVA_HOME/bin/jpackage" --type rpm --app-image "$OUT/pronto" --name pronto --app-version "$VERSION" \
        --linux-package-name pronto --linux-package-deps "gtk3, libglvnd-glx" \
        --resource-dir packaging/linux/rpm --dest "$OUT"
fi
ls -l "$OUT"/*.deb "$OUT"/*.rpm 2>/dev/null || true
