"""The trainers (each writes a model directory, as ``emo train`` does) and the evaluation figures (dicts, the JSON
reports of ``emo eval``)."""

from __future__ import annotations

import os
from typing import Any, Sequence

from . import _emo


def _path(value: Any) -> str:
    return "" if value is None else os.fspath(value)


def train_conversation(train, out, *, dev=None, format: str = "auto", vectors=None, stage1_c: float = 0.0,
                       stage2_c: float = 0.0, seed: int = 1, threads: int = 0, verbose: bool = True) -> str:
    """Trains a conversation model on a labelled file (``emo train``) and writes it to ``out``; returns ``out``.
    The penalties 0 are chosen by cross-validation over dialogues on train."""
    _emo.train_conversation(_path(train), _path(dev), _path(out), format, _path(vectors), stage1_c, stage2_c, seed,
                            threads, verbose)
    return os.fspath(out)


def train_text(train, out, *, task: str = "multilabel", dev=None, format: str = "auto",
               targets: Sequence[str] = (), vectors=None, base=None, c: float = 0.0, hash_bits: int = 0,
               min_df: int = 0, class_weight: str = "auto", folds: int = 5, seed: int = 1, threads: int = 0,
               verbose: bool = True) -> str:
    """Trains a text model (``emo train text``): task "multilabel", "multiclass" or "regression" (``targets``: the
    numeric columns, e.g. ["V", "A", "D"]); returns ``out``."""
    _emo.train_text(task, _path(train), _path(dev), _path(out), format, list(targets), _path(vectors), _path(base), c,
                    hash_bits, min_df, class_weight, folds, seed, threads, verbose)
    return os.fspath(out)


def train_causes(train, out, *, valid=None, format: str = "auto", emotion_model=None, c_pair: float = 0.0,
                 c_span: float = 0.0, folds: int = 5, seed: int = 1, threads: int = 0, verbose: bool = True) -> str:
    """Trains an emotion-cause model on conversations with cause annotations (``emo train causes``)."""
    _emo.train_causes(_path(train), _path(valid), _path(out), format, _path(emotion_model), c_pair, c_span, folds,
                      seed, threads, verbose)
    return os.fspath(out)


def train_speech(data, out, *, c: float = 0.0, folds: int = 5, augment: Sequence[float] = (0.9, 1.1),
                 threads: int = 0, verbose: bool = True) -> str:
    """Trains a speech emotion model on labelled recordings (a CSV with path, emotion, speaker: ``emo train
    audio``)."""
    _emo.train_speech(_path(data), _path(out), c, folds, list(augment), threads, verbose)
    return os.fspath(out)


def evaluate(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict:
    """Accuracy, weighted and macro F1, per-class figures and the confusion matrix of single-label predictions."""
    return _emo.evaluate(list(gold), list(predicted), list(labels))


def _indices(sets: Sequence[Sequence[str]], labels: Sequence[str], what: str) -> list:
    index = {label: i for i, label in enumerate(labels)}
    out = []
    for row, names in enumerate(sets):
        if isinstance(names, str):
            raise TypeError(f"{what}, row {row}: expected a list of labels, got a str ({names!r})")
        try:
            out.append(sorted({index[name] for name in names}))
        except KeyError as e:
            raise ValueError(f"{what}, row {row}: unknown label {e.args[0]!r}") from None
    return out


def evaluate_multilabel(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]],
                        labels: Sequence[str]) -> dict:
    """Macro and micro F1, sample-averaged Jaccard and per-label figures of label sets (lists of label names)."""
    return _emo.evaluate_multilabel(_indices(gold, labels, "gold"), _indices(predicted, labels, "predicted"),
                                    list(labels))


def evaluate_regression(gold, predicted, names: Sequence[str]) -> dict:
    """Pearson's r, Lin's CCC and MAE per target; gold and predicted are rows of one value per name (NaN gold values
    are left out)."""
    return _emo.evaluate_regression([list(map(float, r)) for r in gold], [list(map(float, r)) for r in predicted],
                                    list(names))


def evaluate_conversations(model, data, **analyze_options) -> dict:
    """The figures of ``emo eval``: a conversation model's predictions against the gold labels of ``data`` (a file or
    a table with a label column)."""
    records = model.analyze(data, **analyze_options)
    scored = [r for r in records if "gold" in r and "emotion" in r]
    if not scored:
        raise ValueError("no utterance has both a gold label and a prediction")
    return evaluate([r["gold"] for r in scored], [r["emotion"] for r in scored], model.labels)


def evaluate_causes(model, data, *, format: str = "auto", emotions=None) -> tuple:
    """RECCON's figures of a cause model on annotated conversations (``emo eval causes``), with gold emotions, or with
    the ``emotions`` conversation model's predictions; returns (report, warnings about unusable annotations)."""
    return tuple(_emo.evaluate_causes(model._model, _path(data), format, emotions._model if emotions else None))


def evaluate_audio(model, list_csv, *, speaker_baseline: bool = True, threads: int = 0) -> dict:
    """Unweighted and weighted accuracy and the confusion matrix of a speech model on labelled recordings
    (``emo eval audio``)."""
    return _emo.evaluate_audio(model._model, _path(list_csv), speaker_baseline, threads)
