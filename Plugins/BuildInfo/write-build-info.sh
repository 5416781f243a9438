#!/bin/sh
# write-build-info.sh PACKAGE_DIRECTORY OUTPUT_FILE
# Writes OUTPUT_FILE, a Swift file with the package checkout's commit and dirty flag (Plugins/BuildInfo runs
# it before every build). The package must be the top of its own git work tree: a tarball unpacked inside
# some other repository must not record that repository's commit. The file is replaced only when its text
# changes, so that an unchanged checkout recompiles nothing.
set -u
package=$1 output=$2
PATH=/usr/bin:/bin:/usr/local/bin:${PATH:-}
commit=unknown dirty=false
top=$(git -C "$package" rev-parse --show-toplevel 2>/dev/null) || top=
here=$(cd "$package" && pwd -P)
if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$here" ] && head=$(git -C "$package" rev-parse HEAD 2>/dev/null); then
  commit=$head
  changes=$(git --no-optional-locks -C "$package" status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null) || changes=
  [ -z "$changes" ] || dirty=true
fi
mkdir -p "$(dirname "$output")" || exit 1
temporary="$output.tmp.$$"
cat > "$temporary" <<SWIFT || exit 1
// Written before every build by Plugins/BuildInfo (not tracked; do not edit).
/// The source this binary was built from.
enum BuildInfo {
    /// The commit of the package checkout, or \`unknown\` when it was built outside a git checkout.
    static let gitCommit = "$commit"
    /// Whether tracked files under Sources/ or Package.swift had uncommitted changes.
    static let gitDirty = $dirty
}
SWIFT
if cmp -s "$temporary" "$output"; then rm -f "$temporary"; else mv -f "$temporary" "$output"; fi
