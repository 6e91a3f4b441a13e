#!/usr/bin/python3
"""emo's trainers with their defaults against a tuned TF-IDF + logistic-regression peer, on the labelled data sets of
../shared/data (dev splits only; test splits are never read).

Three steps, each a subcommand:

  prepare DIR      writes the single-label text sets as CSV (text,label), one train.csv and dev.csv per set:
                     meld         MELD's utterances, 7 emotions
                     dailydialog  DailyDialog's utterances, 7 emotions (no_emotion included)
                     goekman      GoEmotions texts whose labels map to one Ekman class (or neutral), 7 classes
  peer DIR SET     the peer: TF-IDF word 1-2 + char_wb 2-5 n-grams (sublinear tf, min_df 2, each block L2-normalised),
                   multinomial logistic regression (lbfgs); C chosen by 5-fold stratified cross-validation on train
                   over the grid below (LogisticRegressionCV, warm starts along the grid), or fixed with --c.
                   Prints dev accuracy, macro-F1 and weighted-F1, and the fit time.
  emo DIR SET      emo train text --task multiclass on train.csv (defaults, or --c), then emo eval text on dev.csv.

Examples:
  bench/trainer_peers.py prepare /tmp/peers
  bench/trainer_peers.py peer /tmp/peers meld            # C by cross-validation
  bench/trainer_peers.py peer /tmp/peers meld --c 16     # the same features at a fixed C
  bench/trainer_peers.py emo /tmp/peers meld --c 16 --threads 1
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO_ROOT, '..', 'shared', 'data')
C_GRID = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

MELD_EMOTIONS = ['anger', 'disgust', 'fear', 'joy', 'neutral', 'sadness', 'surprise']
DD_EMOTIONS = ['no_emotion', 'anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise']


def write_set(out_dir, name, splits):
    os.makedirs(os.path.join(out_dir, name), exist_ok=True)
    for split, rows in splits.items():
        with open(os.path.join(out_dir, name, f'{split}.csv'), 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f)
            w.writerow(['text', 'label'])
            w.writerows(rows)
        print(f'{name}/{split}.csv: {len(rows)} texts, {len(set(r[1] for r in rows))} labels')


def meld(data_dir, split):
    with open(os.path.join(data_dir, 'meld', f'{split}_sent_emo.csv'), encoding='utf-8', newline='') as f:
        return [(r['Utterance'], r['Emotion']) for r in csv.DictReader(f)]


def dailydialog(data_dir, split):
    base = os.path.join(data_dir, 'dailydialog', split)
    with open(os.path.join(base, f'dialogues_{split}.txt'), encoding='utf-8') as f:
        dialogues = f.read().splitlines()
    with open(os.path.join(base, f'dialogues_emotion_{split}.txt'), encoding='utf-8') as f:
        emotions = f.read().splitlines()
    rows = []
    for d, e in zip(dialogues, emotions):
        utts = [u.strip() for u in d.split('__eou__')]
        if utts and utts[-1] == '':
            utts.pop()
        labels = [int(x) for x in e.split()]
        if len(utts) == len(labels):  # one misaligned dialogue in train is left out, as everywhere in emo
            rows += [(u, DD_EMOTIONS[l]) for u, l in zip(utts, labels)]
    return rows


def goemotions_ekman(data_dir, split):
    base = os.path.join(data_dir, 'goemotions')
    with open(os.path.join(base, 'emotions.txt'), encoding='utf-8') as f:
        names = f.read().split()
    with open(os.path.join(base, 'ekman_mapping.json'), encoding='utf-8') as f:
        group_of = {fine: group for group, fines in json.load(f).items() for fine in fines}
    group_of['neutral'] = 'neutral'
    rows = []
    with open(os.path.join(base, f'{split}.tsv'), encoding='utf-8') as f:
        for line in f:
            text, ids, _ = line.rstrip('\n').split('\t')
            groups = {group_of[names[int(i)]] for i in ids.split(',')}
            if len(groups) == 1:  # texts whose labels fall into one Ekman class
                rows.append((text, groups.pop()))
    return rows


def prepare(args):
    write_set(args.dir, 'meld', {'train': meld(args.data_dir, 'train'), 'dev': meld(args.data_dir, 'dev')})
    write_set(args.dir, 'dailydialog', {'train': dailydialog(args.data_dir, 'train'),
                                        'dev': dailydialog(args.data_dir, 'validation')})
    write_set(args.dir, 'goekman', {'train': goemotions_ekman(args.data_dir, 'train'),
                                    'dev': goemotions_ekman(args.data_dir, 'dev')})


def read_set(path):
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.DictReader(f))
    return [r['text'] for r in rows], [r['label'] for r in rows]


def scores(gold, predicted):
    from sklearn.metrics import accuracy_score, f1_score
    return (accuracy_score(gold, predicted), f1_score(gold, predicted, average='macro'),
            f1_score(gold, predicted, average='weighted'))


def peer(args):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold

    train_texts, train_labels = read_set(os.path.join(args.dir, args.set, 'train.csv'))
    dev_texts, dev_labels = read_set(os.path.join(args.dir, args.set, 'dev.csv'))
    t0 = time.time()
    word = TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                           token_pattern=r"(?u)\b\w[\w']*\b|[!?]")
    char = TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    x_train = hstack([word.fit_transform(train_texts), char.fit_transform(train_texts)]).tocsr()
    x_dev = hstack([word.transform(dev_texts), char.transform(dev_texts)]).tocsr()
    t1 = time.time()
    if args.c:
        model = LogisticRegression(C=args.c, max_iter=args.max_iter).fit(x_train, train_labels)
        chosen = args.c
    else:
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        model = LogisticRegressionCV(Cs=C_GRID, cv=folds, max_iter=args.max_iter, n_jobs=args.jobs,
                                     scoring='accuracy').fit(x_train, train_labels)
        chosen = float(model.C_[0])
    t2 = time.time()
    acc, macro, weighted = scores(dev_labels, model.predict(x_dev))
    print(json.dumps({'set': args.set, 'who': 'peer', 'c': chosen, 'accuracy': round(acc, 4),
                      'macro_f1': round(macro, 4), 'weighted_f1': round(weighted, 4),
                      'features_s': round(t1 - t0, 1), 'fit_s': round(t2 - t1, 1)}))


def emo(args):
    binary = os.path.join(REPO_ROOT, 'build', 'emo')
    with tempfile.TemporaryDirectory() as model_dir:
        command = [binary, 'train', 'text', '--task', 'multiclass', '--quiet', '--out', model_dir,
                   '--train', os.path.join(args.dir, args.set, 'train.csv')]
        if args.c:
            command += ['--c', str(args.c)]
        if args.threads:
            command += ['--threads', str(args.threads)]
        command += args.extra
        t0 = time.time()
        subprocess.run(command, check=True)
        t1 = time.time()
        out = subprocess.run([binary, 'eval', 'text', '--json', '--model', model_dir,
                              os.path.join(args.dir, args.set, 'dev.csv')],
                             check=True, capture_output=True, text=True).stdout
        with open(os.path.join(model_dir, 'manifest.json'), encoding='utf-8') as f:
            training = json.load(f).get('training', {})
    report = json.loads(out)
    print(json.dumps({'set': args.set, 'who': 'emo', 'c': training.get('c'), 'accuracy': report.get('accuracy'),
                      'macro_f1': report.get('macro_f1'), 'weighted_f1': report.get('weighted_f1'),
                      'train_s': round(t1 - t0, 1)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='step', required=True)
    p = sub.add_parser('prepare')
    p.add_argument('dir')
    p.add_argument('--data-dir', default=DEFAULT_DATA)
    p.set_defaults(run=prepare)
    for name, run in (('peer', peer), ('emo', emo)):
        p = sub.add_parser(name)
        p.add_argument('dir')
        p.add_argument('set')
        p.add_argument('--c', type=float, default=0, help='a fixed C instead of cross-validation')
        p.set_defaults(run=run)
        if name == 'peer':
            p.add_argument('--max-iter', type=int, default=1000)
            p.add_argument('--jobs', type=int, default=1)
        else:
            p.add_argument('--threads', type=int, default=0)
            p.add_argument('extra', nargs='*', help='more options for emo train text (after --)')
    args = parser.parse_args()
    args.run(args)


if __name__ == '__main__':
    sys.exit(main())
