// The eGeMAPS functionals: all 88, named and ordered as openSMILE names and orders them, finite on any input; the
// rhythm functionals' segments as openSMILE counts them.
#include "egemaps_reference.hpp"
#include "speech/egemaps.hpp"
#include "speech/functionals.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <set>
#include <sstream>

using emo::speech::egemaps_functionals;
using emo::speech::voicing_segments;

TEST(Egemaps, NamedOnceEachAndFiniteOnToneSilenceAndEmptyInput) {
    std::vector<float> tone(32000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        for (int n = 1; n < 20; ++n)
            tone[i] += static_cast<float>(0.1 / n * std::sin(2 * std::numbers::pi * 180 * n * static_cast<double>(i) / 16000));
    for (const auto& samples : {tone, std::vector<float>(16000, 0.0f), std::vector<float>{}}) {
        const auto features = egemaps_functionals(samples);
        std::set<std::string> names;
        for (const auto& [name, value] : features) {
            EXPECT_TRUE(names.insert(name).second) << name << " twice";
            EXPECT_TRUE(std::isfinite(value)) << name;
        }
        EXPECT_EQ(names.size(), 88u);
        EXPECT_TRUE(names.count("F0semitoneFrom27.5Hz_sma3nz_amean"));
        EXPECT_TRUE(names.count("equivalentSoundLevel_dBp"));
    }
    const auto features = egemaps_functionals(tone);
    for (const auto& [name, value] : features) {
        if (name == "F0semitoneFrom27.5Hz_sma3nz_amean") {
            EXPECT_NEAR(value, 12 * std::log2(180 / 27.5), 0.3);
        }
    }
}

TEST(Egemaps, InTheOrderOfOpenSmilesColumns) {
    const std::string reference = EMO_SOURCE_DIR "/../shared/reference/egemaps/ravdess_functionals.csv";
    if (!std::filesystem::exists(reference)) GTEST_SKIP() << "the eGeMAPS reference is absent";
    std::ifstream in(reference);
    std::string header;
    std::getline(in, header);
    std::vector<std::string> columns;
    std::stringstream cells(header);
    for (std::string c; std::getline(cells, c, ',');)
        if (c != "file") columns.push_back(c);
    const auto features = egemaps_functionals(std::vector<float>(8000, 0.0f));
    ASSERT_EQ(features.size(), columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) EXPECT_EQ(features[i].first, columns[i]) << "position " << i;
}

TEST(Egemaps, VoicingSegmentsBridgeSingleUnvoicedFramesAndSkipShortPauses) {
    // Frames (first and last left out):  - | - - - V V V - V V - - V V V V - - - - | -
    const std::vector<bool> voiced = {false, false, false, false, true,  true,  true,  false, true,  true, false,
                                      false, true,  true,  true,  true,  false, false, false, false, false};
    const auto s = voicing_segments(voiced);
    EXPECT_NEAR(s.seconds, 0.19, 1e-12);
    // V V V - V V bridged into one segment of 6 frames (0.05 s); then 4 frames (0.03 s).
    ASSERT_EQ(s.voiced.size(), 2u);
    EXPECT_NEAR(s.voiced[0], 0.05, 1e-12);
    EXPECT_NEAR(s.voiced[1], 0.03, 1e-12);
    // The leading 3 frames and the trailing 4 count; the 2-frame pause and the bridged frame do not.
    ASSERT_EQ(s.unvoiced.size(), 2u);
    EXPECT_NEAR(s.unvoiced[0], 0.02, 1e-12);
    EXPECT_NEAR(s.unvoiced[1], 0.03, 1e-12);
    EXPECT_TRUE(voicing_segments({true, true}).voiced.empty());
    EXPECT_TRUE(voicing_segments(std::vector<bool>(50, false)).voiced.empty());
}

// Applied to openSMILE's own frame-level voicing (F0 > 0), the segments give its rhythm functionals.
TEST(Egemaps, RhythmFromOpenSmilesOwnVoicingMatchesItsFunctionals) {
    const auto references = emo_test::reference_llds();
    if (references.empty()) GTEST_SKIP() << "the eGeMAPS reference is absent";
    std::ifstream in(emo_test::egemaps_reference_dir + "/ravdess_functionals.csv");
    std::string line;
    std::getline(in, line);
    std::vector<std::string> columns;
    std::stringstream header(line);
    for (std::string c; std::getline(header, c, ',');) columns.push_back(c);
    std::map<std::string, std::map<std::string, double>> rows;  // file id -> column -> value
    while (std::getline(in, line)) {
        std::stringstream row(line);
        std::string cell, id;
        for (std::size_t c = 0; std::getline(row, cell, ','); ++c) {
            if (c == 0) id = cell.substr(cell.find('/') + 1, cell.size() - cell.find('/') - 6);
            else rows[id][columns[c]] = std::stod(cell);
        }
    }
    int files = 0;
    for (const auto& [id, samples, lld] : references) {
        std::vector<bool> voiced;
        for (double f0 : lld.at("F0semitoneFrom27.5Hz_sma3nz")) voiced.push_back(f0 > 0);
        const auto s = voicing_segments(voiced);
        const auto v = emo::speech::functionals(s.voiced), uv = emo::speech::functionals(s.unvoiced);
        const auto& theirs = rows.at(id);
        const std::pair<const char*, double> ours[] = {
            {"VoicedSegmentsPerSec", static_cast<double>(s.voiced.size()) / s.seconds},
            {"MeanVoicedSegmentLengthSec", v.amean},
            {"StddevVoicedSegmentLengthSec", v.stddev},
            {"MeanUnvoicedSegmentLength", uv.amean},
            {"StddevUnvoicedSegmentLength", uv.stddev},
        };
        // Exact but for the spread of the unvoiced lengths, within 0.2% (some detail of openSMILE's we have not found).
        for (const auto& [name, value] : ours)
            EXPECT_NEAR(value, theirs.at(name), 2e-3 * std::fabs(theirs.at(name)) + 1e-6) << id << " " << name;
        ++files;
    }
    EXPECT_EQ(files, 5);
}
