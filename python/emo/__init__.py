"""emo: emotion recognition in conversations, texts and speech, on a CPU, offline.

The models are those of the C++ library and the ``emo`` command line; their records (dicts) are the CLI's JSON lines
exactly. Calls release the GIL, and batches run on the library's threads (``threads=0``: every core).

    >>> import emo
    >>> conv = emo.ConversationModel.load()
    >>> conv.analyze([{"dialogue_id": "d1", "speaker": "Ann", "text": "We won!"}])[0]["emotion"]
    'joy'
    >>> emo.TextModel.load().analyze("Thank you so much!")["labels"]
    ['gratitude']

Errors of the library (a missing file, a malformed record) are ``emo.Error``, a ``ValueError`` whose message names
the input and the place; wrong Python types are ``TypeError`` naming the column or row.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Mapping, Sequence, Union

import numpy as np

from . import _emo

__all__ = [
    "Error", "ConversationModel", "TextModel", "CauseModel", "SpeechModel", "read_conversations", "egemaps",
    "egemaps_lld", "egemaps_names", "egemaps_lld_names", "train_conversation", "train_text", "train_causes",
    "train_speech", "evaluate", "evaluate_multilabel", "evaluate_regression", "evaluate_conversations",
    "evaluate_causes", "evaluate_audio",
]

Error = _emo.Error
PathLike = Union[str, "os.PathLike[str]"]

# The columns of a table of utterances: the required ones, then those passed through when present.
CONVERSATION_COLUMNS = ("dialogue_id", "speaker", "text")
OPTIONAL_CONVERSATION_COLUMNS = ("label", "sentiment", "source", "error")


def _frame(records: list, as_frame: bool):
    """Records as they are, or as a pandas DataFrame with nested fields flattened ("scores.joy")."""
    if not as_frame:
        return records
    import pandas as pd
    return pd.json_normalize(records)


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, os.PathLike))


def _jsonl_output(output: str) -> bool:
    """Whether ``output`` asks for the CLI's JSON Lines text rather than records."""
    if output not in ("records", "jsonl"):
        raise ValueError(f"output: expected 'records' or 'jsonl', got {output!r}")
    return output == "jsonl"


def _dir(path: PathLike | None, default: str) -> str:
    return default if path is None else os.fspath(path)


# ------------------------------------------------------------------------------------------------------------------
# Conversations

def read_conversations(path: PathLike, *, format: str = "auto", on_error: str = "fail"):
    """Reads a conversation file as ``emo conv`` does (CSV, JSON Lines, JSON, MELD, EmoryNLP, DailyDialog, RECCON)
    into a pandas DataFrame with the columns dialogue_id, speaker, text, label, sentiment, source ("file:line") and
    error (set for records refused with ``on_error="skip"``), dialogues in the file's order."""
    import pandas as pd
    return pd.DataFrame(_emo.read_conversations(os.fspath(path), format, on_error))


