#!/usr/bin/python3
"""Reference baseline: TF-IDF word + char n-grams with logistic regression.

One utterance at a time, no dialogue context. Trains on the train split and
reports accuracy, weighted-F1 and macro-F1 on MELD dev or on DailyDialog
validation. The C++ engine should match or beat these numbers.

Two more datasets share the same features:
  * goemotions (multi-label, 28 labels): one-vs-rest logistic regression, C=4,
    liblinear, fitted on a random 85% of train; each label's probability
    threshold maximises that label's F1 on the other 15% (random_state 0); a
    text with no label over its threshold gets its most probable label. Reports
    dev macro-F1 (28 labels), micro-F1 and sample-averaged Jaccard.
  * emobank (regression): ridge, alpha=1.0, on V, A and D together, fitted on
    split==train; reports Pearson r, CCC and MAE on split==dev.

Features:
  * text: lowercased, typographic quotes mapped to ASCII (U+2019 -> ')
  * word 1-2 grams (tokens: \\w[\\w']* plus '!' and '?'), sublinear tf, min_df=2
  * char_wb 2-5 grams, sublinear tf, min_df=2
  * the two TF-IDF blocks (each row L2-normalised) are concatenated
Model (meld, dailydialog): multinomial logistic regression, L2, L-BFGS, C=3, no
class weights (unless --balance-power is given).

Needs numpy and scikit-learn (Debian's python3 has both). Never reads the test
splits.

Examples:
  bench/tfidf_baseline.py --dataset meld
  bench/tfidf_baseline.py --dataset dailydialog --data-dir /path/to/shared/data
  nice bench/tfidf_baseline.py --dataset goemotions
  nice bench/tfidf_baseline.py --dataset emobank
"""
import argparse
import csv
import os
import sys
import time

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, jaccard_score, precision_recall_curve
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier

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


def load_goemotions(data_dir, split):
    """Return (texts, Y) for GoEmotions 'train' or 'dev'; Y is an (n, 28) 0/1 matrix.

    Lines are text<TAB>comma-separated label ids<TAB>comment id, no header and
    no quoting (a literal '"' is part of the text).
    """
    with open(os.path.join(data_dir, 'goemotions', 'emotions.txt'), encoding='utf-8') as f:
        names = f.read().split()
    with open(os.path.join(data_dir, 'goemotions', f'{split}.tsv'), encoding='utf-8') as f:
        rows = [line.rstrip('\n').split('\t') for line in f]
    y = np.zeros((len(rows), len(names)), dtype=int)
    for i, (_, ids, _) in enumerate(rows):
        y[i, [int(x) for x in ids.split(',')]] = 1
    return [normalise(r[0]) for r in rows], y, names


def load_emobank(data_dir, split):
    """Return (texts, Y) for EmoBank split 'train' or 'dev'; Y columns are V, A, D."""
    with open(os.path.join(data_dir, 'emobank', 'emobank.csv'), encoding='utf-8', newline='') as f:
        rows = [r for r in csv.DictReader(f) if r['split'] == split]
    return ([normalise(r['text']) for r in rows],
            np.array([[float(r[d]) for d in 'VAD'] for r in rows]))


def tfidf_blocks():
    """The two n-gram blocks, unfitted: words 1-2 and char_wb 2-5, sublinear tf, min_df 2, each L2-normalised."""
    word = TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True,
                           min_df=2, token_pattern=r"(?u)\b\w[\w']*\b|[!?]")
    char = TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), sublinear_tf=True,
                           min_df=2)
    return word, char


def build_features(train_texts, *eval_texts, blocks=None):
    """Fit the two blocks (default: tfidf_blocks()) on train; return sparse (train, *eval) matrices."""
    word, char = blocks or tfidf_blocks()
    x_train = hstack([word.fit_transform(train_texts), char.fit_transform(train_texts)]).tocsr()
    return (x_train, *(hstack([word.transform(t), char.transform(t)]).tocsr() for t in eval_texts))


def tune_thresholds(y, prob):
    """Per label, the probability cut maximising that label's F1 (0.5 if no positives)."""
    cuts = np.full(y.shape[1], 0.5)
    for j in range(y.shape[1]):
        if y[:, j].any():
            prec, rec, thr = precision_recall_curve(y[:, j], prob[:, j])
            f1 = 2 * prec * rec / np.maximum(prec + rec, 1e-12)
            cuts[j] = thr[np.argmax(f1[:-1])]  # the last (P=1, R=0) point has no threshold
    return cuts


