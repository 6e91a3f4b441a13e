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
                   over the grid below (LogisticRegressionCV, warm starts along the grid; --grid and --folds change
                   them), or fixed with --c. Prints dev accuracy, macro-F1 and weighted-F1, and the fit time.
  emo DIR SET      emo train text --task multiclass on train.csv (defaults, or --c), then emo eval text on dev.csv.
  emobank          the regression peer: ridge on the same TF-IDF blocks (bench/tfidf_baseline.py's features), each
                   of V, A and D with its alpha chosen by 5-fold cross-validated Pearson r on EmoBank's train split;
                   prints dev Pearson r (compare: emo eval text --vad ../shared/data/emobank/emobank.csv --split dev).
  ravdess          the speech peer: openSMILE's 88 eGeMAPS functionals (../shared/reference/egemaps), standardised,
                   logistic regression; five speaker folds over actors 1-20 (1-4, 5-8, ...), C chosen in each by
                   speaker folds inside its training actors; prints UA and WA (compare: emo eval audio --folds 5).
  goemotions       the multi-label peer: one-vs-rest logistic regression (liblinear) on bench/tfidf_baseline.py's
                   features, C over 1..8 chosen by 5-fold out-of-fold macro-F1 with per-label thresholds chosen on
                   the same out-of-fold probabilities (emo's protocol); prints dev macro-F1, micro-F1, Jaccard
                   (compare: emo train text --task multilabel --dev ../shared/data/goemotions/dev.tsv).
  reccon           the cause peer: logistic regression on candidate pairs (the target's and the candidate's TF-IDF
                   blocks, the distance and the target's emotion as one-hot columns), C chosen and the threshold set by
                   out-of-fold positive F1 over 5 folds of dialogues; prints valid positive and macro F1, pairs
                   weighted as bench/cause_rule_baseline.py weights them (compare: emo eval causes).

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
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the sibling baselines, imported where needed
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO_ROOT, '..', 'shared', 'data')
C_GRID = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]
RIDGE_GRID = [0.25, 0.5, 1, 2, 4, 8, 16]
SPEECH_C_GRID = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3]

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


EMO_TOKEN = re.compile(r"(?u)\w[\w']*|[^\w\s]+")


