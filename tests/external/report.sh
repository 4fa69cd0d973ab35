#!/usr/bin/env bash
# The audit report's HTML renders in a real browser: headless Chromium draws
# it to a PNG (screen) and a PDF (print), and the DOM it builds holds every
# example system, with a hostile card's <script> as text, not as an element.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/tools.sh
apt_tool chromium chromium

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$AIMSGATE" report examples --now 2026-11-29 --format html --output "$work/report.html"

browser() {
	# Each run gets its own profile; no network, no first-run or update traffic.
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
}

browser --screenshot="$work/report.png" --window-size=1280,2000 "file://$work/report.html" >/dev/null
browser --no-pdf-header-footer --print-to-pdf="$work/report.pdf" "file://$work/report.html" >/dev/null
browser --dump-dom "file://$work/report.html" >"$work/dom.html"

size() { wc -c <"$1" | tr -d ' '; }
fail() { echo "report.sh: $*" >&2; exit 1; }

[ "$(head -c 8 "$work/report.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "screenshot is not a PNG"
[ "$(size "$work/report.png")" -gt 100000 ] || fail "screenshot is only $(size "$work/report.png") bytes"
[ "$(head -c 5 "$work/report.pdf")" = "%PDF-" ] || fail "print output is not a PDF"
[ "$(size "$work/report.pdf")" -gt 50000 ] || fail "PDF is only $(size "$work/report.pdf") bytes"
# Print breaks pages: one page at least per section and per system.
pages=$(grep -a -o '/Type */Pages\?' "$work/report.pdf" | grep -c 'Page$' || true)
[ "$pages" -ge 8 ] || fail "PDF has $pages pages; expected page breaks per section and system"

for name in "Fraud Detector" "Hiring Screener" "Loan Approval" "Spam Filter" "Support Chatbot" \
	"Statement of Applicability" "iso42001:A.5.4"; do
	grep -q "$name" "$work/dom.html" || fail "the rendered DOM lacks $name"
done

# A hostile card: the browser must see text, never a script element.
hostile="$work/hostile"
mkdir -p "$hostile/evil"
cat >"$hostile/evil/model_card.yaml" <<'CARD'
name: "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"
owner: {name: "</td></tr></table><script>alert(2)</script>", contact: a@b.example}
risk: {tier: minimal, rationale: test, affects_people: false}
CARD
"$AIMSGATE" report "$hostile" --now 2026-11-29 --output "$work/hostile.html"
browser --dump-dom "file://$work/hostile.html" >"$work/hostile-dom.html"
grep -q '&lt;script&gt;document.title' "$work/hostile-dom.html" || fail "hostile name not shown as text"
if grep -qi '<script\|<img' "$work/hostile-dom.html"; then
	fail "a card's markup became an element in the rendered page"
fi
grep -q '<title>AI management system audit evidence' "$work/hostile-dom.html" || fail "the page title changed"

echo "report.sh: PNG $(size "$work/report.png") bytes, PDF $(size "$work/report.pdf") bytes, $pages pages; DOM holds every system; hostile card inert"
