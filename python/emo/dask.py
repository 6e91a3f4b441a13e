"""emo on a Dask cluster: conversations, texts and recordings analysed partition by partition on the workers, each
partition's records written to its own file (JSON Lines or CSV) in an output folder.

- Models load once per worker process (the first task that needs one loads it; the others reuse it), not per task.
- A partition's file appears whole or not at all (written beside, then renamed): a task that runs again after a
  worker died writes the same file again, so every record is in the output exactly once.
- Conversations: a dialogue must not be split across partitions; ``partition_by_dialogue`` makes such partitions
  from a pandas DataFrame, and ``analyze_conversations`` refuses (``ValueError`` naming the dialogue) a Dask
  DataFrame that splits one.
- Concatenated in partition order, the JSON Lines files are the single-process output (``emo conv``, ``emo text``,
  ``emo audio``) exactly. CSV partitions each start with the header line.

From the shell: ``python -m emo.dask conv --scheduler tcp://host:8786 INPUTS... --out DIR`` (or ``emo dask conv``);
``--scheduler local:2`` starts a LocalCluster of 2 worker processes. docs/dask.md shows a cluster of several machines.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import threading
import uuid
from typing import Any, Sequence

import pandas as pd

import emo

__all__ = ["partition_by_dialogue", "analyze_conversations", "analyze_texts", "analyze_audio", "main"]

# Models of this worker process, by (kind, path, options): loaded by the first task that asks.
_models: dict = {}
_models_lock = threading.Lock()


def _model(kind: str, path: str | None) -> Any:
    key = (kind, path)
    with _models_lock:
        if key not in _models:
            loaders = {"conversation": emo.ConversationModel.load, "causes": emo.CauseModel.load,
                       "text": lambda p: emo.TextModel.load(), "speech": emo.SpeechModel.load}
            _models[key] = loaders[kind](path)
        return _models[key]


def loaded_models() -> list:
    """(kind, path) of the models this process has loaded: what a test asks each worker to show that models load
    once per worker."""
    with _models_lock:
        return sorted((k, p or "") for k, p in _models)


def _write_atomically(path: str, text: str) -> None:
    temporary = f"{path}.{uuid.uuid4().hex}.partial"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


def _part_path(out: str, number: int, output: str) -> str:
    return os.path.join(out, f"part-{number:05d}.{output}")


# ------------------------------------------------------------------------------------------------------------------
# Partitions

def partition_by_dialogue(frame: pd.DataFrame, rows_per_partition: int = 20000):
    """A Dask DataFrame of ``frame``'s rows in order, cut only between dialogues, about ``rows_per_partition`` rows
    each (a longer dialogue makes a partition of its own)."""
    import dask.dataframe as dd
    if "dialogue_id" not in frame.columns:
        raise ValueError(f"DataFrame: no column 'dialogue_id' (columns: {', '.join(map(str, frame.columns))})")
    if rows_per_partition < 1:
        raise ValueError("rows_per_partition must be at least 1")
    ids = frame["dialogue_id"].astype(str).to_numpy()
    cuts, start = [], 0
    for row in range(1, len(ids) + 1):
        if row == len(ids) or (row - start >= rows_per_partition and ids[row] != ids[row - 1]):
            cuts.append((start, row))
            start = row
    # Rows of a dialogue must be adjacent for the cuts to keep it whole.
    seen, previous = set(), None
    for row, value in enumerate(ids):
        if value != previous:
            if value in seen:
                raise ValueError(f"DataFrame: the rows of dialogue {value!r} are not together (again at row {row}); "
                                 "sort the rows by dialogue first (a stable sort keeps their order)")
            seen.add(value)
            previous = value
    parts = [frame.iloc[a:b].reset_index(drop=True) for a, b in cuts] or [frame.iloc[0:0]]
    return _whole(dd.from_delayed([_delayed_value(p) for p in parts], meta=frame.iloc[0:0], verify_meta=False))


# Names of the Dask DataFrames made here, cut between dialogues by construction: analyze_conversations need not check
# them (a check computes every partition once more).
_whole_dialogue_frames: set = set()


def _whole(ddf):
    _whole_dialogue_frames.add(ddf._name)
    return ddf


def _delayed_value(value):
    import dask
    return dask.delayed(value, pure=False)


def _dialogues_of(part: pd.DataFrame) -> list:
    # Each input file's dialogues are its own (emo dask conv's _input column): dialogue "1" of two files is two.
    keys = part["dialogue_id"].astype(str)
    if "_input" in part.columns:
        keys = part["_input"].astype(str) + ":" + keys
    return sorted(set(keys))


def _check_dialogues_whole(ddf) -> None:
    """ValueError naming a dialogue whose rows lie in more than one partition."""
    import dask
    ids = dask.compute(*[dask.delayed(_dialogues_of)(part) for part in ddf.to_delayed()])
    owner: dict = {}
    for number, part in enumerate(ids):
        for dialogue in part:
            if dialogue in owner:
                raise ValueError(f"dialogue {dialogue!r} is split across partitions {owner[dialogue]} and {number}; "
                                 "a dialogue must lie in one partition (emo.dask.partition_by_dialogue makes such "
                                 "partitions)")
            owner[dialogue] = number


# ------------------------------------------------------------------------------------------------------------------
# Running

def _run(tasks: list, client, progress: bool) -> list:
    """Computes the delayed tasks on the client's cluster (or Dask's default scheduler), with a progress bar."""
    import dask
    if client is None:
        try:
            from distributed import default_client
            client = default_client()
        except (ImportError, ValueError):
            client = None
    if client is not None:
        futures = client.compute(tasks)
        if progress:
            from distributed import progress as show_progress
            show_progress(futures, notebook=False)
            print(file=sys.stderr)
        return client.gather(futures)
    if progress:
        from dask.diagnostics import ProgressBar
        with ProgressBar(out=sys.stderr):
            return list(dask.compute(*tasks))
    return list(dask.compute(*tasks))


def _prepare_out(out: str) -> str:
    out = os.fspath(out)
    os.makedirs(out, exist_ok=True)
    stale = glob.glob(os.path.join(out, "part-*"))
    if stale:
        raise ValueError(f"{out}: already holds partition files ({os.path.basename(sorted(stale)[0])}, ...); "
                         "choose an empty folder")
    return out


def _finish(out: str, counts: list) -> dict:
    # Files of tasks that died while writing (the task ran again elsewhere and wrote the whole file).
    for leftover in glob.glob(os.path.join(out, "*.partial")):
        os.remove(leftover)
    return {"out": out, "partitions": len(counts), "records": int(sum(counts))}


def _conversation_partition(part: pd.DataFrame, number: int, out: str, output: str, model_path: str | None,
                            causes_path: str | None, causes: bool, options: dict) -> int:
    model = _model("conversation", model_path)
    cause_model = _model("causes", causes_path) if causes else False
    _write_atomically(_part_path(out, number, output),
                      model.analyze(part, causes=cause_model, output=output, threads=1, **options))
    return len(part)


def analyze_conversations(data, out, *, model: str | None = None, output: str = "jsonl", causes: bool = False,
                          cause_model: str | None = None, online: bool = False, evidence: int = 5, client=None,
                          progress: bool = True, rows_per_partition: int = 20000) -> dict:
    """Analyses the conversations of ``data`` (a Dask DataFrame whose partitions hold whole dialogues, or a pandas
    DataFrame, cut with partition_by_dialogue) on the cluster; writes ``out``/part-NNNNN.jsonl (or .csv) per
    partition and returns {"out", "partitions", "records"}."""
    import dask
    import dask.dataframe as dd
    if output not in ("jsonl", "csv"):
        raise ValueError(f"output: expected 'jsonl' or 'csv', got {output!r}")
    if causes and output == "csv":
        raise ValueError("causes need JSON Lines output")
    if isinstance(data, pd.DataFrame):
        data = partition_by_dialogue(data, rows_per_partition)
    elif not isinstance(data, dd.DataFrame):
        raise TypeError(f"expected a Dask or pandas DataFrame, got {type(data).__name__}")
    for column in ("dialogue_id", "text"):
        if column not in data.columns:
            raise ValueError(f"DataFrame: no column {column!r} (columns: {', '.join(map(str, data.columns))})")
    if data._name not in _whole_dialogue_frames:
        _check_dialogues_whole(data)
    out = _prepare_out(out)
    options = {"online": online, "evidence": evidence}
    write = dask.delayed(_conversation_partition, pure=False)
    tasks = [write(part, i, out, output, model, cause_model, causes, options)
             for i, part in enumerate(data.to_delayed())]
    return _finish(out, _run(tasks, client, progress))


def _text_partition(part, number: int, out: str, options: dict) -> int:
    model = _model("text", None)
    text = model.analyze(part if isinstance(part, pd.DataFrame) else list(part), output="jsonl", threads=1, **options)
    _write_atomically(_part_path(out, number, "jsonl"), text)
    return text.count("\n")


def analyze_texts(data, out, *, perspective: str = "average", evidence: int = 3, client=None,
                  progress: bool = True) -> dict:
    """Analyses texts (a Dask DataFrame with a ``text`` column, and ``id``; or a Dask Bag of str) with the built-in
    text models; writes ``out``/part-NNNNN.jsonl per partition."""
    import dask
    out = _prepare_out(out)
    write = dask.delayed(_text_partition, pure=False)
    options = {"perspective": perspective, "evidence": evidence}
    tasks = [write(part, i, out, options) for i, part in enumerate(data.to_delayed())]
    return _finish(out, _run(tasks, client, progress))


def _audio_partition(paths, number: int, out: str, model_path: str | None, options: dict) -> int:
    model = _model("speech", model_path)
    paths = list(paths)
    text = model.analyze(paths, output="jsonl", threads=1, **options) if paths else ""
    _write_atomically(_part_path(out, number, "jsonl"), text)
    return text.count("\n")


def analyze_audio(paths, out, *, model: str | None = None, segments: bool = False, evidence: int = 3, client=None,
                  progress: bool = True) -> dict:
    """Analyses recordings (a Dask Bag of file paths, which every worker must be able to read) with the speech
    model; writes ``out``/part-NNNNN.jsonl per partition. Recordings are analysed each against the population (a
    speaker baseline needs a speaker's recordings together: use SpeechModel.analyze for that)."""
    import dask
    out = _prepare_out(out)
    write = dask.delayed(_audio_partition, pure=False)
    options = {"segments": segments, "evidence": evidence, "speaker_baseline": False}
    tasks = [write(part, i, out, model, options) for i, part in enumerate(paths.to_delayed())]
    return _finish(out, _run(tasks, client, progress))


# ------------------------------------------------------------------------------------------------------------------
# Command line: python -m emo.dask conv ... (emo dask conv ...)

def _client(address: str):
    from distributed import Client, LocalCluster
    if address.startswith("local:"):
        workers = int(address.split(":", 1)[1])
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


def _read_inputs(inputs: Sequence[str], format: str, on_error: str) -> pd.DataFrame:
    frames = []
    for i, path in enumerate(inputs):
        frame = emo.read_conversations(path, format=format, on_error=on_error)
        # The CLI treats each file's dialogues apart: dialogue "1" of two files is two dialogues.
        frame["_input"] = i
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _file_partitions(frame: pd.DataFrame, rows_per_partition: int):
    """Partitions cut between dialogues and between input files (each file's dialogues are its own)."""
    import dask.dataframe as dd
    parts = []
    for _, rows in frame.groupby("_input", sort=True):
        parts.extend(partition_by_dialogue(rows.reset_index(drop=True), rows_per_partition).to_delayed())
    return _whole(dd.from_delayed(parts, meta=frame.iloc[0:0], verify_meta=False))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="emo dask", description="emo's analyses on a Dask cluster")
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("conv", help="the emotion of every utterance of conversation files (as emo conv)")
    conv.add_argument("inputs", nargs="+", help="conversation files (read on this machine, analysed on the workers)")
    conv.add_argument("--scheduler", required=True,
                      help="the scheduler's address (tcp://host:8786), or local:N for a LocalCluster of N processes")
    conv.add_argument("--out", required=True, help="an empty (or new) folder for the partition files")
    conv.add_argument("--output", choices=("jsonl", "csv"), default="jsonl")
    conv.add_argument("--format", default="auto", help="input format, as emo conv's --format")
    conv.add_argument("--on-error", choices=("fail", "skip"), default="fail")
    conv.add_argument("--model", help="model directory (default: the built-in conv-meld)")
    conv.add_argument("--online", action="store_true")
    conv.add_argument("--evidence", type=int, default=5)
    conv.add_argument("--causes", action="store_true")
    conv.add_argument("--cause-model")
    conv.add_argument("--rows-per-partition", type=int, default=20000)
    conv.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    try:
        frame = _read_inputs(args.inputs, args.format, args.on_error)
        if frame.empty:
            raise ValueError("the inputs hold no utterance")
        client, cluster = _client(args.scheduler)
        try:
            summary = analyze_conversations(
                _file_partitions(frame, args.rows_per_partition), args.out, model=args.model, output=args.output,
                causes=args.causes, cause_model=args.cause_model, online=args.online, evidence=args.evidence,
                client=client, progress=not args.no_progress)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    except (ValueError, TypeError, OSError) as e:
        print(f"emo dask: {e}", file=sys.stderr)
        return 1
    print(f"emo dask: {summary['records']} utterances in {summary['partitions']} partitions written to "
          f"{summary['out']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    # The tasks must be emo.dask's functions, not this __main__'s copies: those would travel to the workers by value,
    # each with a model cache of its own.
    from emo.dask import main as _main
    sys.exit(_main())