def _conversation_columns(data: Any) -> dict:
    """Column lists from a DataFrame, a mapping of columns, or a list of dicts (one per utterance)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - Debian's python3-pandas is a dependency
        pd = None
    if pd is not None and isinstance(data, pd.DataFrame):
        missing = [c for c in ("dialogue_id", "text") if c not in data.columns]
        if missing:
            raise ValueError(f"DataFrame: no column {missing[0]!r} (columns: {', '.join(map(str, data.columns))}); "
                             "a conversation table needs dialogue_id and text, and may have speaker, label, sentiment")
        columns = {c: data[c].tolist() for c in CONVERSATION_COLUMNS + OPTIONAL_CONVERSATION_COLUMNS
                   if c in data.columns}
    elif isinstance(data, Mapping):
        columns = {c: list(data[c]) for c in CONVERSATION_COLUMNS + OPTIONAL_CONVERSATION_COLUMNS if c in data}
        if "text" not in columns or "dialogue_id" not in columns:
            raise ValueError("columns: need 'dialogue_id' and 'text'")
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        columns = {c: [] for c in CONVERSATION_COLUMNS + OPTIONAL_CONVERSATION_COLUMNS}
        for row, record in enumerate(data):
            if not isinstance(record, Mapping):
                raise TypeError(f"row {row}: expected a dict with dialogue_id, speaker and text, "
                                f"got {type(record).__name__}")
            for c in ("dialogue_id", "text"):
                if c not in record:
                    raise ValueError(f"row {row}: no {c!r} field")
            for c in columns:
                columns[c].append(record.get(c))
        for c in OPTIONAL_CONVERSATION_COLUMNS:
            if all(v is None for v in columns[c]):
                del columns[c]
    else:
        raise TypeError("expected a file path, a pandas DataFrame, a dict of columns or a list of dicts, got "
                        f"{type(data).__name__}")
    # Dialogue ids are often numbers (MELD's Dialogue_ID); any scalar but None and NaN names a dialogue.
    ids = columns["dialogue_id"]
    for row, value in enumerate(ids):
        if value is None or (isinstance(value, float) and value != value):
            raise TypeError(f"dialogue_id, row {row}: missing ({value!r})")
        if not isinstance(value, str):
            if isinstance(value, (bool, list, dict, tuple, set)):
                raise TypeError(f"dialogue_id, row {row}: expected str or int, got {type(value).__name__}")
            ids[row] = str(value)
    columns.setdefault("speaker", [None] * len(columns["text"]))
    for c in ("speaker",) + OPTIONAL_CONVERSATION_COLUMNS:
        if c in columns:
            columns[c] = [None if (isinstance(v, float) and v != v) else v for v in columns[c]]
    return columns


class CauseModel:
    """Which earlier utterances (and which span of each) caused each non-neutral emotion of a conversation."""

    def __init__(self, model: "_emo.CauseModel", path: str):
        self._model = model
        self.path = path

    @classmethod
    def load(cls, path: PathLike | None = None) -> "CauseModel":
        """Loads a cause model directory (default: the built-in models/causes-reccon)."""
        directory = _dir(path, _emo.CauseModel.default_directory())
        return cls(_emo.CauseModel.load(directory), directory)

    @property
    def threshold(self) -> float:
        return self._model.threshold


class ConversationModel:
    """The emotion of every utterance of a conversation, from its text, its context and who speaks."""

    def __init__(self, model: "_emo.ConversationModel", path: str):
        self._model = model
        self.path = path

    @classmethod
    def load(cls, path: PathLike | None = None, *, quantize: str = "none", occlusion: bool = False,
             threads: int = 0) -> "ConversationModel":
        """Loads a model directory or a Hugging Face checkpoint (default: the built-in models/conv-meld).
        quantize, occlusion and threads apply to checkpoints, as ``emo conv``'s options of those names."""
        directory = _dir(path, _emo.ConversationModel.default_directory())
        return cls(_emo.ConversationModel.load(directory, quantize, occlusion, threads), directory)

    @property
    def labels(self) -> list:
        return self._model.labels

    @property
    def sentiment_labels(self) -> list:
        return self._model.sentiment_labels

    def analyze(self, data: Any, *, online: bool = False, evidence: int = 5, context: int = 0,
                causes: "bool | CauseModel" = False, cause_candidates: bool = False, gold_emotions: bool = False,
                dynamics: bool = False, format: str = "auto", on_error: str = "fail", as_frame: bool = False,
                output: str = "records", threads: int = 0):
        """One record per utterance, as ``emo conv`` writes them, dialogues in the order of their first utterance.

        data: a conversation file (path), a pandas DataFrame or dict of columns (dialogue_id, speaker, text; label,
        sentiment optional), or a list of dicts with those keys. causes: True (the built-in cause model) or a
        CauseModel adds each emotion's causes. dynamics: also return each dialogue's dynamics (``emo conv
        --dynamics``) as a second value. output: "records" (dicts), or the text ``emo conv`` writes instead: "jsonl"
        (with dynamics, their lines among them) or "csv" (``--output csv``, header included). Dialogues run in
        parallel on ``threads`` threads (0: every core).
        """
        if _is_path(data):
            data = _emo.read_conversations(os.fspath(data), format, on_error)
        columns = _conversation_columns(data)
        cause_model = causes if isinstance(causes, CauseModel) else (CauseModel.load() if causes else None)
        if cause_model is None and (cause_candidates or gold_emotions):
            raise ValueError("cause_candidates and gold_emotions need causes")
        records, dynamics_records = _emo.analyze_conversations(
            self._model, cause_model._model if cause_model else None, columns["dialogue_id"], columns["speaker"],
            columns["text"], columns.get("label"), columns.get("sentiment"), columns.get("source"),
            columns.get("error"), online, evidence, context, cause_candidates, gold_emotions, dynamics, output,
            threads)
        if output == "csv":
            return self._model.csv_header() + records
        if output == "jsonl":
            return records
        result = _frame(records, as_frame)
        return (result, dynamics_records) if dynamics else result


