"""emo.SpeechModel and emo.egemaps: the CLI's records and numbers for files, the same for arrays of samples."""

import json
import math
import wave

import numpy as np
import pytest

import emo


@pytest.fixture(scope="module")
def model():
    return emo.SpeechModel.load()


def ravdess(data, count=3):
    folder = data / "ravdess_speech" / "Actor_01"
    return sorted(folder.glob("*.flac"))[:count]


def test_files_give_the_records_of_emo_audio(cli, data, model):
    files = ravdess(data)
    want = [json.loads(line) for line in cli("audio", *files).stdout.splitlines()]
    got = model.analyze([str(f) for f in files])
    assert got == want
    assert model.analyze(files[0]) == want[0]


def test_egemaps_of_a_file_are_the_numbers_of_emo_features(cli, data):
    files = ravdess(data, 2)
    lines = cli("features", *files).stdout.splitlines()
    assert lines[0].split(",")[1:] == emo.egemaps_names()
    values = emo.egemaps(files)
    assert values.shape == (2, 88)
    for row, line in zip(values, lines[1:]):
        assert [f"{v:.7g}" for v in row] == line.split(",")[1:]
    frame = emo.egemaps(files, as_frame=True)
    assert list(frame.columns[:3]) == ["file", "start", "end"] and len(frame) == 2


def write_wav(path, samples, rate):
    pcm = np.round(samples * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return pcm


def test_an_array_of_samples_gives_what_its_file_gives(tmp_path, model):
    rate = 22050  # not 16 kHz: the array is resampled as the file is
    t = np.arange(int(rate * 1.5)) / rate
    f0 = 140 + 30 * np.sin(2 * np.pi * 3 * t)
    voice = 0.3 * np.sin(2 * np.pi * np.cumsum(f0) / rate) * (np.sin(2 * np.pi * 2 * t) > -0.5)
    pcm = write_wav(tmp_path / "voice.wav", voice, rate)
    samples = pcm.astype(np.float32) / 32768  # as libsndfile reads 16-bit PCM
    from_file = emo.egemaps(tmp_path / "voice.wav")
    from_array = emo.egemaps(samples, rate=rate)
    assert from_array.shape == (88,)
    np.testing.assert_array_equal(from_array, from_file)
    np.testing.assert_array_equal(emo.egemaps(samples.astype(np.float64), rate=rate), from_file)
    lld = emo.egemaps_lld(samples, rate=rate)
    assert lld.shape[1] == 25 and lld.shape[0] > 100
    record = model.analyze(samples, rate=rate)
    file_record = model.analyze(tmp_path / "voice.wav")
    assert record["file"] == "array[0]"
    assert {k: v for k, v in record.items() if k != "file"} == {k: v for k, v in file_record.items() if k != "file"}


def test_bad_arrays_are_clear_errors(model):
    with pytest.raises(TypeError, match="dtype int16"):
        emo.egemaps(np.zeros(16000, dtype=np.int16), rate=16000)
    with pytest.raises(ValueError, match=r"1-D array .* shape \(2, 100\)"):
        emo.egemaps(np.zeros((2, 100), dtype=np.float32), rate=16000)
    with pytest.raises(ValueError, match="sample rate"):
        emo.egemaps(np.zeros(100, dtype=np.float32))
    noisy = np.random.default_rng(1).normal(0, 0.1, 16000).astype(np.float32)
    noisy[123] = math.nan
    with pytest.raises(emo.Error, match="sample 123 is not a finite number"):
        emo.egemaps(noisy, rate=16000)
    with pytest.raises(emo.Error, match="out of range"):
        emo.egemaps(noisy[:10], rate=10)
    assert "error" in model.analyze(np.zeros(0, dtype=np.float32), rate=16000)
    with pytest.raises(TypeError, match="expected a file path or a NumPy array"):
        model.analyze([3.5])
    with pytest.raises(emo.Error, match="no-such.wav"):
        emo.egemaps("/nonexistent/no-such.wav")
