#!/usr/bin/env bash
# Data-parallel training across two "hosts": two network namespaces joined by a veth pair (10.88.0.1 and
# 10.88.0.2), rank 0 serving the TCP store, against one process with the same global batch; then the gradient
# all-reduce's cost per bucket, from two short runs with 16 MiB buckets and with 0.25 MiB buckets.
#
#   sudo scripts/experiments/distributed-netns.sh OUT [STEPS]     (needs root for ip netns; default 300 steps)
#
# The recipe is the demo's (MobileNetV2-T6, 128-D, 56×56, ArcFace s 32 / m 0.3, batches of 64, learning rate 0.05
# after a 20-step warmup, cosine decay, 200 synthetic people × 16), validated at the end on the demo's held-out
# synthetic people (seed 2, 40 × 8, 10 folds). Every process runs one libtorch thread and one loader worker.
# Batch norm is per rank (as arcface_torch), so two ranks are not expected to match one process bit for bit.
set -euo pipefail
out=${1:?usage: distributed-netns.sh OUT [STEPS]}
steps=${2:-300}
visage=${VISAGE:-.build/release/visage}
mkdir -p "$out"
export VISAGE_THREADS=1
[ -f "$out/test/pairs.txt" ] || "$visage" synth dataset --identities 40 --per-identity 8 --seed 2 --out "$out/test" --quiet
recipe=(train --arch mobilenetv2-t6 --embedding-size 128 --input-size 56 --loss arcface --scale 32 --margin 0.3
        --batch-size 64 --lr 0.05 --warmup 20 --workers 1 --checkpoint-every 100 --val-pairs "$out/test/pairs.txt"
        --val-root "$out/test")

a=visage-a b=visage-b
cleanup() { ip netns del $a 2>/dev/null || true; ip netns del $b 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $a
ip netns add $b
ip link add veth-visage-a type veth peer name veth-visage-b
ip link set veth-visage-a netns $a
ip link set veth-visage-b netns $b
ip -n $a addr add 10.88.0.1/24 dev veth-visage-a
ip -n $b addr add 10.88.0.2/24 dev veth-visage-b
for ns in $a $b; do ip -n $ns link set lo up; done
ip -n $a link set veth-visage-a up
ip -n $b link set veth-visage-b up

# Two ranks, one per namespace; each writes into its own folder (hosts share no disk), rank 1 writes nothing.
two_ranks() { # NAME STEPS [flags...]
    local name=$1 length=$2
    shift 2
    local group=(--world-size 2 --master 10.88.0.1:29500 --timeout 900 --steps "$length" "$@")
    rm -rf "$out/$name" "$out/$name-rank1"
    ip netns exec $a "$visage" "${recipe[@]}" "${group[@]}" --rank 0 --out "$out/$name" > "$out/$name.txt" 2>&1 &
    local rank0=$!
    ip netns exec $b "$visage" "${recipe[@]}" "${group[@]}" --rank 1 --out "$out/$name-rank1" > "$out/$name-rank1.txt" 2>&1 &
    local rank1=$!
    wait $rank0 || { echo "rank 0 failed: see $out/$name.txt" >&2; exit 1; }
    wait $rank1 || { echo "rank 1 failed: see $out/$name-rank1.txt" >&2; exit 1; }
}

echo "## $steps steps, one process" >&2
rm -rf "$out/one"
"$visage" "${recipe[@]}" --steps "$steps" --out "$out/one" > "$out/one.txt" 2>&1
echo "## $steps steps, two ranks in two namespaces" >&2
two_ranks two "$steps"
echo "## all-reduce cost: 40 steps with 16 MiB and with 0.25 MiB buckets" >&2
two_ranks buckets-16 40 --bucket-mb 16
two_ranks buckets-0.25 40 --bucket-mb 0.25

python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
def lines(name):
    return [json.loads(l) for l in open(os.path.join(out, name, "log.jsonl")) if l.strip()]
def summary(name):
    log = lines(name)
    train = [l for l in log if l["kind"] == "train"]
    val = [l for l in log if l["kind"] == "validation"]
    # images/s after the first logged window (start-up and warm caches left out)
    steady = train[1:] or train
    ips = sum(l["images_per_second"] for l in steady) / len(steady)
    row = {"final_loss": train[-1]["loss"], "images_per_second": ips}
    if val: row.update({k: v for k, v in val[-1].items() if k not in ("kind", "step", "epoch", "time")})
    if "allreduce_seconds_per_step" in train[-1]:
        row["allreduce_s_per_step"] = sum(l["allreduce_seconds_per_step"] for l in steady) / len(steady)
        row["bucketing_s_per_step"] = sum(l["bucketing_seconds_per_step"] for l in steady) / len(steady)
        row["buckets"] = train[-1]["gradient_buckets"]
    return row
for name in ("one", "two", "buckets-16", "buckets-0.25"):
    print(name, json.dumps(summary(name)))
# Two bucket layouts of the same gradients: T = S/B + 2·k·α per step for k buckets (ring all-reduce of 2 ranks)
big, small = summary("buckets-16"), summary("buckets-0.25")
k1, k2 = len(big["buckets"].split(",")), len(small["buckets"].split(","))
elements = sum(int(x) for x in big["buckets"].split(","))
t1, t2 = big["allreduce_s_per_step"], small["allreduce_s_per_step"]
alpha = (t2 - t1) / (2 * (k2 - k1)) if k2 != k1 else float("nan")
seconds_per_byte = (t1 - 2 * k1 * alpha) / (4 * elements)
print(json.dumps({"gradient_elements": elements, "buckets_16MiB": k1, "buckets_0.25MiB": k2,
                  "alpha_s": alpha, "bandwidth_MB_s": 1e-6 / seconds_per_byte if seconds_per_byte > 0 else None}))
PY
