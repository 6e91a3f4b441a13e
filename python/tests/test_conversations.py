"""emo.ConversationModel and emo.read_conversations: the CLI's records exactly, from files, DataFrames, dicts."""

import json

import pandas as pd
import pytest

import emo


@pytest.fixture(scope="module")
def model():
    return emo.ConversationModel.load()


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_a_file_gives_the_records_of_emo_conv(cli, root, model):
    path = root / "examples" / "dinner_plans.csv"
    want = jsonl(cli("conv", path).stdout)
    assert len(want) > 0
    assert model.analyze(path) == want
    assert model.analyze(str(path), threads=1) == want


def test_meld_dev_through_a_dataframe_equals_the_cli_record_by_record(cli, data, model):
    path = data / "meld" / "dev_sent_emo.csv"
    want = jsonl(cli("conv", path).stdout)
    frame = emo.read_conversations(path)
    assert list(frame.columns) == ["dialogue_id", "speaker", "text", "label", "sentiment", "source", "error"]
    assert len(frame) == len(want) > 1000
    got = model.analyze(frame)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"record {i}"


def test_causes_and_dynamics_are_the_clis(cli, root, model):
    path = root / "examples" / "dinner_plans.csv"
    lines = jsonl(cli("conv", path, "--causes", "--dynamics").stdout)
    want_records = [r for r in lines if "dynamics" not in r]
    want_dynamics = [r["dynamics"] for r in lines if "dynamics" in r]
    records, dynamics = model.analyze(path, causes=True, dynamics=True)
    assert records == want_records
    assert dynamics == want_dynamics
    assert any("causes" in r for r in records)


def test_a_list_of_dicts_and_a_dict_of_columns_give_what_the_dataframe_gives(model):
    rows = [
        {"dialogue_id": 7, "speaker": "Ann", "text": "We won the match!"},
        {"dialogue_id": 7, "speaker": "Bob", "text": "That's fantastic, well done."},
        {"dialogue_id": 8, "speaker": "Cy", "text": "I lost my keys again."},
        {"dialogue_id": 7, "speaker": "Ann", "text": "Let's celebrate tonight."},
    ]
    from_dicts = model.analyze(rows)
    frame = pd.DataFrame(rows)
    assert model.analyze(frame) == from_dicts
    assert model.analyze({k: frame[k].tolist() for k in frame.columns}) == from_dicts
    # Dialogues in the order of their first row; rows in order within each.
    assert [(r["dialogue_id"], r["index"]) for r in from_dicts] == [("7", 0), ("7", 1), ("7", 2), ("8", 0)]
    assert from_dicts[2]["text"] == "Let's celebrate tonight."


def test_as_frame_flattens_the_records(model):
    frame = model.analyze([{"dialogue_id": "d", "speaker": "A", "text": "Wow, really?"}], as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert {"dialogue_id", "emotion", "text"} <= set(frame.columns)
    assert any(c.startswith("scores.") for c in frame.columns)


def test_the_csv_rows_are_those_of_emo_conv_output_csv(cli, root, model):
    path = root / "examples" / "dinner_plans.csv"
    want = cli("conv", path, "--output", "csv").stdout
    got = model.analyze(emo.read_conversations(path), output="csv")
    assert got == want


def test_bad_tables_name_the_column_or_row(model):
    with pytest.raises(ValueError, match="no column 'text'"):
        model.analyze(pd.DataFrame({"dialogue_id": ["a"], "utterance": ["hi"]}))
    with pytest.raises(TypeError, match=r"text, row 1: expected str, got NoneType"):
        model.analyze(pd.DataFrame({"dialogue_id": ["a", "a"], "speaker": ["x", "y"], "text": ["hi", None]}))
    with pytest.raises(TypeError, match=r"text, row 2: expected str, got float \(nan\)"):
        model.analyze(pd.DataFrame({"dialogue_id": ["a"] * 3, "text": ["hi", "ho", float("nan")]}))
    with pytest.raises(TypeError, match=r"text, row 0: expected str, got int"):
        model.analyze([{"dialogue_id": "a", "text": 5}])
    with pytest.raises(TypeError, match=r"dialogue_id, row 1: missing"):
        model.analyze([{"dialogue_id": "a", "text": "x"}, {"dialogue_id": None, "text": "y"}])
    with pytest.raises(ValueError, match=r"row 0: no 'dialogue_id' field"):
        model.analyze([{"text": "hello"}])
    with pytest.raises(TypeError, match="expected a file path"):
        model.analyze(42)
    with pytest.raises(TypeError, match=r"speaker, row 0: expected str, got list"):
        model.analyze([{"dialogue_id": "a", "speaker": ["x"], "text": "y"}])


def test_library_errors_are_emo_errors_naming_the_input(model, tmp_path):
    with pytest.raises(emo.Error, match="no-such-file.csv"):
        model.analyze(tmp_path / "no-such-file.csv")
    with pytest.raises(emo.Error):
        emo.ConversationModel.load(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"dialogue_id": "a", "text": "fine"}\n{not json\n')
    with pytest.raises(emo.Error, match=r"bad.jsonl:2"):
        model.analyze(bad)
    skipped = emo.read_conversations(bad, on_error="skip")
    assert len(skipped) == 2 and skipped["error"][1] != ""
    records = model.analyze(skipped)
    assert "error" in records[1] and "emotion" in records[0]
    with pytest.raises(ValueError, match="on_error"):
        emo.read_conversations(bad, on_error="ignore")
