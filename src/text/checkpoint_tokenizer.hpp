// What every checkpoint tokenizer (WordPiece, byte-level BPE, ...) offers: the tokens of a text, the checkpoint's
// special tokens around one text or a pair, and truncation to a model's length; and the loader that reads a
// checkpoint directory's tokenizer.json (or its older vocabulary files) into the right kind.
#pragma once

#include "text/post_processor.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace emo::text {

class CheckpointTokenizer {
public:
    virtual ~CheckpointTokenizer() = default;

    // The tokens of one UTF-8 text, without the post-processor's special tokens (added special tokens written in
    // the text, such as "[MASK]", are kept). Invalid UTF-8 throws emo::Error.
    virtual TokenIds encode_plain(std::string_view text) const = 0;
    virtual std::size_t vocab_size() const = 0;

    // encode_plain, framed by the special tokens when `add_special_tokens`.
    TokenIds encode(std::string_view text, bool add_special_tokens = true) const;
    // The framed tokens of `text`, cut to at most `max_tokens` (special tokens included) by dropping the text's last
    // tokens, as Hugging Face's truncation does; `truncated` (when given) says whether anything was dropped.
    TokenIds encode_truncated(std::string_view text, std::size_t max_tokens, bool* truncated = nullptr) const;
    // A pair (an utterance and its preceding context, say), cut to `max_tokens`: the second text loses its first
    // tokens (the oldest context) before the first text loses its last ones.
    TokenIds encode_pair_truncated(std::string_view first, std::string_view second, std::size_t max_tokens,
                                   bool* truncated = nullptr) const;

    const PostProcessor& post_processor() const { return post_; }

protected:
    PostProcessor post_;
};

// The tokenizer of a checkpoint directory: tokenizer.json by its model.type (WordPiece for the BERT family, BPE for
// RoBERTa's byte-level BPE, Unigram for sentencepiece-converted ones such as XLM-R, WordLevel), or else the
// vocabulary files of older checkpoints (vocab.json + merges.txt: BPE; vocab.txt: WordPiece; a sentencepiece model
// file alone is refused); `path` may also name a tokenizer.json itself. Anything else throws emo::Error naming the
// directory or file and field.
std::unique_ptr<CheckpointTokenizer> load_checkpoint_tokenizer(const std::string& path);

}  // namespace emo::text
