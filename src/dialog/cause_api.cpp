// emo::CauseModel: loads a cause model directory and finds the causes of the emotions of a conversation.
#include "dialog/cause_model.hpp"
#include "labels/emotion_names.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cstdlib>

namespace emo {

CauseModel::CauseModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CauseModel::CauseModel(CauseModel&&) noexcept = default;
CauseModel& CauseModel::operator=(CauseModel&&) noexcept = default;
CauseModel::~CauseModel() = default;

CauseModel CauseModel::load(const std::string& directory) {
    auto impl = std::make_unique<Impl>();
    impl->model = dialog::load_cause_model(directory);
    return CauseModel(std::move(impl));
}

std::string CauseModel::default_directory() {
    if (const char* env = std::getenv("EMO_CAUSE_MODEL_DIR"); env && *env) return env;
#ifdef EMO_MODELS_DIR
    return std::string(EMO_MODELS_DIR) + "/causes-reccon";
#else
    return "models/causes-reccon";
#endif
}

double CauseModel::threshold() const { return impl_->model.threshold; }

namespace {

// Code points in the first `bytes` bytes of valid UTF-8 (continuation bytes do not start one).
std::size_t code_points(std::string_view text, std::size_t bytes) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bytes),
                                                  [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

void CauseModel::find_causes(const Conversation& conversation, std::vector<Result>& results,
                             const CauseOptions& options) const {
    const auto& utterances = conversation.utterances;
    if (results.size() != utterances.size())
        throw Error("find_causes: " + std::to_string(results.size()) + " results for a conversation of " +
                    std::to_string(utterances.size()) + " utterances (dialogue " + conversation.id + ")");
    std::vector<std::string> emotions(utterances.size());
    for (std::size_t i = 0; i < utterances.size(); ++i) {
        if (!options.gold_emotions) {
            emotions[i] = results[i].emotion;
        } else if (utterances[i].label.empty() && utterances[i].error.empty()) {
            throw Error((utterances[i].source.empty() ? "dialogue " + conversation.id : utterances[i].source) +
                        ": gold emotions asked for, but this utterance has no label");
        } else {
            emotions[i] = utterances[i].label;
        }
    }
    const auto& model = impl_->model;
    const auto turns = dialog::cause_turns(conversation, emotions);
    for (std::size_t t = 0; t < utterances.size(); ++t) {
        Result& result = results[t];
        if (!result.error.empty() || !utterances[t].error.empty() || labels::is_neutral(emotions[t])) continue;
        const auto p = model.pair_probabilities(turns, t);
        std::vector<Cause> causes;
        for (std::size_t j = 0; j <= t; ++j) {
            if (options.candidates) result.cause_candidates.push_back({j, p[j], {}, 0, 0});
            if (p[j] < model.threshold || !utterances[j].error.empty()) continue;
            const std::string& text = utterances[j].text;
            const auto span = model.best_span(turns, t, j, text);
            causes.push_back({j, p[j], text.substr(span.begin, span.end - span.begin), code_points(text, span.begin),
                              code_points(text, span.end)});
        }
        std::stable_sort(causes.begin(), causes.end(), [](const Cause& a, const Cause& b) { return a.score > b.score; });
        result.causes = std::move(causes);
    }
}

}  // namespace emo
