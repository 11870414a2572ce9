#!/bin/bash
# Renders every icon from the SVG master (assets/icon.svg): the PNG sizes in assets/icons/, the Linux
# 256 px PNG, the Windows .ico and the macOS .icns. Needs rsvg-convert (librsvg2-bin), ImageMagick, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p assets/icons
for size in 16 24 32 48 64 128 256 512 1024; do
    rsvg-convert -w "$size" -h "$size" assets/icon.svg -o "assets/icons/pronto-$size.png"
done
cp assets/icons/pronto-256.png packaging/linux/pronto.png
cp assets/icons/pronto-64.png src/main/resources/chat/pronto/ui/icon-64.png
convert assets/icons/pronto-{16,24,32,48,64,128,256}.png packaging/windows/pronto.ico
# .icns: a header and one PNG per size, each under its four-letter type (ic07 = 128 … ic10 = 1024).
python3 - <<'PY'
import struct
entries = [(b"ic07", 128), (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024)]
chunks = b""
for code, size in entries:
    data = open(f"assets/icons/pronto-{size}.png", "rb").read()
    chunks += code + struct.pack(">I", len(data) + 8) + data
open("packaging/macos/pronto.icns", "wb").write(b"icns" + struct.pack(">I", len(chunks) + 8) + chunks)
PY
echo "icons written"
