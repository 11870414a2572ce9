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

"$JAVA_HOME/bin/jlink" --module-path "$JAVA_HOME/jmods:$OUT/fxmods" --add-modules "$MODULES" \
    --strip-debug --no-header-files --no-man-pages --compress=0 --output "$OUT/runtime"

"$JAVA_HOME/bin/jpackage" --type dmg --name Pronto --app-version "$VERSION" \
    --description "Serverless chat with the people on your local network" --vendor "Pronto" \
    --input "$OUT/input" --main-jar pronto.jar --main-class chat.pronto.app.Main \
    --runtime-image "$OUT/runtime" --icon packaging/macos/pronto.icns \
    --mac-package-identifier chat.pronto.Pronto --mac-package-name Pronto --dest "$OUT"
ls -l "$OUT"/*.dmg
