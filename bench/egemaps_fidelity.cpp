// How close emo's eGeMAPS functionals come to openSMILE 3.0.2's over the 1,200 RAVDESS files of
// ../shared/reference/egemaps/ravdess_functionals.csv: per feature, Pearson r across files and the mean relative
// difference, as a Markdown table on standard output (docs/egemaps_fidelity.md is this program's output).
// Features emo does not compute yet are listed as such. Usage: build/egemaps_fidelity > docs/egemaps_fidelity.md
#include "eval/correlation.hpp"
#include "speech/audio_stream.hpp"
#include "speech/egemaps.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace emo::speech;

namespace {

const std::string reference = EMO_SOURCE_DIR "/../shared/reference/egemaps/ravdess_functionals.csv";
const std::string audio = EMO_SOURCE_DIR "/../shared/data/ravdess_speech/";

}  // namespace

int main() {
    std::ifstream in(reference);
    if (!in) {
        std::cerr << reference << ": cannot read (the eGeMAPS reference is absent)\n";
        return 1;
    }
    std::string line;
    std::getline(in, line);
    std::vector<std::string> columns;
    std::stringstream header(line);
    for (std::string c; std::getline(header, c, ',');) columns.push_back(c);
    std::map<std::string, std::vector<double>> theirs, ours;
    std::size_t files = 0;
    while (std::getline(in, line)) {
        std::stringstream row(line);
        std::vector<std::string> cells;
        for (std::string c; std::getline(row, c, ',');) cells.push_back(c);
        std::map<std::string, double> mine;
        for (const auto& [feature, value] : egemaps_functionals(read_audio(audio + cells[0]))) mine[feature] = value;
        for (std::size_t c = 1; c < cells.size() && c < columns.size(); ++c) {
            theirs[columns[c]].push_back(std::stod(cells[c]));
            const auto it = mine.find(columns[c]);
            ours[columns[c]].push_back(it == mine.end() ? NAN : it->second);
        }
        ++files;
    }
    std::printf("# eGeMAPS v02 fidelity: emo against openSMILE 3.0.2\n\n");
    std::printf("Produced by `build/egemaps_fidelity > docs/egemaps_fidelity.md` over the %zu RAVDESS files of\n"
                "`../shared/reference/egemaps/ravdess_functionals.csv`. r: Pearson correlation across files; rel. "
                "diff.: mean of\n|ours - theirs| / |theirs| (scales may differ where r is high). Work in progress "
                "(issue 6).\n\n",
                files);
    std::printf("| feature | r | rel. diff. |\n|---|---|---|\n");
    std::size_t done = 0, at_bar = 0;
    for (std::size_t c = 1; c < columns.size(); ++c) {
        const auto& name = columns[c];
        const auto& o = ours[name];
        if (o.empty() || std::isnan(o[0])) {
            std::printf("| %s | not yet | |\n", name.c_str());
            continue;
        }
        const double r = emo::eval::pearson(o, theirs[name]);
        double rel = 0;
        for (std::size_t i = 0; i < o.size(); ++i)
            rel += std::fabs(o[i] - theirs[name][i]) / std::max(std::fabs(theirs[name][i]), 1e-12) / o.size();
        std::printf("| %s | %.3f | %.3g |\n", name.c_str(), r, rel);
        ++done;
        at_bar += r >= 0.95;
    }
    std::printf("\n%zu of %zu features computed; %zu at r >= 0.95.\n", done, columns.size() - 1, at_bar);
    // The pitch bar: mean F0 over voiced frames, median absolute difference across files.
    const auto& ours_f0 = ours["F0semitoneFrom27.5Hz_sma3nz_amean"];
    const auto& theirs_f0 = theirs["F0semitoneFrom27.5Hz_sma3nz_amean"];
    std::vector<double> gaps;
    for (std::size_t i = 0; i < ours_f0.size(); ++i) gaps.push_back(std::fabs(ours_f0[i] - theirs_f0[i]));
    std::sort(gaps.begin(), gaps.end());
    if (!gaps.empty())
        std::printf("Mean F0 over voiced frames (semitones from 27.5 Hz): median absolute difference %.3f, "
                    "90th percentile %.3f.\n",
                    gaps[gaps.size() / 2], gaps[gaps.size() * 9 / 10]);
    return 0;
}
