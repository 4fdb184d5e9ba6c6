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
echo "PNG pages in $out"
