#!/usr/bin/env bash
# Benchmark of head office's month (SPEC §4.13): 300 branches' packages consolidated.
#   scripts/bench_consolidate.sh [work-dir]
# Makes the packages once (each branch: `sample` of a small month with its own seed and size,
# `run`, every third one signed by three ssh-keygen keys with `approve`, `close`, `file`; the
# branch's folders are removed once it has filed, only its package is kept), then times
# `consolidate` with /usr/bin/time -v over 100, 200 and 300 of them (wall time and peak RSS).
# The binary is a release build unless BROKERCOMP names another (e.g. target/debug/brokercomp).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=${1:-/tmp/brokercomp-consolidate}
month=2026-10
branches=300
if [ -z "${BROKERCOMP:-}" ]; then
  cargo build --release --quiet
  BROKERCOMP=$repo/target/release/brokercomp
fi
bin=$(realpath "$BROKERCOMP")
mkdir -p "$work/filings" "$work/keys"

# Three signers' keys, shared by the signed branches (one person may sign for several).
for id in zhang li wang; do
  [ -f "$work/keys/$id" ] || ssh-keygen -q -t ed25519 -N "" -C "$id" -f "$work/keys/$id"
done
signers_toml() { # prefix ("" for brokercomp.toml, "branches." for branches.toml)
  local names=(张会计 李副经理 王经理) roles=(主办会计 "副经理（经理助理）" 经理) ids=(zhang li wang)
  for i in 0 1 2; do
    printf '[[%ssigners]]\nname = "%s"\nrole = "%s"\nkey = "%s"\n' "$1" "${names[$i]}" "${roles[$i]}" \
      "$(cut -d' ' -f1,2 "$work/keys/${ids[$i]}.pub")"
  done
}

make_branch() { # n
  local n=$1 code dir cfg
  code=$(printf 'B%03d' "$n")
  [ -f "$work/filings/${code}_${month/-/}.zip" ] && return 0
  dir="$work/branches/$code"
  rm -rf "$dir" && mkdir -p "$dir"
  "$bin" sample --out "$dir/data" --from $month --to $month \
    --managers $((6 + n % 10)) --clients $((250 + 10 * (n % 20))) --seed $((1000 + n)) 2> /dev/null
  cfg="$dir/brokercomp.toml"
  sed -e "s#示例证券股份有限公司深圳福田营业部#示例证券股份有限公司第${n}营业部#" \
      -e "s#code = \"SZFT\"#code = \"$code\"#" \
      -e "s#\"../sample_data\"#\"$dir/data\"#" -e "s#\"../reports\"#\"$dir/reports\"#" \
      -e "s#standards = \"standards\"#standards = \"$repo/config/standards\"#" \
      "$repo/config/brokercomp.toml" > "$cfg"
  if (( n % 3 == 0 )); then signers_toml "" >> "$cfg"; fi
  "$bin" run --config "$cfg" --month $month 2> /dev/null || [ $? -eq 1 ]
  if (( n % 3 == 0 )); then
    for id in zhang li wang; do "$bin" approve --config "$cfg" --month $month --key "$work/keys/$id" 2> /dev/null; done
  fi
  "$bin" close --config "$cfg" --month $month --by 结账员 2> /dev/null
  "$bin" file --config "$cfg" --month $month --to "$work/filings" 2> /dev/null
  rm -rf "$dir"
}
export -f make_branch signers_toml
export work month bin repo

have=$(find "$work/filings" -maxdepth 1 -name '*.zip' | wc -l)
if [ "$have" -lt "$branches" ]; then
  echo "making $branches branches' packages ($have there already)…"
  start=$(date +%s)
  seq 1 $branches | xargs -P "$(nproc)" -I{} bash -c 'make_branch {}'
  echo "packages made in $(( $(date +%s) - start )) s"
fi
rm -rf "$work/branches"
du -sh "$work/filings"

# The registry: every branch, the signed ones with their signers, a limit.
{
  for n in $(seq 1 $branches); do
    printf '[[branches]]\ncode = "B%03d"\nname = "第%d营业部"\n' "$n" "$n"
    if (( n % 3 == 0 )); then signers_toml "branches."; fi
  done
  printf '[limits]\nmax_pay_ratio = "0.9"\n'
} > "$work/branches.toml"

mapfile -t packages < <(find "$work/filings" -maxdepth 1 -name '*.zip' | sort)
echo "${#packages[@]} packages"
for count in 100 200 300; do
  sub="$work/filings-$count"
  rm -rf "$sub" && mkdir -p "$sub"
  ln "${packages[@]:0:$count}" "$sub/"
  rm -rf "$work/out-$count"
  /usr/bin/time -v "$bin" consolidate --branches "$work/branches.toml" --month $month \
    --filings "$sub" --out "$work/out-$count" 2> "$work/consolidate-$count.log" || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/consolidate-$count.log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/consolidate-$count.log")
  status=$(grep -E 'branches registered' "$work/consolidate-$count.log" || true)
  echo "$count packages: wall $wall, peak RSS $((rss / 1024)) MiB — $status"
done
ls -l "$work/out-$branches"
