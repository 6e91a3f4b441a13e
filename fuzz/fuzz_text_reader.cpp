// libFuzzer target: read_texts on arbitrary bytes, in each text format (the first byte picks it), must return
// records or throw emo::Error, never crash or read out of bounds; the texts it returns are then analysed by nothing
// (the text model has its own tests), only read.
#include <emo/emo.hpp>

#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const emo::TextFormat formats[] = {emo::TextFormat::auto_detect, emo::TextFormat::lines,
                                              emo::TextFormat::csv, emo::TextFormat::jsonl,
                                              emo::TextFormat::goemotions};
    emo::TextReadOptions options;
    options.format = formats[data[0] % std::size(formats)];
    options.on_error = (data[0] / std::size(formats)) % 2 ? emo::ErrorPolicy::skip : emo::ErrorPolicy::fail;
    options.label_names = {"joy", "anger", "neutral"};
    options.target_names = {"V", "A", "D"};
    std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
    try {
        const auto records = emo::read_texts(in, "fuzz.txt", options);
        for (const auto& r : records)
            if (!r.targets.empty() && r.targets.size() != options.target_names.size()) __builtin_trap();
    } catch (const emo::Error&) {
    }
    return 0;
}
