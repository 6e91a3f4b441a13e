// libFuzzer target: a tokenizer.json of arbitrary content loaded by text::load_checkpoint_tokenizer, and when it
// loads, a few texts (hostile ones among them) encoded with it.
#include "fuzz_file.hpp"
#include "text/checkpoint_tokenizer.hpp"

#include <emo/emo.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo_fuzz::write_input(data, size, "-tokenizer.json");
    try {
        const auto tokenizer = emo::text::load_checkpoint_tokenizer(path);
        for (const char* text : {"Hello, world!", "caf\xc3\xa9 \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x98\x80", "",
                                 "   a\tb\n\n c  ", "[CLS] <mask> don't"}) {
            tokenizer->encode(text);
            tokenizer->encode_pair_truncated(text, "context text", 8);
        }
    } catch (const emo::Error&) {
    }
    return 0;
}
