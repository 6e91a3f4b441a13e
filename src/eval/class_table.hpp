// The per-class precision / recall / F1 / support table that every classification report prints.
#pragma once

#include <emo/emo.hpp>

#include <string>
#include <vector>

namespace emo::eval {

// Width of a first column that holds `names`: wide enough for every name, never narrower than 14.
int name_width(const std::vector<std::string>& names);

// "label precision recall f1 support" and one row per class.
std::string class_table(const std::vector<ClassReport>& classes);

// to_text(const EvalReport&) with `unit` naming what was counted ("utterances", "images").
std::string report_text(const EvalReport& report, const char* unit);

}  // namespace emo::eval
