#!/usr/bin/env bash
# Copy the installed botocore's Lambda model into models/, extend the argument-order
# lock (new members go last, so positional calls keep working), regenerate, log the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
dest=models/lambda/2015-03-31
old=$(mktemp)
trap 'rm -f "$old"' EXIT
cp "$dest/service-2.json" "$old"
"$PYTHON" scripts/copy_model.py lambda 2015-03-31 "$dest"
version=$("$PYTHON" -c 'import botocore; print(botocore.__version__)')
sed -i "s/| [0-9][0-9.]* |\$/| $version |/" models/README.md
"$PYTHON" -m codegen lock --model "$dest/service-2.json"
"$PYTHON" -m codegen --model "$dest/service-2.json"
if ! cmp -s "$old" "$dest/service-2.json"; then
  {
    echo "## Lambda model from botocore $version"
    echo
    "$PYTHON" -m codegen diff "$old" "$dest/service-2.json"
    echo
    [ -f CHANGELOG.md ] && cat CHANGELOG.md
  } >CHANGELOG.md.new
  mv CHANGELOG.md.new CHANGELOG.md
  echo "update-model: model changed; see CHANGELOG.md"
else
  echo "update-model: the installed botocore has the same model ($version)"
fi
