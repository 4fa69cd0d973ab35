#!/usr/bin/env bash
# Runs fuzz targets for SECONDS each (default 630), N at a time (default 2),
# at low priority, logging to fuzz/logs/<target>.log. Stable toolchain:
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the sanitizer flags it needs.
#   bash fuzz/run_all.sh [SECONDS] [N] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-630}"
n="${2:-2}"
shift 2 2>/dev/null || true
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=(yaml json toml markdown document locate)
mkdir -p logs
running=0
for t in "${targets[@]}"; do
	mkdir -p "corpus/$t"
	RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O "$t" -- -max_total_time="$secs" \
		-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"logs/$t.log" 2>&1 &
	running=$((running + 1))
	if [ "$running" -ge "$n" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for t in "${targets[@]}"; do
	echo "$t: $(grep -E '^(#[0-9]+\s+DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY)' "logs/$t.log" | tr '\n' ' ')"
done
