#!/usr/bin/env bash
# Install everything a new machine lacks to build, test and demo pawsgen.
# Idempotent: each step checks first and does nothing when its part is present.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
R_DEBS="r-base-core r-base-dev r-cran-curl r-cran-jsonlite r-cran-digest r-cran-xml2 r-cran-testthat"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo --preserve-env=DEBIAN_FRONTEND "$@"; fi
}

# 1. R and the R packages pawscore needs, from Debian (CRAN is not reachable).
missing=""
for pkg in $R_DEBS; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq $missing >/dev/null
fi

# 2. The Python distribution (editable) with the pinned test and build tools.
if ! "$PYTHON" - <<'PY' 2>/dev/null
import importlib.metadata as md, sys
# name -> (lowest, below) version bounds, or an exact version string
need = {"pawsgen": None, "regex": None, "jinja2": None, "pytest": None, "hypothesis": None,
        "boto3": None, "moto": None, "flask": None, "mypy": None, "ruff": "0.17.6", "rpy2": ("3.5", "3.6")}
def vt(v): return tuple(int(x) for x in v.split(".")[:3] if x.isdigit())
for name, want in need.items():
    v = md.version(name)
    if isinstance(want, str) and v != want:
        sys.exit(1)
    if isinstance(want, tuple) and not (vt(want[0]) <= vt(v)[:2] < vt(want[1])):
        sys.exit(1)
# an editable install must point at this checkout, and know every package of python/
# (a generated package added since the install is invisible to its import finder)
import importlib.util, pathlib
here = pathlib.Path("python").resolve()
for init in sorted(here.glob("paws*/__init__.py")):
    spec = importlib.util.find_spec(init.parent.name)
    if spec is None or spec.origin is None or pathlib.Path(spec.origin).resolve() != init:
        sys.exit(1)
PY
then
  echo "setup: pip install -e python/[dev]"
  "$PYTHON" -m pip install -q --disable-pip-version-check -e "python/[dev]"
fi

# 3. The C accelerator of the Python runtime (pawscore._native), built in place beside
# the sources the editable install imports; rebuilt when its C sources are newer.
# Without it pawscore runs in pure Python (the tests check that it was built).
"$PYTHON" scripts/build_native.py || echo "setup: warning: pawscore._native not built; pure Python decoder in use"

# 4. The R packages: pawscore, then every generated package (r/*/DESCRIPTION), each
# reinstalled only when its sources changed.
install_r_pkg() {
  local dir=$1 name
  name=$(basename "$dir")
  local stamp=".stamp-r-$name"
  local installed
  installed=$(Rscript -e "cat(system.file(package = '$name') != '')" 2>/dev/null || echo FALSE)
  if [ "$installed" != TRUE ] || [ ! -f "$stamp" ] || [ -n "$(find "$dir" -newer "$stamp" -type f -print -quit)" ]; then
    echo "setup: R CMD INSTALL $dir"
    R CMD INSTALL --no-multiarch --preclean "$dir" >".r-install-$name.log" 2>&1 || {
      cat ".r-install-$name.log"; exit 1; }
    rm -f ".r-install-$name.log"
    rm -rf "$dir/src/"*.o "$dir/src/"*.so
    touch "$stamp"
  fi
}
install_r_pkg r/pawscore
for desc in r/*/DESCRIPTION; do
  dir=$(dirname "$desc")
  [ "$dir" = r/pawscore ] || install_r_pkg "$dir"
done
