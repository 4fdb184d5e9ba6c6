#!/usr/bin/env bash
# Look at the month's workbooks as finance will print them.
#   scripts/render.sh reports/2026-10 [out-dir]
# Converts each workbook to PDF with LibreOffice headless, renders every page to PNG with
# pdftoppm, and prints the page counts. Needs: apt-get install libreoffice-calc poppler-utils
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
echo "PNG pages in $out"
