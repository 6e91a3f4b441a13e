#!/usr/bin/python3
"""The corpus, the tokenizers and the comparison of tests/tokenizer_oracle.sh (issue 14's tokenizer exactness bar).

    tokenizer_oracle.py corpus OUT.jsonl          >= 2,000 varied texts, one JSON object {"text": ...} a line
    tokenizer_oracle.py tokenizers OUTDIR         one directory per kind (wordpiece, bpe, bpe_merge_strings,
                                                  unigram, wordlevel), each with tokenizer.json, tokenizer_config.json
                                                  and special_tokens_map.json, the vocabularies learned here from a
                                                  training corpus made here
    tokenizer_oracle.py cases KIND OUT.jsonl      the hand-worked cases of KIND (texts where Hugging Face's
                                                  JavaScript port is known to differ from the Rust crate)
    tokenizer_oracle.py pieces KIND OUT.jsonl     the Rust crate's pre-tokens of those cases, for the oracle to
                                                  encode one by one
    tokenizer_oracle.py compare KIND TOKDIR CORPUS ORACLE EMO CASES PIECE_IDS EMO_CASES
                                                  compares emo's ids with the oracle's, line by line, leaving out
                                                  the lines of the known JavaScript-vs-Rust differences and checking
                                                  those through the hand-worked cases instead; exit status 1 on any
                                                  mismatch

Everything is deterministic (seeded) and uses Debian's Python alone.
"""
import collections
import heapq
import json
import math
import os
import random
import sys
import unicodedata

KINDS = ["wordpiece", "bpe", "bpe_merge_strings", "unigram", "wordlevel"]

# ---------------------------------------------------------------------------------------------------------------
# Word pools shared by the training corpus and the test corpus.

EMOTIONS = """happy sad angry afraid scared surprised disgusted joyful furious anxious nervous excited grateful
thankful lonely hopeful hopeless proud ashamed guilty jealous envious bored calm relaxed content delighted thrilled
miserable depressed upset annoyed irritated frustrated worried terrified shocked amazed amused disappointed
heartbroken embarrassed confused curious relieved overwhelmed exhausted peaceful cheerful gloomy bitter resentful
anxious ecstatic elated melancholy nostalgic optimistic pessimistic sentimental tender affectionate loving hateful
spiteful vulnerable insecure confident brave fearless panicked startled stunned bewildered""".split()
NOUNS = """day night morning news movie song party meeting exam job boss friend family mother father sister brother
teacher weather traffic dinner lunch breakfast coffee tea book game match team dog cat baby house car phone message
letter gift surprise trip vacation holiday weekend birthday wedding funeral result decision mistake promise story
joke concert show city country world internet computer project deadline interview doctor hospital medicine
neighbour neighbor kitchen garden rain storm sunshine snow summer winter autumn spring""".split()
VERBS = """love hate miss need want like enjoy fear dread adore regret remember forget believe trust doubt wish hope
expect lose win find keep leave break fix buy sell watch hear see feel know think understand""".split()
ADVERBS = """really very so extremely totally absolutely quite rather incredibly deeply truly honestly literally
completely utterly barely hardly slightly somewhat""".split()
FUNCTION = """i you he she we they it my your his her our their the a an this that these those is am are was were
be been being have has had do does did will would can could should must not no yes and or but because if when while
although since until after before with without about for from to of in on at by over under again still just even
only also too never always sometimes often today tomorrow yesterday now then here there what why how who which""".split()
CONTRACTIONS = ["don't", "can't", "won't", "isn't", "it's", "I'm", "you're", "we've", "they'll", "she'd", "let's",
                "wouldn't", "I've", "that's", "there's", "y'all", "ma'am", "o'clock"]
ACCENTED = """café naïve résumé déjà vu fiancée crème brûlée über Müller Straße Ärger schön grün Mädchen Frühling
señor mañana niño corazón canción alegría tristeza ação coração saudade não pão Ñandú Érable À bientôt garçon façade
Zoë Chloë Beyoncé Noël Pokémon jalapeño piñata Tiếng Việt phở Hà Nội Đà Nẵng Dvořák Łódź Kraków Ångström smörgåsbord
Øresund Æsir Þórr fjörður İstanbul ğüşıöç""".split()
OTHER_SCRIPTS = ["我很高兴", "今天天气很好", "我爱你", "生气", "难过", "開心", "東京に行きたい", "ありがとうございます",
                 "すごく嬉しい", "悲しいです", "カタカナ", "ひらがな", "안녕하세요", "정말 행복해요", "슬퍼요",
                 "ขอบคุณมาก", "ฉันมีความสุข", "เสียใจ", "مرحبا", "أنا سعيد جدا", "حزين", "شكرا لك",
                 "नमस्ते", "मैं बहुत खुश हूँ", "दुःख", "धन्यवाद", "שלום", "אני שמח", "Привет", "Я очень рад",
                 "грусть", "Ευχαριστώ", "χαρά", "λύπη", "Γειά σου", "ΦΟΒΟΣ", "ΟΔΥΣΣΕΑΣ", "θυμός", "Բարև", "გამარჯობა", "ሰላም", "Xin chào",
                 "ＦＵＬＬＷＩＤＴＨ", "ｆｕｌｌｗｉｄｔｈ", "１２３４５", "ﾊﾝｶｸ", "㍻", "①②③", "ﬁne ﬂower", "Ⅻ", "㎏",
                 "𠮷野家", "𩸽"]
