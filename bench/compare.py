"""Side-by-side table of `rnnlab bench --json` and `pytorch_reference.py` output.

    python bench/compare.py RNNLAB.jsonl PYTORCH.jsonl
Prints tokens/s of both, the ratio RNNLab/PyTorch per configuration, the geometric mean
of the training ratios, and peak memory. When a file holds several rounds (the same
configuration more than once, as `make bench-compare ROUNDS=N` writes), each figure is the
median over the rounds, and the spread (lowest-highest tokens/s) is printed beside it.
"""
import json
import math
import sys


def load(path):
    rounds = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            row = json.loads(line)
            rounds.setdefault((row["config"], row["cell"], row["mode"]), []).append(row)
    return {key: median_row(rows) for key, rows in rounds.items()}


def median_row(rows):
    """The round with the median tokens/s (the lower middle one for an even count), with the spread."""
    ordered = sorted(rows, key=lambda r: r["tokens_per_second"])
    row = dict(ordered[(len(ordered) - 1) // 2])
    row["rounds"] = len(ordered)
    row["spread"] = (ordered[0]["tokens_per_second"], ordered[-1]["tokens_per_second"])
    return row


def spread(row):
    low, high = row["spread"]
    return f"{low}-{high}" if row["rounds"] > 1 else ""


def main():
    ours, theirs = load(sys.argv[1]), load(sys.argv[2])
    rounds = max(row["rounds"] for row in list(ours.values()) + list(theirs.values()))
    if rounds > 1:
        print(f"medians over {rounds} rounds (spread: lowest-highest tokens/s)")
    print(f"{'config':15}{'cell':10}{'mode':11}{'RNNLab tok/s':>14}{'PyTorch tok/s':>15}{'ratio':>8}{'RNNLab MiB':>12}{'PyTorch MiB':>13}"
          + (f"  {'RNNLab spread':>17}  {'PyTorch spread':>17}" if rounds > 1 else ""))
    ratios = []
    for key in sorted(set(ours) & set(theirs), key=lambda k: (list(dict.fromkeys(k2[0] for k2 in ours)).index(k[0]), k[1], k[2])):
        a, b = ours[key], theirs[key]
        ratio = a["tokens_per_second"] / max(b["tokens_per_second"], 1)
        if key[2] == "train":
            ratios.append(ratio)
        print(f"{key[0]:15}{key[1]:10}{key[2]:11}{a['tokens_per_second']:>14}{b['tokens_per_second']:>15}{ratio:>8.2f}"
              f"{a['peak_rss_mib']:>12.0f}{b['peak_rss_mib']:>13.0f}"
              + (f"  {spread(a):>17}  {spread(b):>17}" if rounds > 1 else ""))
    if ratios:
        geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"training: geometric mean of RNNLab/PyTorch = {geometric:.2f} over {len(ratios)} configurations; "
              f"{sum(r >= 1 for r in ratios)} of {len(ratios)} at least as fast")


if __name__ == "__main__":
    main()
