#!/usr/bin/env bash
# Refresh the vendored front-end files under src/grassroots/static/vendor/ from npm, at pinned versions.
#
#   scripts/vendor.sh            fetch with `npm pack` (needs the npm registry), copy the dist files and licences,
#                                and rewrite static/vendor/VERSIONS.md
#
# Nothing the pages load may come from the internet: the script strips source-map comments (the maps are not
# vendored), refuses a stylesheet that @imports anything, and refuses any url(http…) that is not an SVG xmlns.
set -euo pipefail

TABLER=1.6.1
HTMX=2.0.11
ALPINE=3.17.5

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/grassroots/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

unpack() {  # unpack <npm spec> <dir>: npm pack into $WORK and extract to $WORK/<dir>
  (cd "$WORK" && npm pack --silent "$1" >"$2.name")
  mkdir -p "$WORK/$2"
  tar xzf "$WORK/$(cat "$WORK/$2.name")" -C "$WORK/$2"
}

licence() {  # licence <package dir> <dest dir> <copyright line>: the package's LICENSE, or MIT text if it ships none
  local src="$1/package" out="$2/LICENSE" found
  found="$(find "$src" -maxdepth 1 -iname 'LICEN[CS]E*' | head -n 1)"
  if [[ -n "$found" ]]; then
    cp "$found" "$out"
    return
  fi
  local kind
  kind="$(node -p "require('$src/package.json').license")"
  if [[ "$kind" != "MIT" ]]; then
    echo "no LICENSE file in $src and licence $kind is not MIT: add its text by hand" >&2
    exit 1
  fi
  cat >"$out" <<MIT
The npm package ships no LICENSE file; its package.json declares "license": "MIT".
This is the MIT licence text with the copyright notice of the upstream project.

MIT License

$3

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
MIT
}

copy() {  # copy <src file> <dest file>: without the sourceMappingURL comment (the .map files are not vendored)
  sed -E '/^\/[*\/]# sourceMappingURL=.*$/d' "$1" >"$2"
}

offline_css() {  # fail on anything in a stylesheet that would make the browser go to the internet
  if grep -qE '@import' "$1"; then
    echo "$1 @imports something (a web font?): strip it" >&2
    exit 1
  fi
  if grep -oE 'url\([^)]*\)' "$1" | grep -E 'https?://' | grep -vE "^url\(\"?data:" >/dev/null; then
    echo "$1 loads a remote url(): strip it" >&2
    exit 1
  fi
}

unpack "@tabler/core@$TABLER" tabler
unpack "htmx.org@$HTMX" htmx
unpack "alpinejs@$ALPINE" alpine

rm -rf "$DEST/tabler-core" "$DEST/htmx" "$DEST/alpinejs"
mkdir -p "$DEST/tabler-core/$TABLER" "$DEST/htmx/$HTMX" "$DEST/alpinejs/$ALPINE"

copy "$WORK/tabler/package/dist/css/tabler.min.css" "$DEST/tabler-core/$TABLER/tabler.min.css"
copy "$WORK/tabler/package/dist/js/tabler.min.js" "$DEST/tabler-core/$TABLER/tabler.min.js"
offline_css "$DEST/tabler-core/$TABLER/tabler.min.css"
licence "$WORK/tabler" "$DEST/tabler-core/$TABLER" \
  "Copyright (c) 2018-2026 The Tabler Authors; Copyright (c) 2018-2026 codecalm.net Paweł Kuna"

copy "$WORK/htmx/package/dist/htmx.min.js" "$DEST/htmx/$HTMX/htmx.min.js"
licence "$WORK/htmx" "$DEST/htmx/$HTMX" ""

copy "$WORK/alpine/package/dist/cdn.min.js" "$DEST/alpinejs/$ALPINE/alpine.min.js"
licence "$WORK/alpine" "$DEST/alpinejs/$ALPINE" "Copyright (c) 2019-present Caleb Porzio and contributors"

lic() { node -p "require('$WORK/$1/package/package.json').license"; }
files() { (cd "$DEST/$1/$2" && ls | sed 's/^/`/; s/$/`/' | paste -sd ' ' -); }

cat >"$DEST/VERSIONS.md" <<MD
# Vendored front-end files

Written by \`scripts/vendor.sh\` (do not edit by hand; change the pinned versions there and run it).
Fetched with \`npm pack\`; only the files the pages load are kept, without their source-map comments.
Nothing here loads anything from the internet (the script checks the stylesheet for \`@import\` and remote \`url()\`).

| package | version | licence | files (under \`static/vendor/\`) |
|---|---|---|---|
| @tabler/core (includes Bootstrap 5 and Popper) | $TABLER | $(lic tabler) | \`tabler-core/$TABLER/\`: $(files tabler-core "$TABLER") |
| htmx.org | $HTMX | $(lic htmx) | \`htmx/$HTMX/\`: $(files htmx "$HTMX") |
| alpinejs | $ALPINE | $(lic alpine) | \`alpinejs/$ALPINE/\`: $(files alpinejs "$ALPINE") (\`dist/cdn.min.js\`) |

@tabler/core and alpinejs ship no LICENSE file in their npm packages; their \`LICENSE\` here is the MIT text
(the licence their package.json declares) with the upstream copyright notice.
MD
echo "vendored into $DEST"
