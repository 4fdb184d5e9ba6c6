#!/usr/bin/env bash
# Benchmark of the cross-month cost (issue "Closed months"): 72 generated months, 2021-01 to
# 2026-12, --clients 20000 --managers 200, one standard in force from 2021-01.
#   scripts/bench_history.sh [work-dir]
# Measures, on this machine, in one run:
#   A  run --from 2021-01 --to 2026-12 on a cold cache (no reports folder)
#   B  the sum over the 72 months of run --month M, each alone, with the history cached
#   C  run --month 2026-12 again, with the history cached
#   D  run --month 2026-12 in a data folder that holds only 2026-12 (no history at all)
# and prints A / B (target ≤ 1.05) and C / D (target ≤ 1.05, issue 20).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/brokercomp-history}
cargo build --release --quiet
bin=$PWD/target/release/brokercomp
mkdir -p "$work"
if [ ! -d "$work/data/2026-12" ]; then
  echo "generating 72 months (20,000 clients, 200 managers)…"
  "$bin" sample --out "$work/data" --from 2021-01 --to 2026-12 --clients 20000 --managers 200
fi
mkdir -p "$work/standards" "$work/alone/data"
sed 's/^effective_from = .*/effective_from = "2021-01"/' config/standards/2026.toml > "$work/standards/2021.toml"
sed -e "s#^data = .*#data = \"$work/data\"#" -e "s#^reports = .*#reports = \"$work/reports\"#" \
    -e "s#^standards = .*#standards = \"$work/standards\"#" config/brokercomp.toml > "$work/brokercomp.toml"
rm -rf "$work/alone/data/2026-12" && cp -r "$work/data/2026-12" "$work/alone/data/"
secs() { # command… → wall seconds
  local s e
  s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN {printf "%.3f", e - s}'
}
cpu() { # command… → CPU seconds (user + system, with the reader processes)
  { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.3f", $1 + $2}'
}
median5() { # command… → median wall seconds of five runs
  for i in 1 2 3 4 5; do secs "$@"; echo; done | sort -n | sed -n 3p
}
run() { "$bin" run --config "$work/brokercomp.toml" "$@"; }
cpu_run() { cpu "$bin" run --config "$work/brokercomp.toml" "$@"; }
rm -rf "$work/reports"
s0=$(date +%s.%N)
Ac=$(cpu_run --from 2021-01 --to 2026-12)
A=$(awk -v s="$s0" -v e="$(date +%s.%N)" 'BEGIN {printf "%.3f", e - s}')
echo "A  range 2021-01..2026-12, cold cache: ${A}s, CPU ${Ac}s"
B=0
Bc=0
for y in 2021 2022 2023 2024 2025 2026; do
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    s0=$(date +%s.%N)
    c=$(cpu_run --month "$y-$m")
    t=$(awk -v s="$s0" -v e="$(date +%s.%N)" 'BEGIN {printf "%.3f", e - s}')
    B=$(awk -v b="$B" -v t="$t" 'BEGIN {printf "%.3f", b + t}')
    Bc=$(awk -v b="$Bc" -v t="$c" 'BEGIN {printf "%.3f", b + t}')
  done
done
echo "B  Σ of the 72 months run alone, history cached: ${B}s, CPU ${Bc}s"
C=$(median5 run --month 2026-12)
Cc=$(cpu_run --month 2026-12)
echo "C  2026-12 again, history cached: ${C}s (median of 5), CPU ${Cc}s"
D=$(median5 run --month 2026-12 --data "$work/alone/data" --out "$work/alone/reports")
Dc=$(cpu_run --month 2026-12 --data "$work/alone/data" --out "$work/alone/reports")
echo "D  2026-12 with no history at all: ${D}s (median of 5), CPU ${Dc}s"
echo "A/B = $(awk -v a="$A" -v b="$B" 'BEGIN {printf "%.3f", a / b}') wall, $(awk -v a="$Ac" -v b="$Bc" 'BEGIN {printf "%.3f", a / b}') CPU (target ≤ 1.05)"
echo "C/D = $(awk -v c="$C" -v d="$D" 'BEGIN {printf "%.3f", c / d}') wall, $(awk -v c="$Cc" -v d="$Dc" 'BEGIN {printf "%.3f", c / d}') CPU (target ≤ 1.05)"
