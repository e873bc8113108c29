#!/usr/bin/env bash
# Installs the system packages the TESTS need, idempotently: libgtk-3-0 for the native OpenCV runtime
# (OpenCvSharp4.official.runtime.linux-x64), the reference the canny agreement test compares against; Debian's
# chromium (/usr/bin/chromium) and a font for the web page test (Playwright for .NET drives that binary; it never
# downloads a browser of its own).
# apt-get runs only when something is missing; noninteractive; sudo only when not root.
set -euo pipefail

packages=(libgtk-3-0 chromium fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing ${missing[*]} (needed by the OpenCV test reference and the browser test) and apt-get is not available; install them by hand" >&2
  exit 1
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: installing ${missing[*]} needs root or sudo" >&2; exit 1; }
  sudo=(sudo)
fi

echo "==> installing ${missing[*]} (for the OpenCV test reference and the browser test)"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
