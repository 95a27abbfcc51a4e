#!/usr/bin/env bash
# The ORL identification of gallery-real-data.sh through the HTTP API (issue 16): `visage gallery serve` on a copy
# of OUT/orl-all.sqlite (loopback only), each of the 360 probe photos posted to /identify with curl, and the answers
# compared with the CLI's (OUT/identify-all.json); then each posted again as a multipart/form-data upload (curl -F,
# as a browser's form sends it) and those answers compared with the raw-body ones.
#
#   scripts/experiments/gallery-http.sh OUT [port, default 18480]
#
# Environment: VISAGE (default .build/release/visage), VISAGE_THREADS (default 1).
set -euo pipefail
out=${1:?usage: gallery-http.sh OUT [port]}
port=${2:-18480}
visage=$(realpath "${VISAGE:-.build/release/visage}")
export VISAGE_THREADS=${VISAGE_THREADS:-1}
cd "$out"
key=$(python3 -c "import secrets; print(secrets.token_hex(16))")
cp orl-all.sqlite orl-http.sqlite
"$visage" gallery serve --gallery orl-http.sqlite --api-key "$key" --port "$port" > serve.log 2>&1 &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/people" && break; sleep 1; done
mkdir -p http
start=$(date +%s.%N)
for photo in orl/probes/*/*.png; do
    person=$(basename "$(dirname "$photo")"); file=$(basename "$photo")
    curl -s -H "x-api-key: $key" --data-binary @"$photo" "http://127.0.0.1:$port/identify?top_k=5" \
        -o "http/$person-$file.json" -w "%{http_code}\n" >> http/status.txt
done
echo "360 identify requests in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s (one at a time)"
mkdir -p http-form
start=$(date +%s.%N)
for photo in orl/probes/*/*.png; do
    person=$(basename "$(dirname "$photo")"); file=$(basename "$photo")
    curl -s -H "x-api-key: $key" -F "file=@$photo;type=image/png" "http://127.0.0.1:$port/identify?top_k=5" \
        -o "http-form/$person-$file.json" -w "%{http_code}\n" >> http-form/status.txt
done
echo "360 multipart identify requests in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s (one at a time)"
python3 - <<'EOF'
import collections, glob, json, os
statuses = collections.Counter(open("http/status.txt").read().split())
cli = {f"{r['photo'].split('/')[-2]}-{r['photo'].split('/')[-1]}": r for r in json.load(open("identify-all.json"))["results"]}
correct = same = 0
for name in sorted(glob.glob("http/*.png.json")):
    answer = json.load(open(name))
    if "faces" not in answer or not answer["faces"]: continue
    key = os.path.basename(name)[:-5]
    top = answer["faces"][0]["candidates"][0]
    correct += top["person"] == key.split("-")[0]
    same += key in cli and cli[key]["candidates"][0]["person"] == top["person"] \
        and abs(cli[key]["candidates"][0]["score"] - top["score"]) < 1e-5
print(f"HTTP statuses: {dict(statuses)}; top-1 {correct / 360:.4f} of 360 probes; "
      f"same top-1 person and score (within 1e-5) as the CLI for {same} of {len(cli)}")
form_statuses = collections.Counter(open("http-form/status.txt").read().split())
identical, differing = 0, []
for name in sorted(glob.glob("http/*.png.json")):
    raw, form = json.load(open(name)), json.load(open(name.replace("http/", "http-form/", 1)))
    if raw == form: identical += 1
    else: differing.append(f"{os.path.basename(name)[:-5]}: {raw} / {form}")
print(f"multipart statuses: {dict(form_statuses)}; answers identical to the raw-body ones for {identical} of 360")
for line in differing: print("  differs:", line)
EOF