def emo_character_ngrams(text):
    """Character 2-5-grams inside each token as emo's front-end cuts them (punctuation runs are tokens of their own),
    each token padded with a space either side."""
    grams = []
    for token in EMO_TOKEN.findall(text.lower()):
        padded = f' {token} '
        for n in range(2, 6):
            grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def emo_token_blocks(ngram_tokens):
    """The peer's two TF-IDF blocks over the n-grams of emo's featurizer: 'all' (models before 2026-12-03: punctuation
    runs as words, character n-grams within tokens) or 'marks' (words and runs of !/? as words, character n-grams of
    whitespace chunks, i.e. char_wb)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    if ngram_tokens == 'all':
        word_pattern, char = EMO_TOKEN.pattern, TfidfVectorizer(analyzer=emo_character_ngrams, sublinear_tf=True,
                                                                min_df=2)
    else:
        word_pattern = r"(?u)\w[\w']*|[!?]+"
        char = TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    word = TfidfVectorizer(analyzer='word', ngram_range=(1, 2), sublinear_tf=True, min_df=2, token_pattern=word_pattern)
    return word, char


def peer(args):
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold
    from tfidf_baseline import build_features

    train_texts, train_labels = read_set(os.path.join(args.dir, args.set, 'train.csv'))
    dev_texts, dev_labels = read_set(os.path.join(args.dir, args.set, 'dev.csv'))
    t0 = time.time()
    blocks = None if args.tokens == 'peer' else emo_token_blocks(args.tokens)
    x_train, x_dev = build_features(train_texts, dev_texts, blocks=blocks)
    t1 = time.time()
    if args.c:
        model = LogisticRegression(C=args.c, max_iter=args.max_iter).fit(x_train, train_labels)
        chosen = args.c
    else:
        folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
        model = LogisticRegressionCV(Cs=args.grid or C_GRID, cv=folds, max_iter=args.max_iter, n_jobs=args.jobs,
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
        command += [a for a in args.extra if a != '--']
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


def emobank_peer(args):
    import numpy as np
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold
    from tfidf_baseline import build_features, load_emobank

    train_texts, y_train = load_emobank(args.data_dir, 'train')
    dev_texts, y_dev = load_emobank(args.data_dir, 'dev')
    t0 = time.time()
    x_train, x_dev = build_features(train_texts, dev_texts)
    folds = list(KFold(5, shuffle=True, random_state=0).split(x_train))
    result = {'who': 'peer', 'set': 'emobank'}
    for t, name in enumerate('VAD'):
        best = (-2.0, None)
        for alpha in RIDGE_GRID:
            oof = np.zeros(len(train_texts))
            for fit, held in folds:
                oof[held] = Ridge(alpha=alpha).fit(x_train[fit], y_train[fit, t]).predict(x_train[held])
            best = max(best, (float(np.corrcoef(oof, y_train[:, t])[0, 1]), alpha))
        predicted = Ridge(alpha=best[1]).fit(x_train, y_train[:, t]).predict(x_dev)
        result[name] = {'alpha': best[1], 'cv_pearson': round(best[0], 4),
                        'dev_pearson': round(float(np.corrcoef(predicted, y_dev[:, t])[0, 1]), 4)}
    result['seconds'] = round(time.time() - t0, 1)
    print(json.dumps(result))


def ravdess_peer(args):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    with open(os.path.join(args.data_dir, 'ravdess_speech', 'labels.csv'), encoding='utf-8', newline='') as f:
        labels = {os.path.basename(r['path']).rsplit('.', 1)[0]: (r['emotion'], int(r['speaker']))
                  for r in csv.DictReader(f)}
    reference = os.path.join(args.data_dir, '..', 'reference', 'egemaps', 'ravdess_functionals.csv')
    x, y, actor = [], [], []
    with open(reference, encoding='utf-8', newline='') as f:
        for r in csv.DictReader(f):
            name = os.path.basename(r.pop('file')).rsplit('.', 1)[0]
            if name not in labels or labels[name][1] > 20:
                continue  # actors 21-24 are held back
            x.append([float(v) for v in r.values()])
            y.append(labels[name][0])
            actor.append(labels[name][1])
    x, y, actor = np.array(x), np.array(y), np.array(actor)

    def speaker_groups(actors, folds):
        order = sorted(set(actors))
        return [set(order[i * len(order) // folds:(i + 1) * len(order) // folds]) for i in range(folds)]

    def model(c):
        return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))

    gold, predicted, chosen = [], [], []
    for held_actors in speaker_groups(actor, 5):
        train = np.array([a not in held_actors for a in actor])
        inner = speaker_groups(actor[train], 4)
        best = (-1.0, None)
        for c in SPEECH_C_GRID:
            right = []
            for inner_held in inner:
                fit = np.array([a not in inner_held for a in actor[train]])
                m = model(c).fit(x[train][fit], y[train][fit])
                right.append(balanced_accuracy_score(y[train][~fit], m.predict(x[train][~fit])))
            best = max(best, (float(np.mean(right)), c))
        chosen.append(best[1])
        gold += list(y[~train])
        predicted += list(model(best[1]).fit(x[train], y[train]).predict(x[~train]))
    ua = balanced_accuracy_score(gold, predicted)
    wa = float(np.mean(np.array(gold) == np.array(predicted)))
    print(json.dumps({'who': 'peer', 'set': 'ravdess', 'recordings': len(gold), 'c_per_fold': chosen,
                      'ua': round(ua, 4), 'wa': round(wa, 4)}))


def goemotions_peer(args):
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, jaccard_score
    from sklearn.model_selection import KFold
    from tfidf_baseline import build_features, load_goemotions, tune_thresholds

    train_texts, y_train, names = load_goemotions(args.data_dir, 'train')
    dev_texts, y_dev, _ = load_goemotions(args.data_dir, 'dev')
    t0 = time.time()
    x_train, x_dev = build_features(train_texts, dev_texts)
    folds = list(KFold(args.folds, shuffle=True, random_state=0).split(x_train))

    def fit_all(x, y, c):  # one-vs-rest: one binary logistic regression per label (liblinear, as tfidf_baseline)
        return [LogisticRegression(C=c, solver='liblinear').fit(x, y[:, j]) for j in range(y.shape[1])]

    def probabilities(models, x):
        return np.column_stack([m.predict_proba(x)[:, 1] for m in models])

    def decide(prob, cuts):  # labels over their threshold, or the most probable one (as emo)
        predicted = (prob >= cuts).astype(int)
        empty = predicted.sum(axis=1) == 0
        predicted[empty, prob[empty].argmax(axis=1)] = 1
        return predicted

    best, searched = None, []
    for c in args.grid or [1, 2, 4, 8]:
        oof = np.zeros(y_train.shape)
        for fit, held in folds:
            oof[held] = probabilities(fit_all(x_train[fit], y_train[fit], c), x_train[held])
        cuts = tune_thresholds(y_train, oof)
        score = f1_score(y_train, decide(oof, cuts), average='macro', zero_division=0)
        searched.append({'c': c, 'cv_macro_f1': round(float(score), 4)})
        print(json.dumps(searched[-1]), file=sys.stderr)
        if best is None or score > best[0]:
            best = (score, c, cuts)
    predicted = decide(probabilities(fit_all(x_train, y_train, best[1]), x_dev), best[2])
    print(json.dumps({'who': 'peer', 'set': 'goemotions', 'c': best[1], 'searched': searched,
                      'macro_f1': round(f1_score(y_dev, predicted, average='macro', zero_division=0), 4),
                      'micro_f1': round(f1_score(y_dev, predicted, average='micro', zero_division=0), 4),
                      'jaccard': round(jaccard_score(y_dev, predicted, average='samples', zero_division=0), 4),
                      'seconds': round(time.time() - t0, 1)}))


def reccon_pairs(data_dir, split):
    """bench/cause_rule_baseline.py's candidate pairs with their texts: (dialogue, target text, candidate text,
    distance, emotion, weight, gold)."""
    from cause_rule_baseline import candidate_pairs
    path = os.path.join(data_dir, 'reccon', 'original_annotation', f'dailydialog_{split}.json')
    with open(path, encoding='utf-8') as f:
        dialogues = json.load(f)
    pairs = []
    for d, utterances in enumerate(dialogues.values()):
        u = sorted(utterances[0], key=lambda x: x['turn'])
        pairs += [(d, u[t]['utterance'], u[j]['utterance'], t - j, u[t]['emotion'], w, int(gold))
                  for t, j, w, gold in candidate_pairs(u)]
    return pairs


def reccon_peer(args):
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from cause_rule_baseline import weighted_f1
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold
    from tfidf_baseline import tfidf_blocks, tune_thresholds

    train, valid = reccon_pairs(args.data_dir, 'train'), reccon_pairs(args.data_dir, 'valid')
    t0 = time.time()
    word, char = tfidf_blocks()
    utterances = sorted({p[1] for p in train} | {p[2] for p in train})
    word.fit(utterances)
    char.fit(utterances)
    emotions = sorted({p[4] for p in train})

    def features(pairs):
        # The target's and the candidate's n-grams in blocks of their own, the distance (0..4, 5 for further)
        # and the target's emotion as one-hot columns.
        target = [p[1] for p in pairs]
        candidate = [p[2] for p in pairs]
        rows = np.arange(len(pairs))
        distance = csr_matrix((np.ones(len(pairs)), (rows, [min(p[3], 5) for p in pairs])), shape=(len(pairs), 6))
        emotion = csr_matrix((np.ones(len(pairs)), (rows, [emotions.index(p[4]) if p[4] in emotions else 0
                                                           for p in pairs])), shape=(len(pairs), len(emotions)))
        return hstack([word.transform(target), char.transform(target), word.transform(candidate),
                       char.transform(candidate), distance, emotion]).tocsr()

    x_train, x_valid = features(train), features(valid)
    y_train = np.array([p[6] for p in train])
    folds = list(GroupKFold(args.folds).split(x_train, y_train, groups=[p[0] for p in train]))

    best, searched = None, []
    for c in args.grid or [0.25, 0.5, 1, 2, 4, 8, 16]:
        oof = np.zeros(len(train))
        for fit, held in folds:
            oof[held] = LogisticRegression(C=c, max_iter=2000).fit(x_train[fit], y_train[fit]).predict_proba(
                x_train[held])[:, 1]
        cut = float(tune_thresholds(y_train[:, None], oof[:, None])[0])
        f1 = float(f1_score(y_train, oof >= cut))
        searched.append({'c': c, 'cv_positive_f1': round(f1, 4)})
        if best is None or f1 > best[0]:
            best = (f1, c, cut)
    model = LogisticRegression(C=best[1], max_iter=2000).fit(x_train, y_train)
    predicted = model.predict_proba(x_valid)[:, 1] >= best[2]
    positive, negative, _, _ = weighted_f1((p[5], p[6], yes) for p, yes in zip(valid, predicted))
    print(json.dumps({'who': 'peer', 'set': 'reccon', 'c': best[1], 'threshold': round(best[2], 4),
                      'searched': searched, 'positive_f1': round(positive, 4),
                      'macro_f1': round((positive + negative) / 2, 4), 'seconds': round(time.time() - t0, 1)}))


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
            p.add_argument('--grid', type=float, nargs='+', help='the C values to try (default: 0.25..64)')
            p.add_argument('--folds', type=int, default=5)
            p.add_argument('--tokens', choices=('peer', 'all', 'marks'), default='peer',
                           help="the same blocks over the n-grams of emo's featurizer instead of the peer's own: all "
                                "(models before 2026-12-03) or marks (words_and_marks), to tell the tokenisation's "
                                "share of a gap from the rest")
        else:
            p.add_argument('--threads', type=int, default=0)
            p.add_argument('extra', nargs=argparse.REMAINDER, help='more options for emo train text (after --)')
    for name, run in (('emobank', emobank_peer), ('ravdess', ravdess_peer), ('goemotions', goemotions_peer),
                      ('reccon', reccon_peer)):
        p = sub.add_parser(name)
        p.add_argument('--data-dir', default=DEFAULT_DATA)
        if name in ('goemotions', 'reccon'):
            p.add_argument('--grid', type=float, nargs='+', help='the C values to try')
            p.add_argument('--folds', type=int, default=5)
        p.set_defaults(run=run)
    args = parser.parse_args()
    args.run(args)


if __name__ == '__main__':
    sys.exit(main())