# ------------------------------------------------------------------------------------------------------------------
# Single texts

class TextModel:
    """Emotions of single texts (GoEmotions' 27 + neutral, multi-label, with Ekman and sentiment groups) and their
    valence, arousal and dominance (EmoBank)."""

    def __init__(self, model: "_emo.TextModel", emotion_path: str, vad_path: str):
        self._model = model
        self.emotion_path = emotion_path
        self.vad_path = vad_path

    @classmethod
    def load(cls, emotions: "PathLike | None | bool" = None, vad: "PathLike | None | bool" = None, *,
             quantize: str = "none", occlusion: bool = False, threads: int = 0) -> "TextModel":
        """Loads the emotion and the VAD model (None: the built-in one; False: leave it out)."""
        emotion_dir = "" if emotions is False else _dir(emotions, _emo.TextModel.default_emotion_directory())
        vad_dir = "" if vad is False else _dir(vad, _emo.TextModel.default_vad_directory())
        return cls(_emo.TextModel.load(emotion_dir, vad_dir, quantize, occlusion, threads), emotion_dir, vad_dir)

    @property
    def labels(self) -> list:
        return self._model.labels

    @property
    def multilabel(self) -> bool:
        return self._model.multilabel

    @property
    def perspectives(self) -> list:
        return self._model.perspectives

    def analyze(self, texts: Any, *, ids: Sequence[str] | None = None, perspective: str = "average",
                evidence: int = 3, as_frame: bool = False, output: str = "records", threads: int = 0):
        """One record per text, as ``emo text`` writes them (a single str gives one record); output="jsonl": the
        text ``emo text`` writes instead.

        texts: a str, a list of str, a pandas Series, or a DataFrame with a ``text`` column (and ``id``, passed
        through). perspective: "average", "writer", "reader" or "both" (EmoBank's VAD perspectives).
        """
        single = isinstance(texts, str)
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover
            pd = None
        if pd is not None and isinstance(texts, pd.DataFrame):
            if "text" not in texts.columns:
                raise ValueError(f"DataFrame: no column 'text' (columns: {', '.join(map(str, texts.columns))})")
            if ids is None and "id" in texts.columns:
                ids = [None if v is None else str(v) for v in texts["id"].tolist()]
            texts = texts["text"].tolist()
        elif pd is not None and isinstance(texts, pd.Series):
            texts = texts.tolist()
        elif single:
            texts = [texts]
        elif not isinstance(texts, list):
            if isinstance(texts, (bytes, Mapping)) or not isinstance(texts, Iterable):
                raise TypeError(f"texts: expected a str, a list of str or a pandas Series, got {type(texts).__name__}")
            texts = list(texts)
        records = self._model.analyze(texts, None if ids is None else list(ids), perspective, evidence,
                                      _jsonl_output(output), threads)
        if output == "jsonl":
            return records
        if single:
            return records[0]
        return _frame(records, as_frame)


# ------------------------------------------------------------------------------------------------------------------
# Speech

def _audio_inputs(inputs: Any, rate: int | None) -> tuple[list, bool]:
    """The inputs as paths and (name, float32 samples, rate) tuples, and whether one input was given alone."""
    single = _is_path(inputs) or isinstance(inputs, np.ndarray)
    items = [inputs] if single else list(inputs)
    out = []
    for i, item in enumerate(items):
        if _is_path(item):
            out.append(os.fspath(item))
            continue
        if not isinstance(item, np.ndarray):
            raise TypeError(f"input {i}: expected a file path or a NumPy array of samples, got {type(item).__name__}")
        if rate is None:
            raise ValueError(f"input {i}: an array of samples needs its sample rate (rate=16000, say)")
        if not np.issubdtype(item.dtype, np.floating):
            raise TypeError(f"input {i}: samples of dtype {item.dtype}; pass floating-point samples in [-1, 1] "
                            "(int16 PCM: x / 32768)")
        if item.ndim != 1:
            raise ValueError(f"input {i}: expected a 1-D array of mono samples, got shape {item.shape} "
                             "(mix channels first, e.g. x.mean(axis=1))")
        out.append((f"array[{i}]", np.ascontiguousarray(item, dtype=np.float32), int(rate)))
    return out, single


