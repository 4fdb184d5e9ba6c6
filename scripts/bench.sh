#!/usr/bin/env bash
# Benchmark of a head-office month: 1,000,000 clients, 5,000 managers.
#   scripts/bench.sh [work-dir]
# Builds the month with `brokercomp sample` (once), then measures in the same run on the same
# machine: the floor (read the inputs with calamine + write a 1,000,000-row sheet of the detail's
# width in constant memory) and the full pipeline (`brokercomp run --timings`), each with
# /usr/bin/time -v. Prints both wall times, their ratio and the peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/brokercomp-bench}
month=2026-10
cargo build --release --quiet
cargo build --release --quiet --example floor
bin=target/release/brokercomp
if [ ! -f "$work/data/$month/crm_$month.xlsx" ]; then
  echo "building the month (1,000,000 clients, 5,000 managers)…"
  "$bin" sample --out "$work/data" --from $month --to $month --clients 1000000 --managers 5000
fi
ls -l "$work/data/$month"
measure() { # label, command…
  local label=$1; shift
  /usr/bin/time -v "$@" 2> "$work/$label.time" | tee "$work/$label.out" || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$label.time")
  echo "$label: wall $wall, peak RSS $((rss / 1024)) MiB"
  grep -E "timings|managers" "$work/$label.time" || true
}
to_secs() { awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<< "$1"; }
measure floor target/release/examples/floor "$work/data/$month"
rm -rf "$work/reports"
measure pipeline "$bin" run --month $month --data "$work/data" --out "$work/reports" --timings --config config/brokercomp.toml
f=$(to_secs "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/floor.time")")
p=$(to_secs "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/pipeline.time")")
echo "ratio pipeline/floor: $(awk -v p="$p" -v f="$f" 'BEGIN {printf "%.2f", p/f}') (targets: ≤ 1.3 of the head-office scale issue, ≤ 1.0 of issue 20)"
ls -l "$work/reports/$month"
