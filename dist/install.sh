#!/usr/bin/env bash
# Installs aimsgate for the GitHub Action (action.yml): the release archive
# for the runner, verified against the SHA-256 committed in dist/checksums.txt,
# or a build of the action's own source where no archive fits the runner (or
# with `version: source`). Fails closed: a missing or different sum stops the
# job, it never falls back to an unverified binary.
#
# Runs under bash on Linux, macOS (bash 3.2 is enough) and Windows (Git Bash).
#
# Environment (set by action.yml and the runner):
#   AIMSGATE_VERSION            the `version` input: empty (this action's own
#                               release), vX.Y.Z / X.Y.Z, or `source`
#   AIMSGATE_ACTION_REPOSITORY  owner/name of the action (github.action_repository)
#   AIMSGATE_RELEASE_URL        optional base URL of the releases, for mirrors
#                               (default: $GITHUB_SERVER_URL/<repository>/releases/download)
#   GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH
set -euo pipefail

# A workflow command's data, escaped as the runner expects (% CR LF).
escape_data() {
	local s="$1"
	s="${s//'%'/%25}"
	s="${s//$'\r'/%0D}"
	s="${s//$'\n'/%0A}"
	printf '%s' "$s"
}

die() {
	echo "::error title=aimsgate install::$(escape_data "$*")"
	exit 1
}

# A path as this shell sees it (Git Bash on Windows: /d/a/_temp, not D:\a\_temp).
posix_path() {
	if command -v cygpath >/dev/null 2>&1; then cygpath -u "$1"; else printf '%s' "$1"; fi
}

# A path as the runner reads it from $GITHUB_PATH (Windows form on Windows).
native_path() {
	if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else printf '%s' "$1"; fi
}

sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	else
		die "neither sha256sum nor shasum is on PATH: cannot verify the download"
	fi
}

action_path="$(posix_path "${GITHUB_ACTION_PATH:?run this as a step of the aimsgate action}")"
checksums="$action_path/dist/checksums.txt"

# The version this action's source is: [package] version in its Cargo.toml.
own_version="v$(awk -F'"' '/^\[/{p = ($0 == "[package]")} p && /^version[ \t]*=/{print $2; exit}' "$action_path/Cargo.toml")"
[ "$own_version" != "v" ] || die "cannot read the package version from $action_path/Cargo.toml"

requested="${AIMSGATE_VERSION:-}"
case "$requested" in
	"") version="$own_version" ;;
	source) version=source ;;
	v*) version="$requested" ;;
	*) version="v$requested" ;;
esac
release_re='^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$'
if [ "$version" != source ] && ! [[ "$version" =~ $release_re ]]; then
	die "version must be a release such as v1.2.3, or 'source'; got '$requested'"
fi

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
	Linux/X64) target=x86_64-unknown-linux-musl ;;
	Linux/ARM64) target=aarch64-unknown-linux-musl ;;
	macOS/X64) target=x86_64-apple-darwin ;;
	macOS/ARM64) target=aarch64-apple-darwin ;;
	Windows/X64) target=x86_64-pc-windows-msvc ;;
	Windows/ARM64) target=aarch64-pc-windows-msvc ;;
	*) target="" ;;
esac
exe=""
[ "${RUNNER_OS:-}" = Windows ] && exe=".exe"

temp_root="$(posix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")"
install_root="$temp_root/aimsgate/$version"
rm -rf "$install_root"
mkdir -p "$install_root/bin"

