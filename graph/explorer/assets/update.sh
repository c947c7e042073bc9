#!/usr/bin/env bash
# update.sh — vendors GraphiQL and React from the npm registry into this folder.
#
#   graph/explorer/assets/update.sh                     # the versions below
#   GRAPHIQL=3.9.0 REACT=18.3.1 graph/explorer/assets/update.sh
#
# Needs npm (to fetch the packages) and nothing else: the production builds are copied as
# they are, with their licences. Then update the versions in README.md, run
# `go test ./graph/explorer` and the browser test (TestExplorerInABrowser), and commit.
set -euo pipefail

GRAPHIQL="${GRAPHIQL:-3.9.0}"
REACT="${REACT:-18.3.1}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
mkdir graphiql react react-dom
tar xzf "graphiql-$GRAPHIQL.tgz" -C graphiql
tar xzf "react-$REACT.tgz" -C react
tar xzf "react-dom-$REACT.tgz" -C react-dom

cp graphiql/package/graphiql.min.js graphiql/package/graphiql.min.css "$here/"
cp graphiql/package/LICENSE "$here/LICENSE.graphiql"
cp react/package/umd/react.production.min.js "$here/"
cp react/package/LICENSE "$here/LICENSE.react"
cp react-dom/package/umd/react-dom.production.min.js "$here/"
cp react-dom/package/LICENSE "$here/LICENSE.react-dom"
# The builds name source maps that are not shipped: drop the reference, so that a
# browser's developer tools do not ask for them.
sed -i -e '/^\/\/# sourceMappingURL=/d' "$here"/*.min.js
sed -i -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$here"/*.min.css

( cd "$here" && sha256sum *.min.js *.min.css )
echo "vendored graphiql $GRAPHIQL, react and react-dom $REACT into $here"
