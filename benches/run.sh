#!/usr/bin/env bash
# Benchmarks aimsgate end to end on synthetic monorepos, against real OPA's
# evaluation of the same built-in policies on the same inputs.
#
#   bash benches/run.sh [SIZES...]        (default: 100 1000 10000)
#
# Environment: BENCH_DIR (default /tmp/aimsgate-bench) holds the generated
# repositories; AIMSGATE overrides the binary (default: target/release,
# built here); SKIP_OPA=1 skips OPA; RUNS (default 3) repetitions of each
# end-to-end measurement, of which the median wall time is reported.
#
# Prints a Markdown table (one row per size) and the one-system (pre-commit)
# hyperfine result; docs/performance.md records the results.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/tools.sh
apt_tool /usr/bin/time time
apt_tool hyperfine hyperfine

SIZES=("$@")
[ "${#SIZES[@]}" -eq 0 ] && SIZES=(100 1000 10000)
BENCH_DIR="${BENCH_DIR:-/tmp/aimsgate-bench}"
RUNS="${RUNS:-3}"
NOW=2026-11-29
mkdir -p "$BENCH_DIR"

if [ -z "${AIMSGATE_BENCH_BIN:-}" ]; then
	cargo build --release --locked --quiet
	BIN="$ROOT/target/release/aimsgate"
else
	BIN="$AIMSGATE_BENCH_BIN"
fi
if [ -z "${SKIP_OPA:-}" ]; then
	opa_py
fi

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB, $(rustc --version), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# pack: $("$BIN" rules | tail -1)"
echo
echo "| systems | wall s (median of $RUNS) | user+sys s | CPU/wall | peak RSS MB | findings | OPA eval s | OPA eval - call overhead s | aimsgate e2e / OPA eval |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
	repo="$BENCH_DIR/r$n"
	if [ ! -f "$repo/generated.json" ] || ! grep -q "\"systems\": $n," "$repo/generated.json"; then
		python3 benches/generate.py "$n" "$repo" >/dev/null
	fi
	walls=()
	best_line=""
	for _ in $(seq "$RUNS"); do
		line=$(cd "$repo" && /usr/bin/time -f "%e %U %S %M" "$BIN" check . --now "$NOW" --format json 2>&1 >"$BENCH_DIR/out$n.json" | tail -1 || true)
		walls+=("$line")
	done
	# Median by wall time.
	median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
	read -r wall user sys rss <<<"$median"
	findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$BENCH_DIR/out$n.json")
	cpu=$(python3 -c "print(round($user + $sys, 2))")
	ratio=$(python3 -c "print(round(($user + $sys) / max($wall, 0.001), 2))")
	rss_mb=$(( rss / 1024 ))
	opa="-"
	opa_net="-"
	vs="-"
	if [ -z "${SKIP_OPA:-}" ]; then
		(cd "$repo" && "$BIN" inspect . --now "$NOW" >"$BENCH_DIR/inspect$n.json")
		opa_json=$(python3 benches/opa_eval.py "$BENCH_DIR/inspect$n.json")
		opa=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['eval_s'])" "$opa_json")
		opa_net=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['eval_minus_overhead_s'])" "$opa_json")
		vs=$(python3 -c "print(round($wall / $opa_net, 3))")
	fi
	echo "| $n | $wall | $cpu | $ratio | $rss_mb | $findings | $opa | $opa_net | $vs |"
done

# The pre-commit case: one system, scoped to the files being committed.
one="$BENCH_DIR/one"
if [ ! -f "$one/generated.json" ]; then
	python3 benches/generate.py 1 "$one" >/dev/null
fi
card=$(cd "$one" && find teams -name 'MODEL_CARD.md' -o -name 'model_card.*' -o -name README.md | head -1)
echo
echo "## one system, pre-commit (--files $card)"
# Warm: the compiled policies come from the cache (every run after the
# first); cold: the cache is off, so each run parses and compiles the pack.
(cd "$one" && hyperfine --warmup 3 --min-runs 30 -N -i --export-markdown "$BENCH_DIR/one.md" \
	-n "warm cache" "$BIN check . --now $NOW --files $card" \
	-n "no cache" "env AIMSGATE_CACHE_DIR= $BIN check . --now $NOW --files $card" >/dev/null)
cat "$BENCH_DIR/one.md"

# Loading is linear in the input whatever its shape: the same 2 MB card
# written on one line and pretty-printed, in JSON and in YAML.
shapes="$BENCH_DIR/shapes"
python3 - "$shapes" <<'PY'
import json, os, sys
root = sys.argv[1]
card = {"name": "Big", "version": "1", "owner": {"name": "x", "contact": "x@example.com"},
        "lifecycle": "development",
        "risk": {"tier": "minimal", "rationale": "r", "affects_people": False},
        "limitations": ["limitation " + "é" * 20 + " %d" % i for i in range(40000)]}
for name, text in [("json-one-line/model_card.json", json.dumps(card, ensure_ascii=False)),
                   ("json-pretty/model_card.json", json.dumps(card, indent=2, ensure_ascii=False)),
                   ("yaml-one-line/model_card.yaml", json.dumps(card, ensure_ascii=False))]:
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
PY
echo
echo "## one $(du -k "$shapes/json-one-line/model_card.json" | cut -f1) KB card, by shape"
hyperfine --warmup 1 --min-runs 5 -N -i --export-markdown "$BENCH_DIR/shapes.md" \
	-n "JSON on one line" "$BIN check $shapes/json-one-line --now $NOW" \
	-n "JSON pretty-printed" "$BIN check $shapes/json-pretty --now $NOW" \
	-n "YAML flow on one line" "$BIN check $shapes/yaml-one-line --now $NOW" >/dev/null
cat "$BENCH_DIR/shapes.md"
