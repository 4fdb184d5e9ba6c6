#!/usr/bin/env bash
# Cost of the manager's files and of the half-year and annual team reports (issue 23).
#   scripts/bench_periods.sh [work-dir]
# BROKERCOMP_BIN=target/debug/brokercomp times that binary instead of building a release one.
# Measures, on this machine, in one run:
#   E  dossier --from 2025-10 --to 2026-10 on the shipped sample (every manager with a payroll row,
#      13 months), the ledger warm (the months run once before); median of 5 (target ≤ 2 s)
#   N  run --month 2026-11 and
#   D  run --month 2026-12 (which also writes 团队分析_2026H2 and 团队分析_2026) on the months of
#      scripts/bench_history.sh (72 generated months 2021-01..2026-12, --clients 20000 --managers 200,
#      one standard from 2021-01), history cached; alternating N and D, median of 5 each
#      (target D / N ≤ 1.10)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/brokercomp-periods}
if [ -n "${BROKERCOMP_BIN:-}" ]; then
  bin=$(realpath "$BROKERCOMP_BIN")
else
  cargo build --release --quiet
  bin=$PWD/target/release/brokercomp
fi
echo "binary: $bin"
mkdir -p "$work"
secs() { # command… → wall seconds
  local s e
  s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN {printf "%.3f", e - s}'
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# E: the shipped sample, its ledger warmed by running its months once.
rm -rf "$work/shipped"
"$bin" run --from 2025-10 --to 2026-10 --out "$work/shipped" > /dev/null 2>&1 || true
E=$(for i in 1 2 3 4 5; do secs "$bin" dossier --from 2025-10 --to 2026-10 --out "$work/shipped"; echo; done | median)
files=$(ls "$work/shipped/档案" | wc -l)
echo "E  dossier of $files managers over 13 months, warm ledger: ${E}s (median of 5; target ≤ 2 s)"

# N and D: the history benchmark's months.
if [ ! -d "$work/history/data/2026-12" ]; then
  echo "generating 72 months (20,000 clients, 200 managers)…"
  "$bin" sample --out "$work/history/data" --from 2021-01 --to 2026-12 --clients 20000 --managers 200 > /dev/null
fi
mkdir -p "$work/history/standards"
sed 's/^effective_from = .*/effective_from = "2021-01"/' config/standards/2026.toml > "$work/history/standards/2021.toml"
sed -e "s#^data = .*#data = \"$work/history/data\"#" -e "s#^reports = .*#reports = \"$work/history/reports\"#" \
    -e "s#^standards = .*#standards = \"$work/history/standards\"#" config/brokercomp.toml > "$work/history/brokercomp.toml"
run() { "$bin" run --config "$work/history/brokercomp.toml" "$@"; }
if [ ! -f "$work/history/reports/2026-12/manifest.json" ]; then
  echo "running the 72 months once (the history cached)…"
  run --from 2021-01 --to 2026-12 > /dev/null 2>&1 || true
fi
ns=(); ds=()
for i in 1 2 3 4 5; do
  ns+=("$(secs run --month 2026-11)")
  ds+=("$(secs run --month 2026-12)")
done
N=$(printf '%s\n' "${ns[@]}" | median)
D=$(printf '%s\n' "${ds[@]}" | median)
echo "N  run --month 2026-11, history cached: ${N}s (median of 5: ${ns[*]})"
echo "D  run --month 2026-12 with 团队分析_2026H2 and 团队分析_2026: ${D}s (median of 5: ${ds[*]})"
echo "D/N = $(awk -v d="$D" -v n="$N" 'BEGIN {printf "%.3f", d / n}') (target ≤ 1.10)"
