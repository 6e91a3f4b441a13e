"""Issue 17's Dask bar: a LocalCluster of 2 worker processes against 1 on a 200,000-utterance corpus, and the
outputs against the single-process output.

    build/venv/bin/python bench/dask_scale.py [--utterances 200000] [--rows-per-partition 5000] [--repeats 1]

The corpus: MELD's train split (../shared/data/meld, 9,989 utterances) repeated with its dialogues renamed
("copyK-ID") until it has the asked-for number of utterances. Each run writes JSON Lines partitions into a fresh
folder; the time is analyze_conversations' wall time (the cluster started beforehand, models not yet loaded: the
workers load them in the run, as a user's first run does). Worker processes have one thread each.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from distributed import Client, LocalCluster

import emo
import emo.dask

ROOT = Path(__file__).resolve().parents[1]


def corpus(meld: Path, utterances: int) -> pd.DataFrame:
    base = emo.read_conversations(meld)
    copies = []
    for k in range((utterances + len(base) - 1) // len(base)):
        copies.append(base.assign(dialogue_id=f"copy{k}-" + base["dialogue_id"]))
    frame = pd.concat(copies, ignore_index=True)
    # Cut at a dialogue boundary at or after the asked-for size, so that no dialogue is cut short.
    ids = frame["dialogue_id"].to_numpy()
    end = utterances
    while end < len(frame) and ids[end] == ids[end - 1]:
        end += 1
    return frame.iloc[:end].reset_index(drop=True)


def timed_run(frame, workers, rows, out):
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Client(cluster) as client:
            ddf = emo.dask.partition_by_dialogue(frame, rows)
            start = time.perf_counter()
            summary = emo.dask.analyze_conversations(ddf, out, client=client, progress=False)
            elapsed = time.perf_counter() - start
    finally:
        cluster.close()
    assert summary["records"] == len(frame)
    return elapsed


def joined(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("part-*.jsonl")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, default=200000)
    parser.add_argument("--rows-per-partition", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--meld", default=str(ROOT.parent / "shared" / "data" / "meld" / "train_sent_emo.csv"))
    args = parser.parse_args()

    frame = corpus(Path(args.meld), args.utterances)
    tmp = Path(tempfile.mkdtemp(prefix="emo-dask-scale-"))
    print(f"corpus: {len(frame)} utterances, {frame['dialogue_id'].nunique()} dialogues; partitions of about "
          f"{args.rows_per_partition} rows", file=sys.stderr)
    start = time.perf_counter()
    single_text = emo.ConversationModel.load().analyze(frame, output="jsonl", threads=1)
    single_seconds = time.perf_counter() - start
    times = {1: [], 2: []}
    identical = True
    for r in range(args.repeats):
        for workers in (1, 2):
            out = tmp / f"w{workers}-r{r}"
            times[workers].append(timed_run(frame, workers, args.rows_per_partition, out))
            identical &= joined(out) == single_text
            shutil.rmtree(out)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"emo Dask scale-out: {len(frame)} utterances, LocalCluster of worker processes (1 thread each); "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} at the end")
    print(f"  single process (load + ConversationModel.analyze, 1 thread): {single_seconds:7.2f} s  "
          f"{len(frame) / single_seconds:8.0f} utterances/s")
    for workers, values in times.items():
        median = statistics.median(values)
        print(f"  {workers} worker{'s' if workers > 1 else ' '}: {median:7.2f} s  {len(frame) / median:8.0f} "
              f"utterances/s  (runs: {', '.join(f'{v:.2f}' for v in values)})")
    print(f"bar: 2 workers >= 1.7x 1 worker: {one / two:.2f}x ({'met' if one / two >= 1.7 else 'NOT met'}); "
          f"outputs identical to the single-process output: {'yes' if identical else 'NO'}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
