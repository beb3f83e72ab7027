#!/usr/bin/env bash
# R CMD check --no-manual each package given; fail on any ERROR or WARNING.
# Give the packages in dependency order (pawscore first): each package is checked
# against the ones checked before it (their .Rcheck installs come first in R_LIBS),
# never against an older copy in some R library.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
checked_libs=""
for dir in "$@"; do
  name=$(basename "$dir")
  (cd "$out" && R CMD build --no-build-vignettes --no-manual "$OLDPWD/$dir" >"build-$name.log" 2>&1) || {
    cat "$out/build-$name.log"; exit 1; }
  tarball=$(ls "$out/${name}"_*.tar.gz)
  (cd "$out" && R_LIBS="${checked_libs}${R_LIBS:-}" _R_CHECK_CRAN_INCOMING_=false \
     _R_CHECK_FORCE_SUGGESTS_=false \
     R CMD check --no-manual --no-build-vignettes "$tarball" >"check-$name.log" 2>&1) || true
  checked_libs="$out/${name}.Rcheck:$checked_libs"
  log="$out/${name}.Rcheck/00check.log"
  summary=$(tail -n 3 "$log")
  echo "R CMD check $name: $(grep -E '^Status:' "$log" || echo 'no status')"
  # The package's own tests: testthat's counts (skips are test blocks, passes are
  # expectations). Only the live tier, which needs the emulator, may skip.
  rout=$(ls "$out/${name}.Rcheck/tests/"testthat.Rout* 2>/dev/null | head -n 1 || true)
  if [ -n "$rout" ]; then
    echo "  tests: $(grep -E '^\[ FAIL' "$rout" | tail -n 1)"
    other=$(sed -n '/Skipped/,/^\[ FAIL/p' "$rout" | grep -E '^• ' | grep -v 'live tier' || true)
    if [ -n "$other" ]; then
      echo "  skipped outside the live tier:"; echo "$other"; status=1
    fi
  else
    echo "  tests: none"
  fi
  if grep -qE '^Status: .*(ERROR|WARNING)' "$log" || ! grep -q '^Status:' "$log"; then
    cat "$log"
    status=1
  elif grep -q 'NOTE' "$log"; then
    grep -B2 -A8 'NOTE$' "$log" || true
  fi
done
exit $status
