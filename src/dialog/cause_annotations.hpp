// The usable part of gold cause annotations. Annotations are kept as read (io/); here each target's annotations are
// checked against the dialogue and what cannot serve is reported and left out, so training and evaluation go on.
#pragma once

#include <emo/emo.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace emo::dialog {

// One annotated span: byte range [begin, end) inside the cause utterance's text.
struct GoldSpan {
    std::size_t cause = 0;
    std::size_t begin = 0, end = 0;
};

// A non-neutral utterance with annotated causes.
struct CauseTarget {
    std::size_t utterance = 0;
    // One entry per usable annotation, in annotation order; an utterance annotated twice (RECCON: two spans) appears
    // twice, because RECCON's pair files count it twice.
    std::vector<std::size_t> causes;
    std::vector<GoldSpan> spans;  // the annotations whose span was given and found in the cause utterance
};

// What was left out, one line each: "file:line: dialogue <id>, utterance <i>: <what>, skipped".
struct AnnotationProblems {
    std::vector<std::string> messages;
    std::size_t skipped_causes = 0;  // annotations left out of the pairs (latent, outside the dialogue, after target)
    std::size_t skipped_spans = 0;   // spans left out of span training and scoring (empty, not in the utterance)
};

// The targets of a conversation: utterances with causes_annotated and a non-neutral gold label, in order.
std::vector<CauseTarget> cause_targets(const Conversation& conversation, AnnotationProblems& problems);

// Writes problems to `out`: the first `max_lines` messages, then how many more, then the counts.
void report_problems(const AnnotationProblems& problems, std::ostream& out, std::size_t max_lines = 20);

}  // namespace emo::dialog
