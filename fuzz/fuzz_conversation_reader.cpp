// libFuzzer target: read_conversations on arbitrary bytes, in every input format the CLI and the server accept (the
// first byte picks it), must return conversations or throw emo::Error, never crash, hang or read out of bounds.
// With --on-error skip it must account for records rather than throw on bad ones.
#include <emo/emo.hpp>

#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const emo::InputFormat formats[] = {emo::InputFormat::auto_detect, emo::InputFormat::csv,
                                               emo::InputFormat::jsonl,       emo::InputFormat::json,
                                               emo::InputFormat::meld,        emo::InputFormat::emorynlp,
                                               emo::InputFormat::reccon};
    emo::ReadOptions options;
    options.format = formats[data[0] % std::size(formats)];
    options.on_error = (data[0] / std::size(formats)) % 2 ? emo::ErrorPolicy::skip : emo::ErrorPolicy::fail;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
    try {
        const auto conversations = emo::read_conversations(in, "fuzz.csv", options);
        for (const auto& c : conversations)
            for (const auto& u : c.utterances)
                if (u.error.empty() && options.on_error == emo::ErrorPolicy::skip && u.source.empty()) __builtin_trap();
    } catch (const emo::Error&) {
    }
    return 0;
}