EMOJI = ["😀", "😂", "🤣", "😊", "😍", "😭", "😡", "😱", "😢", "😤", "🥰", "🥺", "😎", "🤔", "🙄", "😴", "🤯",
         "❤️", "❤", "💔", "💕", "🔥", "✨", "🎉", "👍", "👎", "🙏", "👏", "💯", "🤷", "🤦",
         "👍🏽", "👋🏻", "👏🏿", "🙏🏼", "🤦🏾‍♀️", "🤷🏻‍♂️", "👩‍💻", "👨‍👩‍👧‍👦", "👩‍❤️‍👨", "🏳️‍🌈", "🏴‍☠️", "🧑‍🤝‍🧑",
         "🇫🇷", "🇯🇵", "🇺🇸", "🇧🇷", "🇩🇪", "🇮🇳", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣", "#️⃣", "©️", "™", "☺", "☹", "♥", "★", "☀️"]
PUNCT_RUNS = ["!!!", "???", "?!?!", "...", "…", "—", "–", "--", "***", "~~~", "(((", ")))", ":-)", ":)", ":(", ";)",
              ":D", ":P", "xD", "<3", "</3", "^_^", "¯\\_(ツ)_/¯", "«", "»", "“", "”", "‘", "’", "„", "¿", "¡",
              "#", "@", "&", "%", "$", "€", "£", "¥", "§", "¶", "•", "·", "‰", "†", "‽", "⁉", "‼", "、", "。",
              "「", "」", "【", "】", "（", "）", "！", "？", "，"]
URLS = ["https://example.com/path?q=happy&lang=en#top", "http://www.test.org", "www.emotions.net/very/sad",
        "https://sub.domain.co.uk:8080/a_b-c.html", "ftp://files.example.com/data.tar.gz",
        "https://example.com/%E2%9D%A4", "mailto:someone@example.com", "someone@example.com",
        "first.last+tag@mail.example.org", "user_name123@sub.domain.io", "@username", "#blessed",
        "#MondayMotivation", "https://t.co/AbC123xYz", "example.com", "192.168.0.1", "localhost:3000"]
SPECIAL_TEXTS = ["[MASK]", "<mask>", "[CLS]", "[SEP]", "[PAD]", "[UNK]", "<s>", "</s>", "<pad>", "<unk>", "[mask]",
                 "<MASK>", "[ MASK ]", "heartbroken", "Heartbroken", "HEARTBROKEN", "<3", "xoxo", "XOXO", "omg",
                 "OMG", "Omg"]
CONTROL = [chr(c) for c in range(1, 32) if c != 10] + ["\x7f", "\x85"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00a0", "\ufeff", "\u2028", "\u2029", "\u00ad", "\u3000",
             "\u2003", "\u202f", "\u180e", "\u200e", "\u202e"]


def sentence(rng):
    """An English sentence about a feeling, in one of several shapes."""
    w = rng.choice
    shapes = [
        lambda: f"{w(['I', 'We', 'She', 'He', 'They', 'You'])} {w(['feel', 'felt', 'am', 'was', 'seem'])} "
                f"{w(ADVERBS)} {w(EMOTIONS)} about the {w(NOUNS)}",
        lambda: f"The {w(NOUNS)} made me {w(EMOTIONS)}",
        lambda: f"{w(CONTRACTIONS)} {w(FUNCTION)} {w(VERBS)} {w(FUNCTION)} {w(NOUNS)}",
        lambda: f"Why {w(['is', 'was', 'does'])} my {w(NOUNS)} so {w(EMOTIONS)}",
        lambda: f"{w(['Honestly', 'Wow', 'Ugh', 'Yay', 'Oh no', 'Well', 'Sigh'])}, {w(FUNCTION)} {w(VERBS)} "
                f"this {w(NOUNS)}",
        lambda: " ".join(w(FUNCTION + VERBS + NOUNS + EMOTIONS + ADVERBS) for _ in range(rng.randint(3, 14))),
        lambda: f"{w(ADVERBS)} {w(EMOTIONS)} {w(['and', 'but', 'yet', 'or'])} {w(EMOTIONS)} "
                f"{w(['today', 'tonight', 'again', 'lately'])}",
    ]
    s = w(shapes)()
    return s[0].upper() + s[1:] + w([".", "!", "?", "", "...", "!!", " :)"])


def case_variant(rng, s):
    r = rng.random()
    if r < 0.1:
        return s.upper()
    if r < 0.18:
        return s.lower()
    if r < 0.24:
        return s.title()
    if r < 0.28:
        return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in s)
    return s


# ---------------------------------------------------------------------------------------------------------------
# The test corpus.

