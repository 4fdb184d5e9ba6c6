#!/usr/bin/env bash
# The same months on Windows (SPEC §5 "Platforms"): cross-build brokercomp.exe for
# x86_64-pc-windows-gnu with mingw-w64, run it under wine beside the Linux build, and compare.
#
#   scripts/windows.sh
#
# Needs: apt-get install gcc-mingw-w64-x86-64 wine64 (Debian), and the Rust target
# (`rustup target add x86_64-pc-windows-gnu`, a download from the Rust project's servers).
# The first run cross-builds polars (about 10 minutes on 2 cores, into target/windows/) and sets
# up a wine prefix (target/windows/wine). Set CARGO_LOCK=/path to run cargo under `flock` on it.
#
# What it does, in a workspace whose path holds Chinese characters and a space, with the same
# inputs, configuration and standards for both builds:
#   1. every command on both: sample, check, run (13 months), explain, whatif, approve (a key
#      on file, and a statement signed with ssh-keygen), status, close, verify, reopen and close
#      again; each exit status must be the same on both;
#   2. every output compared as the SPEC defines sameness: the payroll and what-if CSVs byte for
#      byte, each workbook's zip parts byte for byte (the container records its host system),
#      manifest.json but for its SHA-256 values and the build; the archive of the closed month
#      byte for byte; check's and explain's terminal output byte for byte;
#   3. on Windows: hostile workbooks (a zip bomb, a deflate bomb, a shared-strings table of four
#      billion entries) refused with a file-level error naming the file, the month untouched; a
#      run failing or killed between the two renames that replace a month's folder, and at the
#      other steps, leaves the folder whole and the next run cleans up; two runs of one month at
#      once both finish, one after the other.
# It exits 0 when everything matched, 1 otherwise.
#
# Not run by .ci/run: a clean CI machine has the Rust toolchain for Linux only and cannot fetch
# the Windows target (the README's "Windows" section says how to run this by hand).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=x86_64-pc-windows-gnu
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }

missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=("x86_64-w64-mingw32-gcc (apt-get install gcc-mingw-w64-x86-64)")
command -v wine >/dev/null || missing+=("wine (apt-get install wine64)")
command -v python3 >/dev/null || missing+=("python3")
command -v ssh-keygen >/dev/null || missing+=("ssh-keygen (apt-get install openssh-client)")
rustup target list --installed 2>/dev/null | grep -qx "$target" || missing+=("the Rust target $target (rustup target add $target)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'scripts/windows.sh needs: %s\n' "${missing[@]}" >&2
  exit 2
fi

cargo=(cargo)
[ -n "${CARGO_LOCK:-}" ] && cargo=(flock "$CARGO_LOCK" cargo)
echo "== build (dev profile): Linux, and $target with mingw-w64"
"${cargo[@]}" build --locked --quiet --bin brokercomp
"${cargo[@]}" build --locked --quiet --bin brokercomp --target "$target" --target-dir target/windows
linux_exe=$root/target/debug/brokercomp

# ---- the wine side -------------------------------------------------------------------------
export WINEPREFIX=$root/target/windows/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
[ -d "$WINEPREFIX/drive_c" ] || wineboot --init >/dev/null 2>&1
bin=$root/target/windows/bin
rm -rf "$bin" && mkdir -p "$bin"
# A hard link where it can (the debug exe is over a gigabyte), else a copy.
ln "target/windows/$target/debug/brokercomp.exe" "$bin/" 2>/dev/null || cp "target/windows/$target/debug/brokercomp.exe" "$bin/"
if [ ! -e "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
  # TEST SCAFFOLDING, NEVER SHIPPED: wine 8 lacks bcryptprimitives.dll, which Rust's standard
  # library imports for ProcessPrng (Windows 10 and later have it). This stand-in gives
  # ProcessPrng through RtlGenRandom (advapi32's SystemFunction036) and lives only beside the
  # test copy of the exe, in target/windows/bin.
  cat > "$bin/bcryptprimitives.c" <<'C'
/* Test scaffolding for scripts/windows.sh only; never shipped with brokercomp.exe. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
C
  x86_64-w64-mingw32-gcc -shared -O2 -o "$bin/bcryptprimitives.dll" "$bin/bcryptprimitives.c" -ladvapi32
  echo "scaffolding: built $bin/bcryptprimitives.dll (ProcessPrng for wine 8; test only, never shipped)"
fi
winexe=$bin/brokercomp.exe

# ---- the workspace -------------------------------------------------------------------------
work="$root/target/windows/run/财务部 月结"
rm -rf "$root/target/windows/run" && mkdir -p "$work"
cp -r sample_data "$work/数据"
mkdir -p "$work/标准"
cp config/standards/*.toml "$work/标准/"
# A draft standard for whatif: one base salary higher.
sed 's/^base_salary = 3500$/base_salary = 3800/; s/^name = .*/name = "2026年标准（征求意见稿）"/' \
  config/standards/2026.toml > "$work/draft.toml"
# The sign-off chain's three signers, each with an ed25519 key of their own.
mkdir -p "$work/钥匙"
signers=""
for who in "zhang 张会计 主办会计" "li 李副经理 副经理（经理助理）" "wang 王经理 经理"; do
  set -- $who
  ssh-keygen -q -t ed25519 -N "" -C "$1" -f "$work/钥匙/$1"
  signers+=$(printf '\n[[signers]]\nname = "%s"\nrole = "%s"\nkey = "%s"' "$2" "$3" "$(cat "$work/钥匙/$1.pub")")
done
for side in linux windows; do
  mkdir -p "$work/$side"
  sed 's|^data = .*|data = "../数据"|; s|^reports = .*|reports = "报表"|; s|^standards = .*|standards = "../标准"|' \
    config/brokercomp.toml > "$work/$side/brokercomp.toml"
  echo "$signers" >> "$work/$side/brokercomp.toml"
done

# brokercomp on one side, from that side's folder: `on SIDE NAME ARGS...` records the exit
# status in $work/SIDE/NAME.status, stdout in .out and stderr in .err. Windows gets Windows
# paths (Z:\...\财务部 月结\...) for every path argument.
winpath() { winepath -w "$1" 2>/dev/null; }
on() {
  local side=$1 name=$2; shift 2
  local status=0 config=()
  if [ "$side" = linux ]; then
    [ "$1" = sample ] || config=(--config brokercomp.toml)
    (cd "$work/linux" && "$linux_exe" "$@" "${config[@]}") >"$work/linux/$name.out" 2>"$work/linux/$name.err" || status=$?
  else
    [ "$1" = sample ] || config=(--config "$win_config")
    (cd "$work/windows" && wine "$winexe" "$@" "${config[@]}") >"$work/windows/$name.out" 2>"$work/windows/$name.err" || status=$?
  fi
  echo "$status" >"$work/$side/$name.status"
}
win_config=$(winpath "$work/windows/brokercomp.toml")
win_draft=$(winpath "$work/draft.toml")
echo "workspace: $work (Windows: $(winpath "$work"))"

both() {
  local name=$1; shift
  # Paths named by a word: DRAFT, KEY:<signer>, STATEMENT(.sig) (each side's own).
  local lin=("$@") win=("$@") i file
  for i in "${!lin[@]}"; do
    case "${lin[$i]}" in
      DRAFT) lin[$i]=$work/draft.toml win[$i]=$win_draft ;;
      KEY:*) file=$work/钥匙/${lin[$i]#KEY:} && lin[$i]=$file && win[$i]=$(winpath "$file") ;;
      STATEMENT*)
        lin[$i]=$work/linux/statement.out${lin[$i]#STATEMENT}
        win[$i]=$(winpath "$work/windows/statement.out${win[$i]#STATEMENT}") ;;
    esac
  done
  on linux "$name" "${lin[@]}"
  on windows "$name" "${win[@]}"
  local l w
  l=$(cat "$work/linux/$name.status") w=$(cat "$work/windows/$name.status")
  if [ "$l" = "$w" ]; then ok "$name: exit $l on both"; else fail "$name: exit $l on Linux, $w on Windows"; tail -5 "$work/windows/$name.err"; fi
}

echo "== every command on both"
# `sample` writes into each side's own folder; the months below read the shared 数据.
both sample sample --out 样本 --from 2026-09 --to 2026-10 --managers 12 --clients 300 --seed 7
both check check --month 2026-10
both run run --from 2025-10 --to 2026-10
# A manager to explain: the first of the month's payroll.
manager=$(sed -n 2p "$work/linux/报表/2026-10/payroll_2026-10.csv" | cut -d, -f1)
both explain explain --month 2026-10 --manager "$manager"
both whatif whatif --standard DRAFT --from 2026-01 --to 2026-10
# The sign-off chain (SPEC §4.12): a key on file, then a statement signed elsewhere with ssh-keygen.
both approve approve --month 2025-12 --key KEY:zhang
both statement approve --month 2025-12 --signer 李副经理 --print-statement
for side in linux windows; do ssh-keygen -q -Y sign -n brokercomp -f "$work/钥匙/li" "$work/$side/statement.out"; done
both approve-signed approve --month 2025-12 --statement STATEMENT --signature STATEMENT.sig
both approve-last approve --month 2025-12 --key KEY:wang
both status status --month 2025-12
both close close --month 2025-12 --by 薪酬专员 --accept "样本数据，历史不足三个月"
both verify verify --month 2025-12
both reopen reopen --month 2025-12 --reason "复核"
both close-again close --month 2025-12 --by 主办会计 --accept "复核后重新结账"
both verify-again verify --month 2025-12
both run-closed-refused run --month 2025-12   # exit 2: corrections go into the next open month

echo "== every output compared as SPEC §5 'Platforms' defines it"
python3 - "$work" "$manager" <<'PY' || failures=$((failures + 1))
import json, os, re, sys, zipfile
work, manager = sys.argv[1], sys.argv[2]
bad = []
def files(top):
    out = {}
    for d, dirs, names in os.walk(top):
        dirs[:] = [x for x in dirs if x != ".ledger"]
        for n in names:
            if n.endswith(".lock") or n in ("close-log.jsonl",):
                continue
            p = os.path.join(d, n)
            out[os.path.relpath(p, top).replace(os.sep, "/")] = p
    return out
def parts(p):
    with zipfile.ZipFile(p) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]