if [ "$version" = source ] || [ -z "$target" ]; then
	if [ "$version" != source ] && [ "$version" != "$own_version" ]; then
		die "no aimsgate release archive for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}, and this action's source is $own_version, not $version: use the action at the $version tag, or set version: source"
	fi
	command -v cargo >/dev/null 2>&1 ||
		die "no release archive fits ${RUNNER_OS:-?}/${RUNNER_ARCH:-?} and cargo is not installed: install a Rust toolchain before this step"
	echo "Building aimsgate $own_version from the action's source (cargo install --locked)"
	# Never from the workspace: cargo and rustup read .cargo/config.toml and
	# rust-toolchain.toml from the directory they run in and its parents, and
	# the workspace is the pull request's. The build runs in a directory of
	# its own, with a CARGO_HOME of its own (no config but cargo's defaults),
	# and the toolchain that is the default outside any project.
	build_dir="$temp_root/aimsgate-build-$$"
	rm -rf "$build_dir"
	mkdir -p "$build_dir/cargo-home"
	case "$build_dir/" in
		"$(posix_path "${GITHUB_WORKSPACE:-/nonexistent}")"/*) die "RUNNER_TEMP is inside the workspace: refusing to build there" ;;
	esac
	toolchain="${RUSTUP_TOOLCHAIN:-}"
	if [ -z "$toolchain" ] && command -v rustup >/dev/null 2>&1; then
		toolchain="$(cd "$build_dir" && rustup show active-toolchain 2>/dev/null | cut -d' ' -f1)" || toolchain=""
	fi
	(
		cd "$build_dir"
		export CARGO_HOME="$build_dir/cargo-home" CARGO_TARGET_DIR="$build_dir/target"
		[ -z "$toolchain" ] || export RUSTUP_TOOLCHAIN="$toolchain"
		unset RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER CARGO_BUILD_RUSTC_WRAPPER
		cargo install --locked --path "$action_path" --root "$install_root"
	) || die "cargo install of the action's source failed"
	rm -rf "$build_dir"
	bin="$install_root/bin/aimsgate$exe"
	installed="$own_version (built from source)"
else
	asset="aimsgate-$version-$target.tar.gz"
	[ -f "$checksums" ] || die "$checksums is missing: cannot verify $asset"
	expected="$(awk -v a="$asset" '!/^#/ && ($2 == a || $2 == "*" a) {print $1}' "$checksums")"
	case "$expected" in
		"")
			die "dist/checksums.txt of this action has no SHA-256 for $asset: use the action at the $version release (its checksums are committed there), or set version: source" ;;
		*[!0-9a-f]* | *$'\n'*)
			die "dist/checksums.txt has a malformed or repeated entry for $asset" ;;
	esac
	[ "${#expected}" -eq 64 ] || die "dist/checksums.txt has a malformed entry for $asset"

	repository="${AIMSGATE_ACTION_REPOSITORY:-}"
	if [ -z "$repository" ]; then
		# github.action_repository can be empty in composite actions; the
		# runner keeps actions at .../_actions/OWNER/NAME/REF.
		case "$action_path" in
			*/_actions/*/*/*)
				rest="${action_path#*/_actions/}"
				owner="${rest%%/*}"
				rest="${rest#*/}"
				repository="$owner/${rest%%/*}" ;;
			*) repository="${GITHUB_REPOSITORY:-}" ;;
		esac
	fi
	base="${AIMSGATE_RELEASE_URL:-${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download}"
	url="$base/$version/$asset"
	archive="$install_root/$asset"
	echo "Downloading $url"
	curl --fail --silent --show-error --location --retry 3 --proto '=https,file' \
		--output "$archive" "$url" || die "cannot download $url"
	actual="$(sha256_of "$archive")"
	if [ "$actual" != "$expected" ]; then
		rm -f "$archive"
		die "SHA-256 mismatch for $asset: expected $expected (dist/checksums.txt), got $actual; not installing it"
	fi
	echo "SHA-256 verified: $actual  $asset"
	tar -xzf "$archive" -C "$install_root"
	rm -f "$archive"
	unpacked="$install_root/aimsgate-$version-$target/aimsgate$exe"
	[ -f "$unpacked" ] || die "$asset does not contain aimsgate-$version-$target/aimsgate$exe"
	mv "$unpacked" "$install_root/bin/"
	rm -rf "$install_root/aimsgate-$version-$target"
	bin="$install_root/bin/aimsgate$exe"
	chmod +x "$bin"
	installed="$version ($target)"
fi

"$bin" --version >/dev/null || die "the installed aimsgate does not run on this runner"
echo "Installed aimsgate $installed at $bin"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	{
		echo "bin=$bin"
		echo "version=$version"
	} >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
	native_path "$install_root/bin" >>"$GITHUB_PATH"
	echo >>"$GITHUB_PATH"
fi
