"""Issue 17's Python overhead bar: emo.TextModel.analyze on a list of 20,000 texts against `emo text` on the same
texts, in the same run (alternating, REPEATS times; medians).

    build/venv/bin/python bench/python_overhead.py [--texts 20000] [--repeats 3] [--cli build/emo]

The texts are the first N of GoEmotions' train.tsv (../shared/data/goemotions). The CLI's time is marginal: the wall
time for the N texts less that for one text, so that its process start and model loading are left out, as the
Python side's model is loaded before its clock starts. Python runs with threads=1 (the CLI analyses on one thread)
and with threads=0 (every core, the default).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import emo

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cli", default=str(ROOT / "build" / "emo"))
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "goemotions" / "train.tsv"))
    args = parser.parse_args()

    texts = []
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            texts.append(line.split("\t")[0])
            if len(texts) == args.texts:
                break
    tmp = Path(tempfile.mkdtemp(prefix="emo-python-overhead-"))
    many, one = tmp / "texts.txt", tmp / "one.txt"
    many.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    one.write_text(texts[0] + "\n", encoding="utf-8")

    def cli(path):
        start = time.perf_counter()
        subprocess.run([args.cli, "text", "--input", str(path), "--format", "lines"], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    model = emo.TextModel.load()
    model.analyze(texts[:100])  # warm-up
    times = {"cli": [], "python 1 thread": [], "python all cores": []}
    for _ in range(args.repeats):
        times["cli"].append(cli(many) - cli(one))
        for name, threads in (("python 1 thread", 1), ("python all cores", 0)):
            start = time.perf_counter()
            records = model.analyze(texts, threads=threads)
            times[name].append(time.perf_counter() - start)
            assert len(records) == len(texts)
            del records  # freed outside the clock: the next call's time is its own

    load = os.getloadavg()[0]
    print(f"emo Python overhead: TextModel.analyze on {len(texts)} GoEmotions texts vs `emo text`, "
          f"{args.repeats} alternating repeats, medians; {os.cpu_count()} CPUs, load {load:.2f} at the end")
    cli_rate = len(texts) / statistics.median(times["cli"])
    for name, values in times.items():
        rate = len(texts) / statistics.median(values)
        print(f"  {name:17s} {statistics.median(values):7.3f} s  {rate:9.0f} texts/s  "
              f"{rate / cli_rate * 100:6.1f}% of the CLI  (runs: {', '.join(f'{v:.3f}' for v in values)})")
    ratio = (len(texts) / statistics.median(times["python 1 thread"])) / cli_rate
    print(f"bar: Python >= 90% of the CLI's throughput (one thread each): {ratio * 100:.1f}% "
          f"({'met' if ratio >= 0.9 else 'NOT met'})")


if __name__ == "__main__":
    sys.exit(main())