def make_corpus(seed=14):
    rng = random.Random(seed)
    lines = []
    w = rng.choice

    def add(s, n=1):
        lines.append(s)

    for _ in range(900):  # plain English, mixed case
        add(case_variant(rng, sentence(rng)))
    for _ in range(180):  # accents: precomposed and combining (NFD), and mixed
        words = [w(ACCENTED) for _ in range(rng.randint(1, 5))]
        s = f"{sentence(rng)} {' '.join(words)}"
        r = rng.random()
        if r < 0.35:
            s = unicodedata.normalize("NFD", s)
        elif r < 0.45:
            s = s.replace("e", "e\u0301").replace("a", "a\u0308\u0301")  # stacked combining marks
        add(case_variant(rng, s))
    for _ in range(240):  # emoji: ZWJ sequences, skin tones, flags, keycaps, runs
        parts = [sentence(rng)]
        for _ in range(rng.randint(1, 4)):
            parts.insert(rng.randint(0, len(parts)), "".join(w(EMOJI) for _ in range(rng.randint(1, 3))))
        add(w([" ", "", "  "]).join(parts))
    for _ in range(150):  # CJK, Hangul, fullwidth
        add(w(["", sentence(rng) + " "]) + w(["", " "]).join(w(OTHER_SCRIPTS[:20] + OTHER_SCRIPTS[42:])
                                                             for _ in range(rng.randint(1, 4))))
    for _ in range(130):  # Thai, Arabic, Devanagari, Hebrew, Cyrillic, Greek, ...
        add(" ".join(w(OTHER_SCRIPTS[11:42]) for _ in range(rng.randint(1, 4))) + w(["", " " + sentence(rng)]))
    for _ in range(180):  # URLs, e-mails, mentions, numbers
        nums = [str(rng.randint(0, 10 ** rng.randint(1, 12))), f"{rng.uniform(-1000, 1000):.{rng.randint(0, 5)}f}",
                f"{rng.randint(1, 999)},{rng.randint(100, 999)},{rng.randint(100, 999)}", "3.14159", "1e10", "0x1F",
                f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/20{rng.randint(10, 30)}", f"{rng.randint(0, 100)}%",
                f"${rng.randint(1, 999)}.99", f"€{rng.randint(1, 99)}", "+1 (555) 123-4567", "2nd", "10:30pm",
                "٣٤٥", "१२३", "½", "²"]
        add(f"{sentence(rng)} {w(URLS)} {w(nums)} {w(nums)} {w(['', w(URLS)])}".strip())
    for i in range(90):  # very long words (hundreds of characters)
        n = rng.randint(101, 450)
        forms = [
            "a" * n, "so" + "o" * n + " happy", "ha" * (n // 2), "".join(w("abcdefghijklmnopqrstuvwxyz") for _ in range(n)),
            "https://example.com/" + "x" * n, "Supercalifragilisticexpialidocious" * (n // 34 + 1),
            "😂" * (n // 3), "我" * (n // 2), "é" * (n // 2), "NO" * (n // 2) + "!!!", "a-b_" * (n // 4),
            "ab" * 49 + "c", "x" * 100, "y" * 101, "ünïcödé" * 16, "#" * n,
        ]
        s = forms[i % len(forms)]
        add(w(["", "I feel ", "Look: "]) + s + w(["", " ok", " 😭"]))
    for _ in range(150):  # runs of spaces and tabs, leading and trailing white space
        words = sentence(rng).split(" ")
        gaps = [w([" " * rng.randint(1, 9), "\t", "\t\t", " \t ", "\u00a0", "\u3000", "  \u00a0 ", "\u2003"])
                for _ in words]
        s = "".join(a + b for a, b in zip(words, gaps))
        add(w(["", " ", "   ", "\t"]) + s + w(["", " ", "    ", "\t"]))
    for _ in range(8):
        add(w([" ", "   ", "\t", " \t ", "\u00a0", "\u3000 "]))
    for _ in range(220):  # control characters, invisible and odd white space
        s = sentence(rng)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randint(0, len(s))
            s = s[:pos] + w(CONTROL + INVISIBLE + ["\r\n", "\n", "\r"]) + s[pos:]
        add(s)
    for c in CONTROL + INVISIBLE:
        add(f"before{c}after {c} x{c}")
    for _ in range(140):  # punctuation runs
        add(case_variant(rng, w(PUNCT_RUNS) + sentence(rng) + "".join(w(PUNCT_RUNS) for _ in range(rng.randint(1, 4)))))
    for _ in range(160):  # special tokens written in the text, and the non-special added ones
        s = sentence(rng).split(" ")
        for _ in range(rng.randint(1, 3)):
            pos = rng.randint(0, len(s))
            s.insert(pos, w(SPECIAL_TEXTS))
        sep = w([" ", "", "  ", "\t"])
        add(sep.join(s))
    for _ in range(360):  # mixtures of everything
        pools = [EMOJI, ACCENTED, OTHER_SCRIPTS, PUNCT_RUNS, URLS, SPECIAL_TEXTS, CONTRACTIONS, EMOTIONS, NOUNS]
        parts = [w(w(pools)) for _ in range(rng.randint(2, 10))]
        seps = [w([" ", " ", " ", "", "  ", "\t", "\u00a0", "\n"]) for _ in parts]
        add(case_variant(rng, "".join(p + q for p, q in zip(parts, seps))))
    return lines


# ---------------------------------------------------------------------------------------------------------------
# The training corpus and the trainers.

def training_texts(seed=2024):
    rng = random.Random(seed)
    texts = [sentence(rng) for _ in range(12000)]
    texts += [" ".join(rng.choice(ACCENTED) for _ in range(rng.randint(2, 6))) for _ in range(600)]
    texts += [" ".join(rng.choice(OTHER_SCRIPTS) for _ in range(rng.randint(1, 3))) for _ in range(400)]
    texts += [" ".join(rng.choice(EMOJI + PUNCT_RUNS) for _ in range(rng.randint(1, 3))) for _ in range(300)]
    texts += [rng.choice(URLS) for _ in range(200)]
    texts += [str(rng.randint(0, 10 ** 6)) for _ in range(300)]
    texts += ["lol omg xoxo heartbroken"] * 3
    return texts


def train_bpe(word_counts, merges_wanted, prefix=""):
    """Byte-pair merges over words, with pair counts kept up to date incrementally; the most frequent pair first,
    ties to the smaller pair, so the result is deterministic. With a continuing prefix (WordPiece's "##"), every
    symbol but a word's first carries it, and a merged symbol keeps only its left part's."""
    words = [[w[0]] + [prefix + c for c in w[1:]] for w in word_counts]
    counts = list(word_counts.values())
    pair_counts = collections.Counter()
    where = collections.defaultdict(set)
    for i, symbols in enumerate(words):
        for a, b in zip(symbols, symbols[1:]):
            pair_counts[(a, b)] += counts[i]
            where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges = []
    while len(merges) < merges_wanted and heap:
        negative, (a, b) = heapq.heappop(heap)
        if pair_counts.get((a, b), 0) != -negative:
            continue  # a stale entry
        if -negative < 2:
            break
        merges.append((a, b))
        merged = a + b[len(prefix):]
        changed = set()
        for i in sorted(where.pop((a, b))):
            symbols, c = words[i], counts[i]
            for x, y in zip(symbols, symbols[1:]):
                pair_counts[(x, y)] -= c
                changed.add((x, y))
            out, j = [], 0
            while j < len(symbols):
                if j + 1 < len(symbols) and symbols[j] == a and symbols[j + 1] == b:
                    out.append(merged)
                    j += 2
                else:
                    out.append(symbols[j])
                    j += 1
            words[i] = out
            for x, y in zip(out, out[1:]):
                pair_counts[(x, y)] += c
                where[(x, y)].add(i)
                changed.add((x, y))
        pair_counts.pop((a, b), None)
        for p in changed:
            c = pair_counts.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p))
            else:
                pair_counts.pop(p, None)
    return merges


def is_punct(c):
    return unicodedata.category(c).startswith("P") or (c.isascii() and not c.isalnum() and c.isprintable()
                                                         and not c.isspace())


def is_cjk(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF


def bert_words(text):
    """BERT's uncased normalisation and pre-tokenisation, closely enough for training."""
    text = "".join(" " if c.isspace() else c for c in text if unicodedata.category(c)[0] != "C" or c in "\t\n\r")
    text = "".join(f" {c} " if is_cjk(c) else c for c in text)
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
    words, cur = [], ""
    for c in text:
        if c.isspace() or is_punct(c):
            if cur:
                words.append(cur)
            cur = ""
            if is_punct(c):
                words.append(c)
        else:
            cur += c
    if cur:
        words.append(cur)
    return words


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_CHAR = bytes_to_unicode()


def byte_level_words(text):
    """GPT-2's pre-tokenisation (contractions, ' ?letters', ' ?digits', ' ?other', white space), closely enough for
    training, each piece mapped to its byte characters."""
    def cls(c):
        if c.isspace():
            return "s"
        cat = unicodedata.category(c)
        return "L" if cat[0] == "L" else "N" if cat[0] == "N" else "o"
    pieces, i, n = [], 0, len(text)
    while i < n:
        for suffix in ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d"):
            if text.startswith(suffix, i):
                pieces.append(suffix)
                i += len(suffix)
                break
        else:
            start = i
            if text[i] == " " and i + 1 < n and cls(text[i + 1]) != "s":
                i += 1
            k = cls(text[i])
            if k == "s":
                while i < n and cls(text[i]) == "s":
                    i += 1
            else:
                while i < n and cls(text[i]) == k:
                    i += 1
            pieces.append(text[start:i])
    return ["".join(BYTE_CHAR[b] for b in p.encode()) for p in pieces]


def special(content, id, lstrip=False):
    return {"id": id, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": False,
            "normalized": False, "special": True}


def plain_added(content, id):
    return {"id": id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": True, "special": False}


def template(cls, sep):
    return {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": cls[0], "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": sep[0], "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": cls[0], "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": sep[0], "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": sep[0], "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [i], "tokens": [t]} for t, i in (cls, sep)}}


def tokenizer_json(added, normalizer, pre_tokenizer, post_processor, decoder, model):
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": normalizer,
            "pre_tokenizer": pre_tokenizer, "post_processor": post_processor, "decoder": decoder, "model": model}


