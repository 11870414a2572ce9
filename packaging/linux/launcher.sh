#!/bin/bash
# Writes Pronto's launcher into an app image (packaging/linux/build.sh): a shell script that starts the
# bundled runtime with exactly the options, class path and main class of jpackage's configuration
# (lib/app/pronto.cfg), in place of jpackage's native launcher. That one asks the package managers at
# every start which package owns it (rpm -qf, dpkg -S, dpkg -L: 0.5 s of the start here, measured in
# the README's Start-up section) only to find a library that sits next to it anyway. The runtime's
# java launcher is copied as bin/pronto, so that the process is called "pronto" (ps, top, pgrep).
# Usage: launcher.sh APP_IMAGE
set -euo pipefail
image=$1
cfg="$image/lib/app/pronto.cfg"
main=$(sed -n 's/^app.mainclass=//p' "$cfg")
classpath=$(sed -n 's/^app.classpath=//p' "$cfg" | paste -sd: -)
[ -n "$main" ] && [ -n "$classpath" ] || { echo "launcher.sh: no main class or class path in $cfg" >&2; exit 1; }
cp "$image/lib/runtime/bin/java" "$image/lib/runtime/bin/pronto"
{
    echo '#!/bin/sh'
    echo '# Pronto, started with the runtime it ships (written by packaging/linux/launcher.sh from lib/app/pronto.cfg).'
    echo 'root=$(dirname "$(dirname "$(readlink -f "$0")")")'
    # GTK probes OpenGL when it opens the display; with no graphics device Mesa answers with its
    # software llvmpipe (43 MB of LLVM mapped, never used: JavaFX then draws in software too, see
    # ui.Rendering, which makes the same check for JavaFX's own probe). GDK_GL is read only from the
    # environment, so the launcher is where it can be switched off; a GDK_GL already set is kept.
    echo 'device='
    echo 'for node in /dev/dri/* /dev/nvidiactl; do [ -e "$node" ] && device=yes; done'
    echo 'if [ -z "${GDK_GL+set}" ] && [ -z "$device" ]; then GDK_GL=disable; export GDK_GL; fi'
    printf 'exec "$root/lib/runtime/bin/pronto"'
    sed -n 's/^java-options=//p' "$cfg" | while IFS= read -r option; do
        printf ' \\\n    "%s"' "${option//\$APPDIR/\$root/lib/app}"
    done
    printf ' \\\n    "-Djpackage.app-path=$root/bin/pronto"'
    printf ' \\\n    -cp "%s"' "${classpath//\$APPDIR/\$root/lib/app}"
    printf ' \\\n    %s "$@"\n' "$main"
} > "$image/bin/pronto.new"
chmod 755 "$image/bin/pronto.new"
mv "$image/bin/pronto.new" "$image/bin/pronto"
