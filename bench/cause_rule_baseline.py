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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="valid", choices=["train", "valid"])
    args = parser.parse_args()
    with open(os.path.join(DATA, f"dailydialog_{args.split}.json"), encoding="utf-8") as f:
        dialogues = json.load(f)
    tp = fp = fn = tn = 0
    for utterances in dialogues.values():
        utterances = sorted(utterances[0], key=lambda u: u["turn"])
        for t, u in enumerate(utterances):
            evidence = u.get("expanded emotion cause evidence")
            if u["emotion"] == "neutral" or evidence is None:
                continue
            weight = {}
            for e in evidence:
                if isinstance(e, int) and 1 <= e <= t + 1:
                    weight[e - 1] = weight.get(e - 1, 0) + 1
            for j in range(t + 1):
                gold, predicted = j in weight, t - j <= 1
                w = weight.get(j, 1)
                tp += w * (gold and predicted)
                fn += w * (gold and not predicted)
                fp += w * (predicted and not gold)
                tn += w * (not gold and not predicted)
    positive, negative = f1(tp, fp, fn), f1(tn, fn, fp)
    print(f"rule 'the target and the utterance before it', {args.split}: {tp + fp + fn + tn} pairs, "
          f"{tp + fn} causes")
    print(f"positive F1 {positive:.4f}  negative F1 {negative:.4f}  macro F1 {(positive + negative) / 2:.4f}")


if __name__ == "__main__":
    main()
