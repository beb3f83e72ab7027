#!/usr/bin/env bash
# Copy botocore's Lambda model into models/, extend the argument-order lock (new members
# go last, so positional calls keep working), regenerate, log the diff.
# BOTOCORE=path/to/botocore-X.Y.Z-py3-none-any.whl (or a folder holding botocore) takes the
# model from there instead of the installed botocore:
#   pip download --no-deps botocore==1.44.8 -d /tmp/bc
#   BOTOCORE=/tmp/bc/botocore-1.44.8-py3-none-any.whl make update-model
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
dest=models/lambda/2015-03-31
old=$(mktemp)
trap 'rm -f "$old"' EXIT
cp "$dest/service-2.json" "$old"
"$PYTHON" scripts/copy_model.py lambda 2015-03-31 "$dest" ${BOTOCORE:+"$BOTOCORE"}
# pawscore's R tests carry their own copy of the rule set, to run under R CMD check.
cp "$dest/endpoint-rule-set-1.json" "$dest/partitions.json" r/pawscore/tests/testthat/endpoints/
version=$("$PYTHON" scripts/copy_model.py --version ${BOTOCORE:+"$BOTOCORE"})
old_version=$(sed -n 's/^| `lambda\/2015-03-31\/service-2.json` .* | \([0-9][0-9.]*\) |$/\1/p' models/README.md)
# Only Lambda's rows: the other pinned models keep their own versions.
sed -i "/^| \`lambda\//s/| [0-9][0-9.]* |\$/| $version |/" models/README.md
"$PYTHON" -m codegen lock --model "$dest/service-2.json"
"$PYTHON" -m codegen --model "$dest/service-2.json"
"$PYTHON" scripts/sync_r_test_data.py  # the R runtime's test data derives from the model too
if ! cmp -s "$old" "$dest/service-2.json"; then
  entry=$(mktemp)
  "$PYTHON" -m codegen diff --title "Lambda model: botocore $old_version -> $version" \
    "$old" "$dest/service-2.json" >"$entry"
  # The newest entry goes first, under the file's title line.
  {
    if [ -f CHANGELOG.md ]; then head -n 1 CHANGELOG.md; else echo "# Changelog"; fi
    echo
    cat "$entry"
    echo
    if [ -f CHANGELOG.md ]; then tail -n +2 CHANGELOG.md | sed '/./,$!d'; fi
  } >CHANGELOG.md.new
  mv CHANGELOG.md.new CHANGELOG.md
  rm -f "$entry"
  echo "update-model: model changed (botocore $old_version -> $version); see CHANGELOG.md"
else
  echo "update-model: botocore $version has the same model"
fi