def make_wordpiece(texts):
    counts = collections.Counter(w for t in texts for w in bert_words(t))
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    alphabet = sorted({c for word in counts for c in word} | {"##" + c for word in counts for c in word[1:]})
    merges = train_bpe(counts, 1500, "##")
    vocab = {}
    for t in specials + alphabet + [a + (b[2:] if b.startswith("##") else b) for a, b in merges]:
        vocab.setdefault(t, len(vocab))
    added = [special(t, vocab[t]) for t in specials]
    added.append(plain_added("heartbroken", vocab.setdefault("heartbroken", len(vocab))))
    tj = tokenizer_json(
        added,
        {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None,
         "lowercase": True},
        {"type": "BertPreTokenizer"},
        template(("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])),
        {"type": "WordPiece", "prefix": "##", "cleanup": True},
        {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
         "vocab": vocab})
    config = {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": 512,
              "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
              "mask_token": "[MASK]", "clean_up_tokenization_spaces": True, "tokenize_chinese_chars": True,
              "strip_accents": None}
    stmap = {k: config[k] for k in ("unk_token", "sep_token", "pad_token", "cls_token", "mask_token")}
    return tj, config, stmap


def make_bpe(texts, merge_strings):
    counts = collections.Counter(w for t in texts for w in byte_level_words(t))
    merges = train_bpe(counts, 2000)
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    vocab = {}
    for t in specials + sorted(set(BYTE_CHAR.values())) + [a + b for a, b in merges]:
        vocab.setdefault(t, len(vocab))
    added = [special(t, vocab[t]) for t in specials]
    added.append(plain_added("<3", vocab.setdefault("<3", len(vocab))))
    added.append(special("<mask>", vocab.setdefault("<mask>", len(vocab)), lstrip=True))
    if merge_strings:  # the older "a b" layout, and a template instead of RobertaProcessing
        merges_json = [f"{a} {b}" for a, b in merges]
        post = template(("<s>", vocab["<s>"]), ("</s>", vocab["</s>"]))
    else:
        merges_json = [[a, b] for a, b in merges]
        post = {"type": "RobertaProcessing", "sep": ["</s>", vocab["</s>"]], "cls": ["<s>", vocab["<s>"]],
                "trim_offsets": True, "add_prefix_space": False}
    tj = tokenizer_json(
        added, None,
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        post,
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "", "end_of_word_suffix": "",
         "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": vocab, "merges": merges_json})
    config = {"tokenizer_class": "RobertaTokenizer", "model_max_length": 512, "add_prefix_space": False,
              "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
              "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>", "errors": "replace"}
    stmap = {k: config[k] for k in ("bos_token", "eos_token", "unk_token", "sep_token", "cls_token", "pad_token",
                                    "mask_token")}
    return tj, config, stmap


def unigram_normalize(text):
    text = unicodedata.normalize("NFKC", text)
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def make_unigram(texts):
    counts = collections.Counter()
    for t in texts:
        for word in unigram_normalize(t).split(" "):
            if word:
                counts["\u2581" + word] += 1
    # Seed pieces: every character, and the frequent substrings of up to 10 characters.
    chars = collections.Counter()
    subs = collections.Counter()
    for word, c in counts.items():
        for ch in word:
            chars[ch] += c
        for i in range(len(word)):
            for j in range(i + 2, min(len(word), i + 10) + 1):
                if "\u2581" not in word[i + 1:j]:
                    subs[word[i:j]] += c
    seed = dict(chars)
    for piece, c in subs.most_common(6000):
        seed[piece] = c
    total = sum(seed.values())
    scores = {p: math.log(c / total) for p, c in seed.items()}
    # Hard EM: segment every word with the best path under the current scores, and re-estimate from the counts.
    for iteration in range(4):
        usage = collections.Counter()
        for word, c in counts.items():
            for piece in viterbi(word, scores):
                usage[piece] += c
        for ch in chars:  # every character stays, so that every text has a segmentation
            usage[ch] += 1
        if iteration == 2:  # prune to the most used pieces
            usage = collections.Counter(dict(usage.most_common(3000)))
            for ch in chars:
                usage.setdefault(ch, 1)
        total = sum(usage.values())
        scores = {p: math.log(c / total) for p, c in usage.items()}
    scores.setdefault("\u2581", min(scores.values()))
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    pieces = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    vocab = [[t, 0.0] for t in specials] + [[p, round(s, 6)] for p, s in pieces]
    ids = {p: i for i, (p, _) in enumerate(vocab)}
    added = [special(t, ids[t]) for t in specials]
    xoxo = ids.get("xoxo", len(vocab))
    if xoxo == len(vocab):
        vocab.append(["xoxo", 0.0])
    added.append(plain_added("xoxo", xoxo))
    added.append(special("<mask>", len(vocab), lstrip=True))
    vocab.append(["<mask>", 0.0])
    tj = tokenizer_json(
        added,
        {"type": "Sequence", "normalizers": [{"type": "NFKC"},
                                             {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        template(("<s>", 0), ("</s>", 2)),
        {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False})
    config = {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512, "bos_token": "<s>",
              "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "cls_token": "<s>",
              "pad_token": "<pad>", "mask_token": "<mask>"}
    stmap = {k: config[k] for k in ("bos_token", "eos_token", "unk_token", "sep_token", "cls_token", "pad_token",
                                    "mask_token")}
    return tj, config, stmap


def viterbi(word, scores, max_len=10):
    n = len(word)
    best = [(-1e18, -1)] * (n + 1)
    best[0] = (0.0, 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - max_len), end):
            piece = word[start:end]
            if piece in scores and best[start][0] > -1e17:
                s = best[start][0] + scores[piece]
                if s > best[end][0]:
                    best[end] = (s, start)
    out, end = [], n
    while end > 0:
        start = best[end][1]
        out.append(word[start:end])
        end = start
    return out[::-1]


def wordlevel_normalize(text):
    text = unicodedata.normalize("NFD", text).lower()
    return "".join(c for c in text if not unicodedata.category(c).startswith("M"))


def wordlevel_words(text):
    words, cur, kind = [], "", None
    for c in wordlevel_normalize(text) + " ":
        k = "s" if c.isspace() else "w" if (c.isalnum() or c == "_") else "p"
        if k != kind and cur:
            if kind != "s":
                words.append(cur)
            cur = ""
        cur += c
        kind = k
    return words


def make_wordlevel(texts):
    counts = collections.Counter(w for t in texts for w in wordlevel_words(t))
    specials = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
    vocab = {}
    for t in specials + [w for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3000]]:
        vocab.setdefault(t, len(vocab))
    added = [special(t, vocab[t]) for t in specials]
    added.append(plain_added("omg", vocab.setdefault("omg", len(vocab))))
    tj = tokenizer_json(
        added,
        {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "Lowercase"}, {"type": "StripAccents"}]},
        {"type": "Whitespace"},
        {"type": "BertProcessing", "sep": ["[SEP]", vocab["[SEP]"]], "cls": ["[CLS]", vocab["[CLS]"]]},
        None,
        {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"})
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 512, "unk_token": "[UNK]",
              "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
    stmap = {k: config[k] for k in ("unk_token", "sep_token", "pad_token", "cls_token", "mask_token")}
    return tj, config, stmap


def write_tokenizers(outdir):
    texts = training_texts()
    makers = {"wordpiece": lambda: make_wordpiece(texts), "bpe": lambda: make_bpe(texts, False),
              "bpe_merge_strings": lambda: make_bpe(texts, True), "unigram": lambda: make_unigram(texts),
              "wordlevel": lambda: make_wordlevel(texts)}
    for kind in KINDS:
        tj, config, stmap = makers[kind]()
        d = os.path.join(outdir, kind)
        os.makedirs(d, exist_ok=True)
        for name, obj in (("tokenizer.json", tj), ("tokenizer_config.json", config),
                          ("special_tokens_map.json", stmap)):
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                json.dump(obj, f, ensure_ascii=False, indent=1)
                f.write("\n")


# ---------------------------------------------------------------------------------------------------------------
# Where Hugging Face's JavaScript port (tokenizers.js 0.2.0) is known to differ from the Rust crate, and the
# hand-worked cases that check emo against the Rust crate's behaviour there.
#
# - ByteLevel (bpe, bpe_merge_strings): the JavaScript pattern's \s is ECMAScript's, with U+FEFF and without U+0085;
#   the Rust crate's Oniguruma \s is Unicode White_Space, the other way round.
# - Whitespace (wordlevel): the JavaScript pattern /\w+|[^\w\s]+/ has ASCII \w and ECMAScript \s; the Rust crate
#   compiles it with the regex crate, whose \w is Unicode's (Alphabetic, Mark, Decimal_Number,
#   Connector_Punctuation, Join_Control) and \s White_Space. (ByteLevel's pattern is compiled with Oniguruma.)
# - Lowercase and BertNormalizer's lowercasing (wordpiece, wordlevel): String.toLowerCase turns a word-final Σ into
#   ς (Final_Sigma); the Rust crate lowercases character by character, always σ.
# - BertNormalizer (wordpiece): tokenizers.js pads CJK ideographs with spaces by UTF-16 code unit, so those beyond
#   the BMP (Extension B and later, such as 𠮷) are not padded; the Rust crate pads them.
# - Added tokens' lstrip/rstrip (bpe, unigram: <mask>): trimEnd is ECMAScript white space (U+FEFF, not U+0085).

def rust_word_char(c):
    """The Rust regex crate's Unicode \\w (Alphabetic, Mark, Decimal_Number, Connector_Punctuation, Join_Control; the
    Whitespace pre-tokenizer uses that crate, not Oniguruma), generously: letters, marks, every number, ZWNJ and
    ZWJ, and the circled Latin letters (Other_Alphabetic symbols). A text with any such non-ASCII character is left
    out for wordlevel."""
    cat = unicodedata.category(c)
    return (cat[0] in "LMN" or cat == "Pc" or c in "\u200c\u200d"
            or (cat == "So" and "LATIN" in unicodedata.name(c, "")))


def exclusion(kind, text):
    """Why a corpus text is left out of the oracle comparison for `kind` (None: it is compared)."""
    if kind in ("bpe", "bpe_merge_strings", "wordlevel"):
        if "\ufeff" in text:
            return "U+FEFF (white space in ECMAScript, not in the Rust crate's regexes)"
        if "\x85" in text:
            return "U+0085 (White_Space in the Rust crate's regexes, not in ECMAScript)"
    if kind in ("wordpiece", "wordlevel") and "\u03a3" in text:
        return "Σ (JavaScript's toLowerCase applies Final_Sigma)"
    if kind == "wordpiece" and any(ord(c) >= 0x20000 and is_cjk(c) for c in text):
        return "CJK ideograph beyond the BMP (tokenizers.js pads CJK by UTF-16 code unit)"
    if kind == "unigram":
        i = text.find("<mask>")
        while i >= 0:
            j = i
            while j > 0 and (text[j - 1].isspace() or text[j - 1] in "\ufeff\x85"):
                j -= 1
            if "\ufeff" in text[j:i] or "\x85" in text[j:i]:
                return "<mask> after U+FEFF/U+0085 (lstrip: ECMAScript white space)"
            i = text.find("<mask>", i + 1)
    if kind == "wordlevel":
        for c in wordlevel_normalize(text):
            if not c.isascii() and rust_word_char(c):
                return "non-ASCII word character (\\w is ASCII in tokenizers.js, Unicode in the regex crate)"
    return None


# Hand-worked cases: the text, and the pre-tokens the Rust crate makes of it (following its Unicode classes). For
# wordpiece, bpe and unigram each pre-token is one the oracle is known to treat as a single pre-token itself, so the
# oracle encodes them one by one (without special tokens) and the concatenation, framed by the special tokens, is
# the expectation; for wordlevel the pre-tokens are the normalised words, looked up in the vocabulary here.
CASES = {
    "bpe": [
        ("a\ufeffb", ["a", "\ufeff", "b"]),
        ("happy \ufeffday", ["happy", " \ufeff", "day"]),          # JS: "happy", " ", "\ufeff", "day"
        ("I feel\ufeff\ufeff sad", ["I", " feel", "\ufeff\ufeff", " sad"]),
        ("sad \ufeff", ["sad", " \ufeff"]),                         # JS: "sad", " \ufeff" via \s+; Rust: ' ?[^\s..]+'
        ("so  \ufeff good", ["so", " ", " \ufeff", " good"]),
        ("\ufefffine", ["\ufeff", "fine"]),
        ("a \x85b", ["a", " ", "\x85", "b"]),                     # JS: "a", " \x85", "b"
        ("ok\x85\x85yes", ["ok", "\x85", "\x85", "yes"]),     # JS: "ok", "\x85\x85", "yes"
        ("x\x85", ["x", "\x85"]),
        ("tears \x85", ["tears", " \x85"]),
    ],
    "wordpiece": [
        ("ΟΔΥΣΣΕΑΣ", ["οδυσσεασ"]),
        ("ΦΟΒΟΣ και θυμός", ["φοβοσ", "και", "θυμος"]),
        ("ΣΑΣ!", ["σασ", "!"]),
        ("𠮷野家で食べた", ["𠮷", "野", "家", "で", "食", "べた"]),
        ("a𩸽b", ["a", "𩸽", "b"]),
        ("I love 𠀀𠀁!", ["i", "love", "𠀀", "𠀁", "!"]),
    ],
    "unigram": [
        ("so\ufeff<mask> happy", ["so\ufeff", "<mask>", " happy"]),
        ("sad\x85 <mask>", ["sad", "<mask>"]),
    ],
    "wordlevel": [
        ("café au lait", ["cafe", "au", "lait"]),
        ("Straße, bitte", ["straße", ",", "bitte"]),
        ("ΦΟΒΟΣ fear", ["φοβοσ", "fear"]),
        ("ωmega-3 is naïve", ["ωmega", "-", "3", "is", "naive"]),
        ("日本語です!", ["日本語てす", "!"]),                     # NFD and StripAccents take the dakuten
        ("I am happy_ever_after", ["i", "am", "happy_ever_after"]),
        ("joy\ufeffful", ["joy", "\ufeff", "ful"]),
        ("joy\x85ful", ["joy", "ful"]),
        ("Привет, мир", ["привет", ",", "мир"]),
        ("👩\u200d💻 ok", ["👩", "\u200d", "💻", "ok"]),              # ZWJ is Join_Control: a word character
        ("x²+y½", ["x", "²+", "y", "½"]),                       # No, not \w (the regex crate has no Latin-1 quirk)
        ("धन्यवाद ok", ["धनयवद", "ok"]),                          # the virama and the vowel sign are marks
    ],
}
CASES["bpe_merge_strings"] = CASES["bpe"]


def frame_ids(kind, tokdir):
    """The special-token ids before and after a single text."""
    with open(os.path.join(tokdir, "tokenizer.json"), encoding="utf-8") as f:
        tj = json.load(f)
    post = tj["post_processor"]
    if post["type"] in ("RobertaProcessing", "BertProcessing"):
        return [post["cls"][1]], [post["sep"][1]]
    ids = {a["content"]: a["id"] for a in tj["added_tokens"]}
    tokens = [i["SpecialToken"]["id"] if "SpecialToken" in i else None for i in post["single"]]
    a = tokens.index(None)
    return [ids[t] for t in tokens[:a]], [ids[t] for t in tokens[a + 1:]]


def expected_case_ids(kind, tokdir, piece_ids):
    """The expected ids of each hand-worked case: the oracle's ids of its pre-tokens (wordlevel: vocabulary look-ups),
    framed by the special tokens."""
    before, after = frame_ids(kind, tokdir)
    out = []
    k = 0
    with open(os.path.join(tokdir, "tokenizer.json"), encoding="utf-8") as f:
        tj = json.load(f)
    for text, pieces in CASES.get(kind, []):
        ids = []
        if kind == "wordlevel":
            vocab = tj["model"]["vocab"]
            ids = [vocab.get(p, vocab["[UNK]"]) for p in pieces]
        else:
            for _ in pieces:
                ids += piece_ids[k]
                k += 1
        out.append(before + ids + after)
    return out


# ---------------------------------------------------------------------------------------------------------------

def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, texts):
    with open(path, "w", encoding="ascii") as f:
        for t in texts:
            f.write(json.dumps({"text": t}) + "\n")


def compare(kind, tokdir, corpus, oracle, emo, piece_ids, emo_cases):
    texts = [r["text"] for r in read_jsonl(corpus)]
    want, got = read_jsonl(oracle), read_jsonl(emo)
    if len(want) != len(texts) or len(got) != len(texts):
        print(f"{kind}: {len(texts)} texts, but the oracle wrote {len(want)} lines and emo {len(got)}")
        return False
    excluded, differing = collections.Counter(), collections.Counter()
    compared = mismatched = 0
    shown = 0
    for n, (text, w, g) in enumerate(zip(texts, want, got), 1):
        why = exclusion(kind, text)
        if why:
            excluded[why] += 1
            differing[why] += g.get("ids") != w["ids"]
            continue
        compared += 1
        if "error" in g or g.get("ids") != w["ids"]:
            mismatched += 1
            if shown < 8:
                shown += 1
                print(f"  {kind} line {n}: {text!r}\n    oracle {w['ids']}\n    emo    {g.get('ids', g.get('error'))}")
    expected = expected_case_ids(kind, tokdir, [r["ids"] for r in read_jsonl(piece_ids)] if piece_ids else [])
    cases = CASES.get(kind, [])
    got_cases = read_jsonl(emo_cases) if cases else []
    case_bad = 0
    for (text, pieces), e, g in zip(cases, expected, got_cases):
        if g.get("ids") != e:
            case_bad += 1
            print(f"  {kind} hand-worked case {text!r} (Rust pre-tokens {pieces!r}):\n    expected {e}\n"
                  f"    emo      {g.get('ids', g.get('error'))}")
    if len(got_cases) != len(cases):
        case_bad += 1
        print(f"  {kind}: {len(cases)} hand-worked cases, emo wrote {len(got_cases)} lines")
    for why, c in sorted(excluded.items()):
        print(f"  {kind}: {c} lines left out of the oracle comparison ({differing[why]} of them differ from it): {why}")
    ok = mismatched == 0 and case_bad == 0 and compared >= 2000
    print(f"{kind}: {compared} lines compared with the oracle, {mismatched} mismatched; {sum(excluded.values())} "
          f"left out; {len(cases)} hand-worked cases, {case_bad} failed{'' if compared >= 2000 else '; fewer than 2,000 lines compared'}"
          f" -> {'ok' if ok else 'FAIL'}")
    return ok


def main(argv):
    if len(argv) >= 2 and argv[0] == "corpus":
        write_jsonl(argv[1], make_corpus())
    elif len(argv) >= 2 and argv[0] == "tokenizers":
        write_tokenizers(argv[1])
    elif len(argv) >= 3 and argv[0] == "cases":
        write_jsonl(argv[2], [text for text, _ in CASES.get(argv[1], [])])
    elif len(argv) >= 3 and argv[0] == "pieces":
        kind = argv[1]
        write_jsonl(argv[2], [] if kind == "wordlevel" else [p for _, ps in CASES.get(kind, []) for p in ps])
    elif len(argv) >= 8 and argv[0] == "compare":
        kind, tokdir, corpus, oracle, emo, piece_ids, emo_cases = argv[1:8]
        return 0 if compare(kind, tokdir, corpus, oracle, emo, piece_ids, emo_cases) else 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
