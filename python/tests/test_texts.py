"""emo.TextModel: the records of emo text exactly, for lists, Series and DataFrames; errors naming the row."""

import json

import pandas as pd
import pytest

import emo


@pytest.fixture(scope="module")
def model():
    return emo.TextModel.load()


def goemotions_texts(data, count):
    texts = []
    with open(data / "goemotions" / "dev.tsv", encoding="utf-8") as f:
        for line in f:
            texts.append(line.split("\t")[0])
            if len(texts) == count:
                break
    return texts


def test_a_list_of_texts_gives_the_records_of_emo_text(cli, data, model, tmp_path):
    texts = goemotions_texts(data, 600)
    path = tmp_path / "texts.txt"
    path.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    want = [json.loads(line) for line in cli("text", "--input", path, "--format", "lines").stdout.splitlines()]
    assert len(want) == len(texts)
    got = model.analyze(texts)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"text {i}: {texts[i]!r}"
    assert model.analyze(texts, threads=1) == got
    assert model.analyze(pd.Series(texts)) == got


def test_one_text_gives_one_record_and_a_dataframe_passes_ids_through(model):
    one = model.analyze("I am so happy for you!")
    assert isinstance(one, dict) and one["labels"] and "vad" in one
    frame = pd.DataFrame({"id": ["a", "b"], "text": ["Thank you so much!", "This is awful."]})
    records = model.analyze(frame)
    assert [r["id"] for r in records] == ["a", "b"]
    flat = model.analyze(frame, as_frame=True)
    assert list(flat["id"]) == ["a", "b"] and "vad.valence" in flat.columns


def test_perspectives_and_models_left_out(model):
    both = model.analyze("What a lovely day.", perspective="both")
    assert set(both["vad"]) == {"writer", "reader"}
    vad_only = emo.TextModel.load(emotions=False)
    assert vad_only.labels == [] and "labels" not in vad_only.analyze("ok")
    with pytest.raises(emo.Error, match="perspective"):
        model.analyze("x", perspective="sideways")


def test_bad_texts_name_the_row(model):
    with pytest.raises(TypeError, match=r"texts, row 2: expected str, got NoneType"):
        model.analyze(["a", "b", None])
    with pytest.raises(TypeError, match=r"texts, row 0: expected str, got bytes"):
        model.analyze([b"bytes"])
    with pytest.raises(TypeError, match="expected a str, a list of str"):
        model.analyze(12)
    with pytest.raises(ValueError, match="no column 'text'"):
        model.analyze(pd.DataFrame({"body": ["x"]}))
    # Strings Python holds but UTF-8 cannot (lone surrogates) are refused by the conversion, not by a crash.
    with pytest.raises((TypeError, UnicodeError, RuntimeError)):
        model.analyze(["\ud800"])
