#!/usr/bin/env bash
# Re-fetches the vendored charting files from npm (only this script needs Node.js; running the service does not):
#   bash src/Positions.Api/wwwroot/vendor/rebuild.sh
# Observable Plot (ISC) renders SVG, so every statement marker is a DOM element; its UMD build needs the d3 global,
# so d3's own minified bundle (ISC) is vendored beside it. Change the versions here to upgrade.
set -euo pipefail
PLOT_VERSION=0.6.17
D3_VERSION=7.9.0
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@observablehq/plot@$PLOT_VERSION" "d3@$D3_VERSION" >/dev/null
tar xzf observablehq-plot-$PLOT_VERSION.tgz && cp package/dist/plot.umd.min.js "$here/" && cp package/LICENSE "$here/LICENSE.plot" && rm -rf package
tar xzf d3-$D3_VERSION.tgz && cp package/dist/d3.min.js "$here/" && cp package/LICENSE "$here/LICENSE.d3" && rm -rf package
echo "Vendored Plot $PLOT_VERSION and d3 $D3_VERSION into $here"
