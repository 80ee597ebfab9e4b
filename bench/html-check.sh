#!/usr/bin/env bash
# Wall-clock time of Mailpit's html-check (GET /api/v1/message/latest/html-check) on a ~97 KB newsletter-like HTML
# message (400 table rows with inline styles, srcset images and a <style> block): the first call (data loaded and
# code jitted) and then warm calls, plus the totals of the answer.
#   bench/html-check.sh APPDIR [calls=5]
# APPDIR holds MailSink.dll (a build or `dotnet publish` output, e.g. src/MailSink/bin/Debug/net10.0).
set -euo pipefail
app=$1; calls=${2:-5}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp=$(free_port) http=$(free_port)
dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --storage memory \
  --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --Logging:LogLevel:Default=Warning >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.05; done
python3 - "$smtp" <<'PY'
import smtplib, sys
from email.mime.text import MIMEText
rows = "".join(f'<tr><td class="c" style="padding:10px;font-family:Arial" width="300"><img src="https://example.test/{i}.png" srcset="https://example.test/{i}@2x.png 2x" width="280"><p class="t">Item {i} <a href="https://example.test/{i}">more</a></p></td></tr>' for i in range(400))
html = ('<html><head><style>.c{background-color:#fff;border-radius:4px} .t{line-height:1.4;margin:0 0 8px} a:hover{color:red}'
        ' @media (max-width:600px){.c{display:block}}</style></head><body><table>' + rows + '</table></body></html>')
m = MIMEText(html, "html"); m["Subject"] = "html-check bench"; m["From"] = "a@example.test"; m["To"] = "b@example.test"
print("HTML bytes:", len(html))
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s: s.send_message(m)
PY
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http/api/v1/message/latest" >/dev/null && break; sleep 0.05; done
for i in $(seq "$calls"); do
  curl -s -o "$tmp/out.json" -w "call $i: HTTP %{http_code} in %{time_total}s\n" "http://127.0.0.1:$http/api/v1/message/latest/html-check"
done
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('Total', d['Total']); print('Warnings', [(w['Slug'], w['Score']['Found']) for w in d['Warnings']])" "$tmp/out.json"