class SpeechModel:
    """The emotion of speech (RAVDESS' 8 classes) and its valence and arousal, from acoustic features."""

    def __init__(self, model: "_emo.SpeechModel", path: str):
        self._model = model
        self.path = path

    @classmethod
    def load(cls, path: PathLike | None = None) -> "SpeechModel":
        """Loads a speech model directory (default: the built-in models/speech-ravdess)."""
        directory = _dir(path, _emo.SpeechModel.default_directory())
        return cls(_emo.SpeechModel.load(directory), directory)

    @property
    def labels(self) -> list:
        return self._model.labels

    def analyze(self, inputs: Any, rate: int | None = None, *, speakers: Sequence[str] | None = None,
                segments: bool = False, speaker_baseline: bool = True, evidence: int = 3, as_frame: bool = False,
                output: str = "records", threads: int = 0):
        """One record per recording (or per speech segment), as ``emo audio`` writes them; output="jsonl": the
        text ``emo audio`` writes instead.

        inputs: a file path, a 1-D NumPy array of samples at ``rate`` Hz, or a list of those (arrays are named
        "array[i]" in the records). speakers: one per input; recordings of a speaker are compared with each other.
        """
        items, single = _audio_inputs(inputs, rate)
        records = self._model.analyze(items, None if speakers is None else list(speakers), segments,
                                      speaker_baseline, evidence, _jsonl_output(output), threads)
        if output == "jsonl":
            return records
        if single and not segments:
            return records[0]
        return _frame(records, as_frame)


def egemaps_names() -> list:
    """openSMILE's names of the 88 eGeMAPS v02 functionals, in its column order."""
    return _emo.egemaps_names()


def egemaps_lld_names() -> list:
    """openSMILE's names of the 25 eGeMAPS v02 frame-level descriptors, in its column order."""
    return _emo.egemaps_lld_names()


def _features(inputs: Any, rate: int | None, segments: bool, lld: bool, as_frame: bool, threads: int):
    items, single = _audio_inputs(inputs, rate)
    found = _emo.features(items, segments, lld, threads)
    names = _emo.egemaps_lld_names() if lld else _emo.egemaps_names()
    if as_frame:
        import pandas as pd
        frames = []
        for f in found:
            values = f["values"].reshape(-1, len(names)) if f["error"] == "" else np.full((1, len(names)), np.nan)
            frame = pd.DataFrame(values, columns=names)
            if lld:
                frame.insert(0, "frame_time", (np.arange(len(frame)) * 0.01) + (f["start"] or 0.0))
            frame.insert(0, "end", f["end"])
            frame.insert(0, "start", f["start"])
            frame.insert(0, "file", f["file"])
            frame["error"] = f["error"]
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)
    for f in found:
        if f["error"]:
            raise Error(f["error"])
    if single and not segments:
        return found[0]["values"]
    if lld:
        return [f["values"] for f in found]
    return np.stack([f["values"] for f in found]) if found else np.empty((0, len(names)))


def egemaps(path_or_samples: Any, rate: int | None = None, *, segments: bool = False, as_frame: bool = False,
            threads: int = 0):
    """The 88 eGeMAPS functionals (``emo features``): an array of 88 for one file or array of samples at ``rate``
    Hz, (n, 88) for a list or with ``segments``; ``as_frame`` gives a DataFrame with file, start, end, the 88 named
    columns and error (a file that cannot be read is a row of NaN with its error, instead of an exception)."""
    return _features(path_or_samples, rate, segments, False, as_frame, threads)


def egemaps_lld(path_or_samples: Any, rate: int | None = None, *, segments: bool = False, as_frame: bool = False,
                threads: int = 0):
    """The 25 eGeMAPS frame-level descriptors every 10 ms (``emo features --lld``): a (frames, 25) array for one
    input (a list of such arrays for several), or a DataFrame with file, start, end, frame_time and the named
    columns."""
    return _features(path_or_samples, rate, segments, True, as_frame, threads)


# ------------------------------------------------------------------------------------------------------------------
# Training and evaluation (python/emo/training.py)

from .training import (evaluate, evaluate_audio, evaluate_causes, evaluate_conversations,  # noqa: E402
                       evaluate_multilabel, evaluate_regression, train_causes, train_conversation, train_speech,
                       train_text)
