#!/usr/bin/python3
"""Praat as a second oracle for emo's voice descriptors (issue 6).

Reads three CSVs over the same RAVDESS files: Praat's per-file figures (scripts/praat_oracle.praat), emo's 88
eGeMAPS functionals (`emo features`) and openSMILE's reference functionals, and prints a Markdown table of Pearson r
across files for the descriptors Praat also measures: mean F0, formant frequencies and bandwidths, jitter, shimmer
and HNR. Praat's definitions differ from eGeMAPS' (its own pitch track, Burg LPC, voice-report jitter), so r, not
the values, is what the table compares. Run through scripts/praat-oracle.

Usage: praat_oracle_compare.py PRAAT_CSV EMO_CSV OPENSMILE_CSV DATA_DIR
"""
import csv
import os
import sys

import numpy as np

PAIRS = [  # (eGeMAPS functional, Praat column, what it is)
    ('F0semitoneFrom27.5Hz_sma3nz_amean', 'F0semitone', 'F0, semitones from 27.5 Hz, mean over voiced frames'),
    ('F1frequency_sma3nz_amean', 'F1', 'F1 frequency, mean'),
    ('F2frequency_sma3nz_amean', 'F2', 'F2 frequency, mean'),
    ('F3frequency_sma3nz_amean', 'F3', 'F3 frequency, mean'),
    ('F1bandwidth_sma3nz_amean', 'F1bandwidth', 'F1 bandwidth, mean'),
    ('F2bandwidth_sma3nz_amean', 'F2bandwidth', 'F2 bandwidth, mean'),
    ('F3bandwidth_sma3nz_amean', 'F3bandwidth', 'F3 bandwidth, mean'),
    ('jitterLocal_sma3nz_amean', 'jitterLocal', 'jitter (local)'),
    ('shimmerLocaldB_sma3nz_amean', 'shimmerLocaldB', 'shimmer (local, dB)'),
    ('HNRdBACF_sma3nz_amean', 'HNR', 'harmonics-to-noise ratio'),
]


def read(path, data_dir):
    """Rows keyed by the file's path relative to data_dir (the reference's own keys)."""
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f'{path}: no rows')
    out = {}
    for r in rows:
        key = r['file']
        if os.path.isabs(key) or key.startswith('.'):
            key = os.path.relpath(os.path.abspath(key), os.path.abspath(data_dir))
        out[key] = r
    return out


def value(row, column):
    """The column as a number; NaN where it is missing or empty (no voiced frame)."""
    try:
        return float(row[column])
    except (KeyError, ValueError):
        return float('nan')


def pearson(x, y):
    """Pearson r over the files where both sides are defined."""
    ok = np.isfinite(x) & np.isfinite(y)
    return np.corrcoef(x[ok], y[ok])[0, 1] if ok.sum() > 2 else float('nan')


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.strip().splitlines()[-1])
    praat, ours, theirs = (read(p, sys.argv[4]) for p in sys.argv[1:4])
    files = sorted(set(praat) & set(ours) & set(theirs))
    if not files:
        sys.exit('no file is in all three CSVs')
    print(f'# Praat as a second oracle: {len(files)} RAVDESS files\n')
    print('Pearson r across files (files where either side is undefined are left out of that pair). Produced by '
          '`scripts/praat-oracle > docs/praat_oracle.md`; Praat 6.3 with its standard settings (see '
          '`scripts/praat_oracle.praat`).\n')
    print('| descriptor | eGeMAPS functional | r (emo, Praat) | r (openSMILE, Praat) | r (emo, openSMILE) |')
    print('|---|---|---|---|---|')
    for functional, column, what in PAIRS:
        a = np.array([value(ours[f], functional) for f in files])
        b = np.array([value(theirs[f], functional) for f in files])
        p = np.array([value(praat[f], column) for f in files])
        print(f'| {what} | `{functional}` | {pearson(a, p):.3f} | {pearson(b, p):.3f} | {pearson(a, b):.3f} |')


if __name__ == '__main__':
    main()
