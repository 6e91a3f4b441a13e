#include "dialog/cause_annotations.hpp"

#include "labels/emotion_names.hpp"

#include <ostream>

namespace emo::dialog {

namespace {

std::string where(const Conversation& conversation, std::size_t i) {
    const auto& u = conversation.utterances[i];
    return (u.source.empty() ? std::string("<input>") : u.source) + ": dialogue " + conversation.id + ", utterance " +
           std::to_string(i) + ": ";
}

}  // namespace

std::vector<CauseTarget> cause_targets(const Conversation& conversation, AnnotationProblems& problems) {
    std::vector<CauseTarget> targets;
    const auto& utterances = conversation.utterances;
    for (std::size_t t = 0; t < utterances.size(); ++t) {
        const auto& u = utterances[t];
        if (!u.causes_annotated || !u.error.empty()) continue;
        if (labels::is_neutral(u.label)) {
            problems.messages.push_back(where(conversation, t) + "causes annotated on a neutral utterance, skipped");
            problems.skipped_causes += u.causes.size();
            continue;
        }
        CauseTarget target;
        target.utterance = t;
        for (std::size_t k = 0; k < u.causes.size(); ++k) {
            const auto& a = u.causes[k];
            const std::string which = "cause " + std::to_string(k + 1) + " ";
            if (a.index == CauseAnnotation::latent) {
                problems.messages.push_back(where(conversation, t) + which + "is latent (\"b\"), skipped");
                ++problems.skipped_causes;
                continue;
            }
            if (a.index < 0 || static_cast<std::size_t>(a.index) >= utterances.size()) {
                problems.messages.push_back(where(conversation, t) + which + "points outside the dialogue (" +
                                            std::to_string(a.index) + "), skipped");
                ++problems.skipped_causes;
                continue;
            }
            const auto j = static_cast<std::size_t>(a.index);
            if (j > t) {
                problems.messages.push_back(where(conversation, t) + which + "points after the target (" +
                                            std::to_string(j) + "), skipped");
                ++problems.skipped_causes;
                continue;
            }
            target.causes.push_back(j);
            const std::string& text = utterances[j].text;
            const auto begin = a.span.empty() ? std::string::npos : text.find(a.span);
            if (a.span.empty()) {
                problems.messages.push_back(where(conversation, t) + which + "has an empty span, span skipped");
                ++problems.skipped_spans;
            } else if (begin == std::string::npos) {
                problems.messages.push_back(where(conversation, t) + which + "span does not occur in utterance " +
                                            std::to_string(j) + ", span skipped");
                ++problems.skipped_spans;
            } else {
                target.spans.push_back({j, begin, begin + a.span.size()});
            }
        }
        targets.push_back(std::move(target));
    }
    return targets;
}

void report_problems(const AnnotationProblems& problems, std::ostream& out, std::size_t max_lines) {
    for (std::size_t i = 0; i < problems.messages.size() && i < max_lines; ++i) out << problems.messages[i] << '\n';
    if (problems.messages.size() > max_lines)
        out << "... and " << problems.messages.size() - max_lines << " more\n";
    if (problems.skipped_causes || problems.skipped_spans)
        out << "skipped " << problems.skipped_causes << " cause annotations and " << problems.skipped_spans
            << " spans\n";
}

}  // namespace emo::dialog
