#!/usr/bin/env python3
"""The no-learning reference for emotion causes on RECCON (DailyDialog, valid split, fold-1 candidate pairs):
"the target utterance itself and the one just before it are the causes". Pairs are weighted as RECCON's fold-1
files count them (a cause annotated with two spans is two rows), so the figures compare with `emo eval causes`.
Standard library only; reads ../shared/data/reccon/original_annotation.

    /usr/bin/python3 bench/cause_rule_baseline.py [--split valid]
"""
import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "reccon", "original_annotation")


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def candidate_pairs(utterances):
    """The candidate pairs of one dialogue (its utterances in turn order): each non-neutral annotated target t with
    itself and every earlier utterance j, as (t, j, weight, gold); a cause annotated with n spans weighs n, as in
    RECCON's fold-1 pair files, any other pair 1."""
    for t, u in enumerate(utterances):
        evidence = u.get("expanded emotion cause evidence")
        if u["emotion"] == "neutral" or evidence is None:
            continue
        weight = {}
        for e in evidence:
            if isinstance(e, int) and 1 <= e <= t + 1:
                weight[e - 1] = weight.get(e - 1, 0) + 1
        for j in range(t + 1):
            yield t, j, weight.get(j, 1), j in weight


def weighted_f1(scored):
    """Positive and negative F1, pairs and causes of (weight, gold, predicted) triples."""
    tp = fp = fn = tn = 0
    for w, gold, predicted in scored:
        tp += w * (gold and predicted)
        fn += w * (gold and not predicted)
        fp += w * (predicted and not gold)
        tn += w * (not gold and not predicted)
    return f1(tp, fp, fn), f1(tn, fn, fp), tp + fp + fn + tn, tp + fn


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="valid", choices=["train", "valid"])
    args = parser.parse_args()
    with open(os.path.join(DATA, f"dailydialog_{args.split}.json"), encoding="utf-8") as f:
        dialogues = json.load(f)
    scored = []
    for utterances in dialogues.values():
        utterances = sorted(utterances[0], key=lambda u: u["turn"])
        scored += [(w, gold, t - j <= 1) for t, j, w, gold in candidate_pairs(utterances)]
    positive, negative, pairs, causes = weighted_f1(scored)
    print(f"rule 'the target and the utterance before it', {args.split}: {pairs} pairs, {causes} causes")
    print(f"positive F1 {positive:.4f}  negative F1 {negative:.4f}  macro F1 {(positive + negative) / 2:.4f}")


if __name__ == "__main__":
    main()
