# Sourced by scripts/test.sh and tests/external/*.sh: installs third-party
# tools into .tools/ (never system-wide, except apt packages), once.
# Registries only: PyPI, npm, Debian.

TOOLS_DIR="${TOOLS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools}"
mkdir -p "$TOOLS_DIR"
export PATH="$TOOLS_DIR/venv/bin:$TOOLS_DIR/node/node_modules/.bin:$PATH"

# pip_tool PACKAGE==VERSION...: into a virtualenv under .tools/venv
pip_tool() {
	if [ ! -x "$TOOLS_DIR/venv/bin/python" ]; then
		python3 -m venv "$TOOLS_DIR/venv"
	fi
	local missing=()
	for spec in "$@"; do
		if ! "$TOOLS_DIR/venv/bin/python" -m pip show "${spec%%[=<>]*}" >/dev/null 2>&1; then
			missing+=("$spec")
		fi
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		"$TOOLS_DIR/venv/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
	fi
}

# npm_tool PACKAGE@VERSION...: into .tools/node/node_modules
npm_tool() {
	mkdir -p "$TOOLS_DIR/node"
	local missing=()
	for spec in "$@"; do
		local name="${spec%@*}"
		[ -z "$name" ] && name="$spec"
		if [ ! -d "$TOOLS_DIR/node/node_modules/$name" ]; then
			missing+=("$spec")
		fi
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		(cd "$TOOLS_DIR/node" && [ -f package.json ] || echo '{"private": true}' > "$TOOLS_DIR/node/package.json"
		 cd "$TOOLS_DIR/node" && npm install --silent --no-audit --no-fund "${missing[@]}" >/dev/null)
	fi
}

# apt_tool COMMAND PACKAGE...: apt-get install when COMMAND is not on PATH
apt_tool() {
	local command="$1"
	shift
	if ! command -v "$command" >/dev/null 2>&1; then
		if [ -z "${APT_UPDATED:-}" ]; then
			apt-get update -qq >/dev/null
			export APT_UPDATED=1
		fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
	fi
}

# opa_py: OPA (Go) as a shared library from the opa-golib-python-bindings
# wheel, unzipped (its metadata asks for Python 3.14, it runs on 3.11).
opa_py() {
	export OPA_PY="$TOOLS_DIR/opa-py"
	if [ ! -d "$OPA_PY/opa_bindings" ]; then
		local wheel_dir="$TOOLS_DIR/opa-wheel"
		python3 -m pip download --quiet --disable-pip-version-check --no-deps \
			opa-golib-python-bindings==0.4.4 --python-version 3.14 --only-binary=:all: -d "$wheel_dir"
		python3 -m zipfile -e "$wheel_dir"/opa_golib_python_bindings-0.4.4-*.whl "$OPA_PY"
	fi
}

# The aimsgate binary the external tests drive (built by scripts/test.sh).
AIMSGATE="${AIMSGATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/debug/aimsgate}"
export AIMSGATE