def masked(v):
    # The manifest but for its SHA-256 values and the build.
    if isinstance(v, dict):
        return {k: ("<masked>" if "sha256" in k or k == "build" else masked(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [masked(x) for x in v]
    return v
def close_record(v):
    # close.json, its kept copies and approvals.jsonl: who, what and in which role; when, the
    # build, hashes and signatures (over hashes and times) aside.
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k in ("closed_at", "at", "build", "signature", "previous") or "sha256" in k:
                out[k] = "<masked>"
            elif k == "statement" and isinstance(x, str):
                out[k] = close_record(json.loads(x))
            else:
                out[k] = close_record(x)
        return out
    if isinstance(v, list):
        return [close_record(x) for x in v]
    return v
counts = {"csv": 0, "xlsx": 0, "manifest": 0, "other": 0}
for tree in ("报表", "样本"):
    lin, win = files(os.path.join(work, "linux", tree)), files(os.path.join(work, "windows", tree))
    if sorted(lin) != sorted(win):
        bad.append(f"{tree}: the files differ: only Linux {sorted(set(lin) - set(win))}, only Windows {sorted(set(win) - set(lin))}")
    for rel in sorted(set(lin) & set(win)):
        a, b = lin[rel], win[rel]
        name = os.path.basename(rel)
        if name.endswith(".xlsx"):
            counts["xlsx"] += 1
            pa, pb = parts(a), parts(b)
            if [n for n, _ in pa] != [n for n, _ in pb]:
                bad.append(f"{tree}/{rel}: other parts")
            for (n, x), (_, y) in zip(pa, pb):
                if x != y:
                    bad.append(f"{tree}/{rel}: part {n} differs")
        elif name == "manifest.json":
            counts["manifest"] += 1
            if masked(json.load(open(a, encoding="utf-8"))) != masked(json.load(open(b, encoding="utf-8"))):
                bad.append(f"{tree}/{rel}: differs beyond its SHA-256 values and build")
        elif name == "close.json" or name.startswith("close.reopened-"):
            counts["other"] += 1
            if close_record(json.load(open(a, encoding="utf-8"))) != close_record(json.load(open(b, encoding="utf-8"))):
                bad.append(f"{tree}/{rel}: the close record differs beyond times, build, hashes and signatures")
        elif name == "approvals.jsonl":
            counts["other"] += 1
            la = [close_record(json.loads(l)) for l in open(a, encoding="utf-8")]
            lb = [close_record(json.loads(l)) for l in open(b, encoding="utf-8")]
            if la != lb or len(la) != 3:
                bad.append(f"{tree}/{rel}: the approvals differ beyond times, hashes and signatures")
        else:
            counts["csv" if name.endswith(".csv") else "other"] += 1
            if open(a, "rb").read() != open(b, "rb").read():
                bad.append(f"{tree}/{rel}: bytes differ")
for name in ("check", "explain", "verify"):
    a = open(os.path.join(work, "linux", name + ".out"), "rb").read()
    b = open(os.path.join(work, "windows", name + ".out"), "rb").read().replace(b"\r\n", b"\n")
    if a != b:
        bad.append(f"`{name}` printed other words on Windows")
explain = open(os.path.join(work, "windows", "explain.out"), encoding="utf-8").read()
if manager not in explain:
    bad.append(f"explain does not name {manager}")
print(f"compared: {counts['csv']} CSV byte for byte, {counts['xlsx']} workbooks part by part, "
      f"{counts['manifest']} manifests, {counts['other']} other files (archive, close records, approvals); "
      f"terminal output of check, explain, verify")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

# ---- SPEC §7 on Windows ----------------------------------------------------------------------
echo "== hostile workbooks, read by a reader process in its job object (Windows)"
# (Wine accepts a job's memory and CPU limits but does not enforce them: under wine these are
# refused by the reader's own checks, which is what the test shows; on Windows the job object
# also stops what those checks miss.)
month=2026-10
snapshot() { (cd "$work/windows/报表/$month" && find . -type f ! -name '*.lock' -print0 | sort -z | xargs -0 sha256sum); }
before=$(snapshot)
for bomb in crm-declared-huge.xlsx crm-sst-giant-string.xlsx crm-sst-billions.xlsx; do
  cp "tests/fixtures/hostile/$bomb" "$work/数据/$month/$bomb"
  on windows "bomb-$bomb" run --month $month
  status=$(cat "$work/windows/bomb-$bomb.status")
  if [ "$status" = 2 ] && grep -q "$month/$bomb" "$work/windows/bomb-$bomb.err" && [ "$(snapshot)" = "$before" ]; then
    ok "$bomb: refused (exit 2), the month untouched: $(grep -m1 "$bomb" "$work/windows/bomb-$bomb.err" | cut -c1-160)"
  else
    fail "$bomb: exit $status"; cat "$work/windows/bomb-$bomb.err"
  fi
  rm "$work/数据/$month/$bomb"
done

echo "== a run failing or killed while it replaces the month (Windows: two renames)"
whole() {
  python3 - "$work/windows/报表/$month" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json"), encoding="utf-8"))
listed = {o["file"]: o["sha256"] for o in m["outputs"]}
present = {n for n in os.listdir(d) if not n.startswith(".") and n != "manifest.json" and os.path.isfile(os.path.join(d, n))}
ok = present == set(listed) and all(hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest() == h for n, h in listed.items())
sys.exit(0 if ok else 1)
PY
}
leftovers() { find "$work/windows/报表" -maxdepth 1 -name ".$month.*" ! -name "*.lock" | wc -l; }
on windows baseline run --month $month
baseline=$(cat "$work/windows/baseline.status")
for step in aside 'aside!' "stage:payroll_$month.csv!" carried 'swapped!'; do
  BROKERCOMP_FAULT=$step on windows "fault" run --month $month
  status=$(cat "$work/windows/fault.status")
  [ -d "$work/windows/报表/$month" ] && whole_now=yes || whole_now=no
  on windows "after-fault" run --month $month
  after=$(cat "$work/windows/after-fault.status")
  if [ "$after" = "$baseline" ] && whole && [ "$(leftovers)" = 0 ]; then
    ok "BROKERCOMP_FAULT=$step: exit $status; the next run exit $after, the folder whole and matching its manifest, no leftovers"
  else
    fail "BROKERCOMP_FAULT=$step: exit $status, next run $after, leftovers $(leftovers)"; cat "$work/windows/after-fault.err" | tail -3
  fi
  if [ "$step" = aside ] && ! { [ "$status" = 2 ] && [ "$whole_now" = yes ]; }; then
    fail "a failure between the renames must exit 2 and put the month's folder back"
  fi
done

echo "== two runs of one month at once (Windows: the lock beside the month's folder)"
(cd "$work/windows" && wine "$winexe" run --month $month --config "$win_config" >/dev/null 2>"$work/windows/first.err"; echo $? >"$work/windows/first.status") &
(cd "$work/windows" && wine "$winexe" run --month $month --config "$win_config" >/dev/null 2>"$work/windows/second.err"; echo $? >"$work/windows/second.status") &
wait
if [ "$(cat "$work/windows/first.status")" = "$baseline" ] && [ "$(cat "$work/windows/second.status")" = "$baseline" ] && whole && [ "$(leftovers)" = 0 ]; then
  waited=$(cat "$work/windows/first.err" "$work/windows/second.err" | grep -c "another run of this month is writing" || true)
  ok "both finished (exit $baseline and $baseline; $waited waited for the other), the folder whole"
else
  fail "two runs at once: exit $(cat "$work/windows/first.status") and $(cat "$work/windows/second.status")"
fi

echo
if [ "$failures" = 0 ]; then
  echo "windows.sh: everything matched"
  exit 0
fi
echo "windows.sh: $failures failure(s)"
exit 1
