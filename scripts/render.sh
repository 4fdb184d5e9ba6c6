#!/usr/bin/env bash
# Look at the month's workbooks as finance will print them.
#   scripts/render.sh reports/2026-10 [out-dir]
# Converts each workbook to PDF with LibreOffice headless, renders every page to PNG with
# pdftoppm, and prints the page counts; fails unless the pay statements (薪酬明细单) print on as
# many pages as the payroll has rows (one page each, SPEC §5 item 8). Needs: apt-get install
# libreoffice-calc poppler-utils fonts-noto-cjk fonts-crosextra-carlito
set -euo pipefail
month_dir=${1:?usage: scripts/render.sh REPORTS/YYYY-MM [OUT]}
out=${2:-$month_dir/render}
mkdir -p "$out"
for book in "$month_dir"/*.xlsx; do
  name=$(basename "$book" .xlsx)
  # LibreOffice converts by extension and needs a writable profile.
  soffice --headless -env:UserInstallation=file:///tmp/brokercomp-lo --convert-to pdf --outdir "$out" "$book" >/dev/null 2>&1
  pdf="$out/$name.pdf"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  pdftoppm -png -r 80 "$pdf" "$out/$name"
  width=$(pdfinfo "$pdf" | awk '/^Page size:/ {print $3 "x" $5 " pt"}')
  echo "$name.pdf: $pages page(s), $width"
done
# Each confirmation slip is one page: pages of the slips PDF = serial numbers printed.
slips=$(ls "$out"/*确认单*.pdf "$out"/client_confirmation*.pdf 2>/dev/null | head -1 || true)
if [ -n "$slips" ]; then
  serials=$(pdftotext "$slips" - | grep -cE '[A-Z0-9_-]+-[0-9]{6}-[0-9]{3}' || true)
  pages=$(pdfinfo "$slips" | awk '/^Pages:/ {print $2}')
  echo "slips: $serials serial(s) on $pages page(s)"
fi
# The pay statements: one page each, so their pages = the payroll's rows (header left out).
statements=$(ls "$out"/*薪酬明细单*.pdf "$out"/pay_statements_*.pdf 2>/dev/null | head -1 || true)
payroll=$(ls "$month_dir"/payroll_*.csv 2>/dev/null | head -1 || true)
if [ -n "$statements" ] && [ -n "$payroll" ]; then
  if ! fc-match Calibri | grep -qi carlito; then
    echo "warning: no Carlito (apt-get install fonts-crosextra-carlito): LibreOffice lays the statements out wider than Excel" >&2
  fi
  pages=$(pdfinfo "$statements" | awk '/^Pages:/ {print $2}')
  rows=$(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig"))) - 1)' "$payroll")
  if [ "$pages" -eq "$rows" ]; then
    echo "pay statements: one page each ($pages pages, $rows payroll rows)"
  else
    echo "pay statements: $pages pages for $rows payroll rows: a statement runs onto a second page" >&2
    status=1
  fi
fi
# The compensation report: its first page carries the first and the last column (one page wide);
# the sign-off chain comes after the grand total.
comp=$(ls "$out"/*薪酬月报表*.pdf "$out"/compensation_*.pdf 2>/dev/null | head -1 || true)
if [ -n "$comp" ]; then
  first=$(pdftotext -f 1 -l 1 -layout "$comp" -)
  if grep -q "工号\|ID" <<< "$first" && grep -q "应发合计\|Total" <<< "$first"; then
    echo "compensation report: page 1 holds the first and the last column (one page wide)"
  else
    echo "compensation report: NOT one page wide" >&2
  fi
  main=$(pdftotext -layout "$comp" - | awk '/计算明细|Calculation/ {exit} {print}')
  if awk '/合计|Grand total/ {t=1} t && /经理|Manager/ {s=1} END {exit !s}' <<< "$main"; then
    echo "compensation report: the sign-off block follows the grand total"
  fi
fi
# Legibility (SPEC §5 item 1: at least 6 pt on the printed page). A CJK ideograph is one em
# wide, so the printed size of the main sheet's text is the width of its all-CJK words on page
# 1 divided by their characters (the 16 pt title and the page header left out: the median).
# Measured as Excel lays the sheet out when the Calibri metrics are there: install
# fonts-crosextra-carlito, else LibreOffice falls back to a wider font and prints smaller.
if [ -n "$comp" ]; then
  if ! fc-match Calibri | grep -qi carlito; then
    echo "warning: no Carlito (apt-get install fonts-crosextra-carlito): the size below is smaller than Excel's" >&2
  fi
  size=$(pdftotext -f 1 -l 1 -bbox "$comp" - | python3 -c '
import re, statistics, sys
sizes = []
for m in re.finditer(r"<word xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\" yMax=\"[\d.]+\">([^<]+)</word>", sys.stdin.read()):
    text = m.group(3)
    if all("\u4e00" <= c <= "\u9fff" for c in text):
        sizes.append((float(m.group(2)) - float(m.group(1))) / len(text))
print(f"{statistics.median(sizes):.2f}" if sizes else "0")
')
  echo "compensation report: text on page 1 printed at $size pt"
  if python3 -c "import sys; sys.exit(0 if float('$size') >= 6 else 1)"; then
    echo "compensation report: legible (at least 6 pt)"
  else
    echo "compensation report: text below 6 pt: set report.paper = \"A3\" or look at the widest columns" >&2
    status=1
  fi
fi
echo "PNG pages in $out"
exit ${status:-0}