def run_goemotions(args, t0):
    """Multi-label GoEmotions: one-vs-rest LR with per-label thresholds; dev scores."""
    texts, y, names = load_goemotions(args.data_dir, 'train')
    ev_txt, y_ev, _ = load_goemotions(args.data_dir, 'dev')
    fit_txt, tune_txt, y_fit, y_tune = train_test_split(texts, y, test_size=0.15, random_state=0)
    print(f'train texts: {len(y)} (fit {len(y_fit)}, threshold tuning {len(y_tune)}), '
          f'dev texts: {len(y_ev)}, labels: {len(names)}')
    x_fit, x_tune, x_ev = build_features(fit_txt, tune_txt, ev_txt)
    print(f'features: {x_fit.shape[1]}  (load+featurise {time.time() - t0:.1f}s)')

    t1 = time.time()
    model = OneVsRestClassifier(LogisticRegression(C=args.C or 4.0, solver='liblinear'), n_jobs=1)
    model.fit(x_fit, y_fit)
    cuts = tune_thresholds(y_tune, model.predict_proba(x_tune))
    prob = model.predict_proba(x_ev)
    pred = (prob >= cuts).astype(int)
    empty = pred.sum(axis=1) == 0  # no label passed: take the most probable one
    pred[empty, prob[empty].argmax(axis=1)] = 1
    print(f'train+tune time {time.time() - t1:.1f}s; dev texts given argmax label: {empty.sum()}')

    print('GoEmotions dev:')
    print(f'  macro-F1     {f1_score(y_ev, pred, average="macro", zero_division=0):.4f}  (28 labels)')
    print(f'  micro-F1     {f1_score(y_ev, pred, average="micro", zero_division=0):.4f}')
    print(f'  jaccard      {jaccard_score(y_ev, pred, average="samples", zero_division=0):.4f}'
          '  (sample-averaged)')
    per_label = f1_score(y_ev, pred, average=None, zero_division=0)
    print('  per-label F1 ' + ' '.join(f'{n}={v:.3f}' for n, v in zip(names, per_label)))
    print('  thresholds   ' + ' '.join(f'{n}={c:.3f}' for n, c in zip(names, cuts)))


def run_emobank(args, t0):
    """EmoBank V/A/D regression: ridge on the TF-IDF features; dev scores."""
    tr_txt, y_tr = load_emobank(args.data_dir, 'train')
    ev_txt, y_ev = load_emobank(args.data_dir, 'dev')
    print(f'train sentences: {len(y_tr)}, dev sentences: {len(y_ev)}')
    x_tr, x_ev = build_features(tr_txt, ev_txt)
    print(f'features: {x_tr.shape[1]}  (load+featurise {time.time() - t0:.1f}s)')

    t1 = time.time()
    pred = Ridge(alpha=args.alpha).fit(x_tr, y_tr).predict(x_ev)
    print(f'train time {time.time() - t1:.1f}s')

    def pearson(a, b):
        return np.corrcoef(a, b)[0, 1]

    def ccc(a, b):  # concordance correlation, population moments
        return 2 * np.mean((a - a.mean()) * (b - b.mean())) / (a.var() + b.var() + (a.mean() - b.mean()) ** 2)

    def mae(a, b):
        return np.mean(np.abs(a - b))

    print('EmoBank dev:')
    for name, fn in [('Pearson r', pearson), ('CCC', ccc), ('MAE', mae)]:
        vals = [fn(y_ev[:, d], pred[:, d]) for d in range(3)]
        print(f'  {name:<10} ' + ' '.join(f'{d}={v:.4f}' for d, v in zip('VAD', vals))
              + f'  mean={np.mean(vals):.4f}')


def class_weights(y, power, n_classes):
    """(n / (K * count_k)) ** power; power 0 = unweighted, 1 = sklearn 'balanced'."""
    if power == 0:
        return None
    counts = np.bincount(y, minlength=n_classes)
    return {k: (len(y) / (n_classes * counts[k])) ** power
            for k in range(n_classes) if counts[k] > 0}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dataset', choices=['meld', 'dailydialog', 'goemotions', 'emobank'],
                    default='meld')
    ap.add_argument('--data-dir', default=DEFAULT_DATA,
                    help='folder holding meld/, dailydialog/, goemotions/, emobank/ '
                         '(default: %(default)s)')
    ap.add_argument('--C', type=float, default=None,
                    help='inverse L2 strength (default 3; 4 for goemotions)')
    ap.add_argument('--alpha', type=float, default=1.0, help='ridge penalty (emobank)')
    ap.add_argument('--balance-power', type=float, default=0.0,
                    help='class weight = (n/(K*n_k))**p; 0 = none (default)')
    args = ap.parse_args()

    t0 = time.time()
    if args.dataset in ('goemotions', 'emobank'):
        (run_goemotions if args.dataset == 'goemotions' else run_emobank)(args, t0)
        print(f'total time {time.time() - t0:.1f}s')
        return
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
    model = LogisticRegression(C=args.C or 3.0, max_iter=3000,
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
