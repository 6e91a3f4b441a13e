"""emo.dask on a LocalCluster of worker processes: the single-process output exactly, models loaded once per worker,
nothing lost when a worker is killed, and a dialogue split across partitions refused."""

import json
import os
import signal
import threading
import time
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import emo
import emo.dask


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def meld(data):
    return data / "meld" / "dev_sent_emo.csv"


def joined(out):
    return "".join(p.read_text(encoding="utf-8") for p in sorted(Path(out).glob("part-*.jsonl")))


def test_partitions_give_the_single_process_output_and_load_models_once(client, cli, meld, tmp_path):
    want = cli("conv", meld).stdout
    frame = emo.read_conversations(meld)
    ddf = emo.dask.partition_by_dialogue(frame, rows_per_partition=100)
    assert ddf.npartitions > 8
    summary = emo.dask.analyze_conversations(ddf, tmp_path / "out", client=client, progress=False)
    assert summary["records"] == len(frame) and summary["partitions"] == ddf.npartitions
    assert joined(tmp_path / "out") == want
    # Each worker loaded the conversation model once, though it ran several partitions.
    loaded = client.run(emo.dask.loaded_models)
    assert len(loaded) == 2
    for models in loaded.values():
        assert models == [("conversation", "")]


def test_csv_partitions_and_texts(client, cli, root, tmp_path):
    path = root / "examples" / "dinner_plans.csv"
    emo.dask.analyze_conversations(emo.read_conversations(path), tmp_path / "csv", output="csv", client=client,
                                   progress=False)
    parts = sorted((tmp_path / "csv").glob("part-*.csv"))
    assert parts and parts[0].read_text() == cli("conv", path, "--output", "csv").stdout
    texts = pd.DataFrame({"id": [str(i) for i in range(50)], "text": [f"I feel great about number {i}!" for i in range(50)]})
    emo.dask.analyze_texts(dd.from_pandas(texts, npartitions=4), tmp_path / "texts", client=client, progress=False)
    got = [json.loads(line) for line in joined(tmp_path / "texts").splitlines()]
    assert got == emo.TextModel.load().analyze(texts)


def test_a_dialogue_split_across_partitions_is_refused(client, tmp_path):
    frame = pd.DataFrame({"dialogue_id": ["a"] * 6 + ["b"] * 2, "speaker": ["x", "y"] * 4,
                          "text": [f"line {i}" for i in range(8)]})
    split = dd.from_pandas(frame, npartitions=2, sort=False)
    with pytest.raises(ValueError, match=r"dialogue 'a' is split across partitions 0 and 1"):
        emo.dask.analyze_conversations(split, tmp_path / "out", client=client, progress=False)
    with pytest.raises(ValueError, match="rows of dialogue 'a' are not together"):
        emo.dask.partition_by_dialogue(pd.concat([frame, frame.iloc[:1]]))
    with pytest.raises(ValueError, match="no column 'text'"):
        emo.dask.analyze_conversations(frame.drop(columns="text"), tmp_path / "x", client=client, progress=False)


def test_a_worker_killed_in_the_middle_loses_nothing(client, data, tmp_path):
    frame = emo.read_conversations(data / "meld" / "train_sent_emo.csv")
    ddf = emo.dask.partition_by_dialogue(frame, rows_per_partition=100)
    out = tmp_path / "killed"
    result = {}

    def run():
        result["summary"] = emo.dask.analyze_conversations(ddf, out, client=client, progress=False)

    runner = threading.Thread(target=run)
    runner.start()
    deadline = time.time() + 120
    while not list(out.glob("part-*.jsonl")) and time.time() < deadline:
        time.sleep(0.01)
    victim = sorted(client.run(os.getpid).values())[0]
    os.kill(victim, signal.SIGKILL)
    written_at_kill = len(list(out.glob("part-*.jsonl")))
    assert 0 < written_at_kill < ddf.npartitions, "the worker was not killed in the middle of the run"
    runner.join(timeout=600)
    assert not runner.is_alive()
    assert result["summary"]["records"] == len(frame)
    assert len(list(out.glob("part-*.jsonl"))) == ddf.npartitions
    assert not list(out.glob("*.partial"))
    records = [json.loads(line) for line in joined(out).splitlines()]
    assert records == emo.ConversationModel.load().analyze(frame)
    keys = [(r["dialogue_id"], r["index"]) for r in records]
    assert len(keys) == len(set(keys)) == len(frame)


def test_the_command_line_writes_what_emo_conv_writes(cli, root, meld, tmp_path):
    inputs = [root / "examples" / "dinner_plans.csv", meld]
    want = cli("conv", *inputs).stdout
    done = cli("dask", "conv", "--scheduler", "local:2", *inputs, "--out", tmp_path / "cli", "--no-progress",
               "--rows-per-partition", "500")
    assert "utterances in" in done.stderr
    assert joined(tmp_path / "cli") == want
    refused = cli("dask", "conv", "--scheduler", "local:1", root / "no-such.csv", "--out", tmp_path / "x", check=False)
    assert refused.returncode != 0 and "no-such.csv" in refused.stderr


def test_a_bag_of_recordings_gives_the_speech_models_records(client, data, tmp_path):
    import dask.bag as db
    paths = [str(p) for p in sorted((data / "ravdess_speech" / "Actor_02").glob("*.flac"))[:6]]
    emo.dask.analyze_audio(db.from_sequence(paths, npartitions=3), tmp_path / "audio", client=client, progress=False)
    got = [json.loads(line) for line in joined(tmp_path / "audio").splitlines()]
    assert got == emo.SpeechModel.load().analyze(paths, speaker_baseline=False)
    assert len(list((tmp_path / "audio").glob("part-*.jsonl"))) == 3
