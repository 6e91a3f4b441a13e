#!/usr/bin/python3
"""Reference baseline: TF-IDF word + char n-grams with logistic regression.

One utterance at a time, no dialogue context. Trains on the train split and
reports accuracy, weighted-F1 and macro-F1 on MELD dev or on DailyDialog
validation. The C++ engine should match or beat these numbers.

Features:
  * text: lowercased, typographic quotes mapped to ASCII (U+2019 -> ')
  * word 1-2 grams (tokens: \\w[\\w']* plus '!' and '?'), sublinear tf, min_df=2
  * char_wb 2-5 grams, sublinear tf, min_df=2
  * the two TF-IDF blocks (each row L2-normalised) are concatenated
Model: multinomial logistic regression, L2, L-BFGS, C=3, no class weights
(unless --balance-power is given).

Needs numpy and scikit-learn (Debian's python3 has both). Never reads the test
splits.

Examples:
  bench/tfidf_baseline.py --dataset meld
  bench/tfidf_baseline.py --dataset dailydialog --data-dir /path/to/shared/data
"""
import argparse
import csv
import os
import sys
import time

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO_ROOT, '..', 'shared', 'data')

MELD_EMOTIONS = ['anger', 'disgust', 'fear', 'joy', 'neutral', 'sadness', 'surprise']
DD_EMOTIONS = ['no_emotion', 'anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise']

# Typographic characters found in MELD (and cp1252 leftovers) mapped to ASCII.
_QUOTES = {'\u2019': "'", '\u2018': "'", '\u201c': '"', '\u201d': '"',
           '\x91': "'", '\x92': "'", '\x93': '"', '\x94': '"'}


def normalise(text):
    """Lowercase and map curly quotes to ASCII, as the C++ tokenizer does."""
    for k, v in _QUOTES.items():
        text = text.replace(k, v)
    return text.lower()


def load_meld(data_dir, split):
    """Return (texts, labels) for MELD split 'train' or 'dev', in dialogue order."""
    path = os.path.join(data_dir, 'meld', f'{split}_sent_emo.csv')
    with open(path, encoding='utf-8', newline='') as f:  # CRLF handled by csv
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: (int(r['Dialogue_ID']), int(r['Utterance_ID'])))
    texts = [normalise(r['Utterance']) for r in rows]
    labels = np.array([MELD_EMOTIONS.index(r['Emotion']) for r in rows])
    return texts, labels


def load_dailydialog(data_dir, split):
    """Return (texts, labels) for DailyDialog 'train' or 'validation'.

    One dialogue per line, utterances terminated by '__eou__'; the emotion file
    is line-aligned. Dialogues whose label count differs from their utterance
    count (train line 7852) are skipped.
    """
    base = os.path.join(data_dir, 'dailydialog', split)
    with open(os.path.join(base, f'dialogues_{split}.txt'), encoding='utf-8') as f:
        dlines = f.read().splitlines()
    with open(os.path.join(base, f'dialogues_emotion_{split}.txt'), encoding='utf-8') as f:
        elines = f.read().splitlines()
    if len(dlines) != len(elines):
        sys.exit(f'{split}: {len(dlines)} dialogue lines but {len(elines)} label lines')
    texts, labels, skipped = [], [], 0
    for dl, el in zip(dlines, elines):
        utts = [u.strip() for u in dl.split('__eou__')]
        if utts and utts[-1] == '':
            utts.pop()
        labs = [int(x) for x in el.split()]
        if len(utts) != len(labs):
            skipped += 1
            continue
        texts.extend(normalise(u) for u in utts)
        labels.extend(labs)
    if skipped:
        print(f'[{split}] skipped {skipped} misaligned dialogue(s)')
    return texts, np.array(labels)


def build_features(train_texts, eval_texts):
    """Fit word and char_wb TF-IDF on train; return sparse (train, eval) matrices."""
    word = TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True,
                           min_df=2, token_pattern=r"(?u)\b\w[\w']*\b|[!?]")
    char = TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), sublinear_tf=True,
                           min_df=2)
    x_train = hstack([word.fit_transform(train_texts), char.fit_transform(train_texts)]).tocsr()
    x_eval = hstack([word.transform(eval_texts), char.transform(eval_texts)]).tocsr()
    return x_train, x_eval


def class_weights(y, power, n_classes):
    """(n / (K * count_k)) ** power; power 0 = unweighted, 1 = sklearn 'balanced'."""
    if power == 0:
        return None
    counts = np.bincount(y, minlength=n_classes)
    return {k: (len(y) / (n_classes * counts[k])) ** power
            for k in range(n_classes) if counts[k] > 0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dataset', choices=['meld', 'dailydialog'], default='meld')
    ap.add_argument('--data-dir', default=DEFAULT_DATA,
                    help='folder holding meld/ and dailydialog/ (default: %(default)s)')
    ap.add_argument('--C', type=float, default=3.0, help='inverse L2 strength')
    ap.add_argument('--balance-power', type=float, default=0.0,
                    help='class weight = (n/(K*n_k))**p; 0 = none (default)')
    args = ap.parse_args()

    t0 = time.time()
    if args.dataset == 'meld':
        names = MELD_EMOTIONS
        x_tr_txt, y_tr = load_meld(args.data_dir, 'train')
        x_ev_txt, y_ev = load_meld(args.data_dir, 'dev')
        eval_name = 'MELD dev'
    else:
        names = DD_EMOTIONS
        x_tr_txt, y_tr = load_dailydialog(args.data_dir, 'train')
        x_ev_txt, y_ev = load_dailydialog(args.data_dir, 'validation')
        eval_name = 'DailyDialog validation'
    k = len(names)
    print(f'train utterances: {len(y_tr)}, {eval_name} utterances: {len(y_ev)}')

    x_tr, x_ev = build_features(x_tr_txt, x_ev_txt)
    print(f'features: {x_tr.shape[1]}  (load+featurise {time.time() - t0:.1f}s)')

    t1 = time.time()
    model = LogisticRegression(C=args.C, max_iter=3000,
                               class_weight=class_weights(y_tr, args.balance_power, k))
    model.fit(x_tr, y_tr)
    pred = model.predict(x_ev)
    print(f'train time {time.time() - t1:.1f}s')

    labels = list(range(k))
    print(f'{eval_name}:')
    print(f'  accuracy     {accuracy_score(y_ev, pred):.4f}')
    print(f'  weighted-F1  {f1_score(y_ev, pred, labels=labels, average="weighted", zero_division=0):.4f}'
          '  (all classes)')
    print(f'  macro-F1     {f1_score(y_ev, pred, labels=labels, average="macro", zero_division=0):.4f}'
          '  (all classes)')
    if args.dataset == 'dailydialog':
        emo = labels[1:]  # exclude class 0 'no emotion'
        print(f'  weighted-F1 excluding class 0 (no emotion)  '
              f'{f1_score(y_ev, pred, labels=emo, average="weighted", zero_division=0):.4f}')
        print(f'  micro-F1 excluding class 0 (no emotion)     '
              f'{f1_score(y_ev, pred, labels=emo, average="micro", zero_division=0):.4f}')
    per_class = f1_score(y_ev, pred, labels=labels, average=None, zero_division=0)
    print('  per-class F1 ' + ' '.join(f'{n}={v:.3f}' for n, v in zip(names, per_class)))
    print(f'total time {time.time() - t0:.1f}s')


if __name__ == '__main__':
    main()
