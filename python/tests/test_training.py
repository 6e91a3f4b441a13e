"""The trainers and evaluation reports from Python: models written as emo train writes them, figures as emo eval."""

import pytest

import emo


def test_evaluate_reports_are_dicts():
    report = emo.evaluate(["joy", "anger", "joy"], ["joy", "joy", "joy"], ["anger", "joy"])
    assert report["accuracy"] == pytest.approx(2 / 3)
    multi = emo.evaluate_multilabel([["joy"], ["anger", "joy"]], [["joy"], ["anger"]], ["anger", "joy"])
    assert 0 < multi["macro_f1"] <= 1
    regression = emo.evaluate_regression([[1.0], [2.0], [3.0]], [[1.1], [1.9], [3.2]], ["valence"])
    assert regression["targets"][0]["name"] == "valence"
    with pytest.raises(ValueError, match="unknown label 'fear'"):
        emo.evaluate_multilabel([["fear"]], [["joy"]], ["joy"])
    with pytest.raises(emo.Error, match="surprise"):
        emo.evaluate(["surprise"], ["joy"], ["joy"])


def test_a_text_model_trained_from_python_runs(tmp_path):
    rows = [("I love this and thank you", "joy"), ("this is wonderful", "joy"), ("so happy today", "joy"),
            ("I hate waiting", "anger"), ("this makes me furious", "anger"), ("stop it now I am angry", "anger")] * 5
    train = tmp_path / "train.csv"
    train.write_text("text,label\n" + "".join(f"{t},{label}\n" for t, label in rows))
    out = emo.train_text(train, tmp_path / "model", task="multiclass", c=1.0, folds=2, verbose=False)
    assert (tmp_path / "model" / "manifest.json").exists()
    model = emo.TextModel.load(out, vad=False)
    assert sorted(model.labels) == ["anger", "joy"] and not model.multilabel
    assert model.analyze("I am so happy, I love it")["labels"] == ["joy"]


def test_evaluate_conversations_scores_gold_labels(data):
    model = emo.ConversationModel.load()
    report = emo.evaluate_conversations(model, data / "meld" / "dev_sent_emo.csv")
    assert report["count"] > 1000 and 0.3 < report["weighted_f1"] < 1
