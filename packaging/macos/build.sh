#!/bin/bash
# Pronto's macOS disk image (.dmg), the Linux script's twin: jlinked runtime -> app bundle -> dmg.
# Run on macOS with JDK 17+ (with jmods) and Maven. Output: target/packaging/Pronto-0.1.0.dmg
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=0.1.0
OUT=target/packaging
JAVA_HOME=${JAVA_HOME:-$(/usr/libexec/java_home -v 17+)}
MODULES=java.base,java.desktop,java.logging,java.naming,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.naming.dns,jdk.net,jdk.unsupported,javafx.controls

rm -rf "$OUT"
mkdir -p "$OUT/input" "$OUT/fxmods" "$OUT/lib"
mvn -q -Dmaven.test.skip=true package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$OUT/lib"
cp target/pronto-*.jar "$OUT/input/pronto.jar"
for jar in "$OUT"/lib/*.jar; do
    case "$(basename "$jar")" in
        javafx-*-mac*.jar) cp "$jar" "$OUT/fxmods/" ;;
        javafx-*) ;;
        *) cp "$jar" "$OUT/input/" ;;
    esac
done

# The library jars trimmed as on Linux (why, in JarTrim): BouncyCastle's unsigned and not named as
# providers, sqlite-jdbc with this Mac's native library only.
"$JAVA_HOME/bin/java" packaging/JarTrim.java "$OUT/input"

# With the runtime's class-data-sharing archive (the JDK's classes mapped, not loaded one by one).
"$JAVA_HOME/bin/jlink" --module-path "$JAVA_HOME/jmods:$OUT/fxmods" --add-modules "$MODULES" \
    --strip-debug --no-header-files --no-man-pages --compress=0 --generate-cds-archive --output "$OUT/runtime"

# The installed app's JVM options, the same on every system (why each, in that file).
JAVA_OPTIONS=()
while read -r option; do
    case "$option" in ''|'#'*) continue ;; esac
    JAVA_OPTIONS+=(--java-options "$option")
done < packaging/jvm-options

"$JAVA_HOME/bin/jpackage" --type dmg --name Pronto --app-version "$VERSION" \
    --description "Serverless chat with the people on your local network" --vendor "Pronto" \
    --input "$OUT/input" --main-jar pronto.jar --main-class chat.pronto.app.Main "${JAVA_OPTIONS[@]}" \
    --runtime-image "$OUT/runtime" --icon packaging/macos/pronto.icns \
    --mac-package-identifier chat.pronto.Pronto --mac-package-name Pronto --dest "$OUT"
ls -l "$OUT"/*.dmg
