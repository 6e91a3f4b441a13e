// `emo features`, `emo audio`, `emo train audio` and `emo eval audio` end to end.
#include "cli_runner.hpp"
#include "scratch_dir.hpp"
#include "synthetic_voice.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>

using namespace emo_test;

namespace {

class CliAudio : public ScratchDirTest {
protected:
    CliAudio() : ScratchDirTest("emo_cli_audio_") {}

    std::string wav(const std::string& name, const std::vector<float>& samples, int rate = 16000, int channels = 1) {
        const std::string path = (dir_ / name).string();
        write_wav(path, samples, rate, channels);
        return path;
    }

    static std::vector<std::string> fields(const std::string& line) {
        std::vector<std::string> out(1);
        for (char c : line) {
            if (c == ',')
                out.emplace_back();
            else
                out.back().push_back(c);
        }
        return out;
    }
};

std::vector<nlohmann::json> records(const CliRun& r) {
    std::vector<nlohmann::json> out;
    for (const auto& line : r.out_lines()) out.push_back(nlohmann::json::parse(line));
    return out;
}

}  // namespace

TEST_F(CliAudio, FeaturesWriteTheEightyEightFunctionalsPerFileAndKeepARowForEachBadOne) {
    const std::string good = wav("voice.wav", voiced_syllables(180, 5));
    const std::string missing = (dir_ / "missing.wav").string();
    const auto r = run_emo(dir_, {"features", good, missing, good});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("missing.wav"), std::string::npos) << r.err;
    const auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 4u);
    const auto header = fields(lines[0]);
    ASSERT_EQ(header.size(), 89u);
    EXPECT_EQ(header[0], "file");
    EXPECT_EQ(header[1], "F0semitoneFrom27.5Hz_sma3nz_amean");
    EXPECT_EQ(header[88], "equivalentSoundLevel_dBp");
    const auto row = fields(lines[1]);
    ASSERT_EQ(row.size(), 89u);
    EXPECT_EQ(row[0], good);
    EXPECT_NEAR(std::stod(row[1]), 12 * std::log2(180 / 27.5),
                0.5);  // mean F0 in semitones from 27.5 Hz
    for (std::size_t c = 1; c < row.size(); ++c) EXPECT_TRUE(std::isfinite(std::stod(row[c]))) << header[c];
    const auto bad = fields(lines[2]);
    ASSERT_EQ(bad.size(), 89u);
    EXPECT_EQ(bad[0], missing);
    EXPECT_TRUE(bad[1].empty());
    EXPECT_EQ(lines[3], lines[1]);  // same file, same row: deterministic
}

TEST_F(CliAudio, FeaturesBySegmentsGiveStartAndEnd) {
    auto x = voiced_syllables(150, 3);
    x.insert(x.end(), 32000, 0.0f);
    const auto second = voiced_syllables(200, 3);
    x.insert(x.end(), second.begin(), second.end());
    const auto r = run_emo(dir_, {"features", "--segments", wav("two.wav", x)});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(fields(lines[0])[1], "start");
    EXPECT_EQ(fields(lines[0])[2], "end");
    EXPECT_EQ(fields(lines[0]).size(), 91u);
    EXPECT_LT(std::stod(fields(lines[1])[2]), std::stod(fields(lines[2])[1]));
}

TEST_F(CliAudio, LldGiveTwentyFiveDescriptorsPerTenMillisecondFrameAsOpenSmileLaysThemOut) {
    const std::string name = "03-01-01-01-02-01-19";
    const fs::path audio = fs::path(EMO_SOURCE_DIR) / "../shared/data/ravdess_speech/Actor_19" / (name + ".flac");
    const fs::path reference = fs::path(EMO_SOURCE_DIR) / "../shared/reference/egemaps" / ("lld_" + name + ".csv");
    if (!fs::exists(audio) || !fs::exists(reference)) GTEST_SKIP() << "RAVDESS or the eGeMAPS reference is absent";
    const auto r = run_emo(dir_, {"features", "--lld", audio.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = r.out_lines();
    const auto theirs = CliRun::lines(slurp(reference));
    ASSERT_EQ(lines.size(), theirs.size());  // a header and one row per frame, as many as openSMILE's
    const auto header = fields(lines[0]);
    ASSERT_EQ(header.size(), 27u);
    EXPECT_EQ(header[1], "frameTime");
    EXPECT_EQ(header[2], "Loudness_sma3");
    EXPECT_EQ(header[26], "F3amplitudeLogRelF0_sma3nz");
    for (std::size_t t = 1; t < lines.size(); ++t) {
        const auto ours = fields(lines[t]);
        ASSERT_EQ(ours.size(), 27u);
        EXPECT_NEAR(std::stod(ours[1]), 0.01 * static_cast<double>(t - 1), 1e-9);
        // openSMILE's rows: name;frameTime;descriptors... The spectral balance descriptors follow its definitions.
        std::vector<std::string> cells(1);
        for (char c : theirs[t]) {
            if (c == ';')
                cells.emplace_back();
            else
                cells.back().push_back(c);
        }
        EXPECT_NEAR(std::stod(ours[3]), std::stod(cells[3]), 0.01) << "alphaRatio, frame " << t - 1;
        EXPECT_NEAR(std::stod(ours[4]), std::stod(cells[4]), 0.01) << "hammarbergIndex, frame " << t - 1;
    }
}

TEST_F(CliAudio, AudioGivesEmotionScoresDerivedVadAndEvidenceForEveryFile) {
    std::vector<std::string> args = {"audio"};
    for (int i = 0; i < 3; ++i)
        args.push_back(
            wav(std::string("v").append(std::to_string(i)).append(".wav"), voiced_syllables(150 + 30 * i, 5)));
    args.push_back((dir_ / "nothing.wav").string());
    const auto r = run_emo(dir_, args);
    EXPECT_EQ(r.code, 1);  // one file failed
    const auto out = records(r);
    ASSERT_EQ(out.size(), 4u);
    for (int i = 0; i < 3; ++i) {
        const auto& j = out[static_cast<std::size_t>(i)];
        EXPECT_EQ(j["file"], args[static_cast<std::size_t>(i) + 1]);
        ASSERT_TRUE(j.contains("emotion")) << j.dump();
        double sum = 0;
        for (const auto& [label, p] : j["scores"].items()) sum += p.get<double>();
        EXPECT_NEAR(sum, 1.0, 1e-3);
        EXPECT_EQ(j["scores"].size(), 8u);  // RAVDESS's eight classes
        EXPECT_TRUE(j["scores"].contains(j["emotion"].get<std::string>()));
        EXPECT_EQ(j["vad"]["derived_from"], "class probabilities");
        EXPECT_LE(std::fabs(j["vad"]["valence"].get<double>()), 1.0);
        EXPECT_EQ(j["baseline"], "population");
        ASSERT_TRUE(j["evidence"].is_array());
        EXPECT_LE(j["evidence"].size(), 3u);
        for (const auto& e : j["evidence"]) EXPECT_GT(e["weight"].get<double>(), 0);
    }
    EXPECT_NE(out[3]["error"].get<std::string>().find("nothing.wav"), std::string::npos);
}

TEST_F(CliAudio, TenRecordingsOfOneSpeakerAreComparedWithTheirAverage) {
    std::vector<std::string> args = {"audio", "--speaker", "ann", "--evidence", "5"};
    for (int i = 0; i < 10; ++i)
        args.push_back(wav(std::string("s").append(std::to_string(i)).append(".wav"),
                           voiced_syllables(140 + 10 * i, 4 + i % 3, 0.2 + 0.03 * i)));
    const auto r = run_emo(dir_, args);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto out = records(r);
    ASSERT_EQ(out.size(), 10u);
    for (const auto& j : out) {
        EXPECT_EQ(j["baseline"], "speaker");
        EXPECT_EQ(j["speaker"], "ann");
        for (const auto& e : j["evidence"])
            EXPECT_NE(e["cue"].get<std::string>().find("speaker's average"), std::string::npos);
    }
    // Nine recordings are too few: the population half decides.
    args.pop_back();
    EXPECT_EQ(records(run_emo(dir_, args))[0]["baseline"], "population");
}

TEST_F(CliAudio, TrainAndEvalAudioWithSpeakerFoldsOnASyntheticCorpus) {
    // Three speakers (different voices), two "emotions": low and quiet against high and loud.
    std::string csv = "path,emotion,speaker\n";
    const char* speaker_ids[] = {"10", "0100", "9"};
    for (int speaker = 0; speaker < 3; ++speaker)
        for (int i = 0; i < 4; ++i)
            for (const bool aroused : {false, true}) {
                const double f0 = (aroused ? 260 : 130) + 15 * speaker + 3 * i;
                const std::string name = std::string("s")
                                             .append(std::to_string(speaker))
                                             .append(aroused ? "_hi" : "_lo")
                                             .append(std::to_string(i))
                                             .append(".wav");
                wav(name, voiced_syllables(f0, 3 + i % 2, aroused ? 0.5 : 0.1));
                csv += name + "," + (aroused ? "excited" : "tired") + "," + speaker_ids[speaker] + "\n";
            }
    const std::string list = write("list.csv", csv);
    const std::string model = (dir_ / "model").string();
    const auto trained = run_emo(
        dir_, {"train", "audio", "--data", list, "--out", model, "--folds", "3", "--min-baseline", "4", "--quiet"});
    ASSERT_EQ(trained.code, 0) << trained.err;
    const auto manifest = nlohmann::json::parse(slurp(fs::path(model) / "manifest.json"));
    EXPECT_EQ(manifest["labels"], (nlohmann::json{"excited", "tired"}));
    EXPECT_EQ(manifest["training"]["recordings"], 24);  // the resampled copies train but are not recordings
    EXPECT_EQ(manifest["training"]["augment"], (nlohmann::json{0.9, 1.1}));
    EXPECT_DOUBLE_EQ(manifest["training"]["cross_validation"]["population"]["unweighted_recall"].get<double>(), 1.0);

    const auto cv = run_emo(dir_, {"eval", "audio", list, "--folds", "3", "--json", "--quiet"});
    ASSERT_EQ(cv.code, 0) << cv.err;
    const auto figures = nlohmann::json::parse(cv.out);
    EXPECT_DOUBLE_EQ(figures["population"]["unweighted_recall"].get<double>(), 1.0);
    // Numeric speaker names go in numeric order, however many digits.
    EXPECT_EQ(figures["speaker"]["fold_speakers"], (nlohmann::json{{"9"}, {"10"}, {"0100"}}));

    const auto scored = run_emo(dir_, {"eval", "audio", list, "--model", model});
    ASSERT_EQ(scored.code, 0) << scored.err;
    EXPECT_NE(scored.out.find("speaker baseline"), std::string::npos) << scored.out;
    EXPECT_NE(scored.out.find("UA (unweighted average recall)  1.0000"), std::string::npos) << scored.out;

    const auto heard =
        records(run_emo(dir_, {"audio", "--model", model, wav("new.wav", voiced_syllables(300, 4, 0.6))}));
    EXPECT_EQ(heard[0]["emotion"], "excited");
}

TEST_F(CliAudio, OddAndHostileFilesGetAResultOrAnErrorNamingThem) {
    auto clipped = voiced_syllables(170, 5, 3.0);  // three times full scale: flat tops
    const std::vector<std::string> files = {
        wav("clipped.wav", clipped),
        wav("telephone.wav", voiced_syllables(170, 5),
            8000),  // played at 8 kHz: half the duration, twice the pitch
        wav("six_channels.wav", voiced_syllables(170, 5), 44100, 6),
        wav("silence.wav", std::vector<float>(32000, 0.0f)),
        wav("short.wav", std::vector<float>(50, 0.1f)),
        write("text.wav", "this is not audio\n"),
        write("empty.wav", ""),
    };
    const std::string truncated = wav("truncated.wav", voiced_syllables(170, 5));
    fs::resize_file(truncated, fs::file_size(truncated) / 2);
    std::vector<std::string> args = {"audio"};
    args.insert(args.end(), files.begin(), files.end());
    args.push_back(truncated);
    const auto r = run_emo(dir_, args);
    EXPECT_EQ(r.code, 1);
    const auto out = records(r);
    ASSERT_EQ(out.size(), files.size() + 1);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool unreadable = i == 5 || i == 6;
        EXPECT_EQ(out[i].contains("error"), unreadable) << out[i].dump();
        if (unreadable)
            EXPECT_NE(out[i]["error"].get<std::string>().find(args[i + 1]), std::string::npos);
        else
            EXPECT_TRUE(out[i].contains("emotion")) << out[i].dump();
    }
    // Features stay finite on all of them (silence included): no NaN in the CSV.
    args[0] = "features";
    const auto features = run_emo(dir_, args);
    for (const auto& line : features.out_lines()) EXPECT_EQ(line.find("nan"), std::string::npos) << line;
    EXPECT_EQ(features.out_lines().size(), files.size() + 2);
}

TEST_F(CliAudio, EvalAndTrainNameTheirBadInputs) {
    const std::string list = write("list.csv", "path,emotion,speaker\nnot_there.wav,calm,01\n");
    const auto r = run_emo(dir_, {"eval", "audio", list});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("not_there.wav"), std::string::npos) << r.err;
    // Two speakers in two folds leave one training speaker per fold: too few to choose C, said plainly.
    wav("a.wav", voiced_syllables(150, 3));
    wav("b.wav", voiced_syllables(250, 3));
    const auto few =
        run_emo(dir_, {"eval", "audio", write("two.csv", "path,emotion,speaker\na.wav,calm,1\nb.wav,sad,2\n"),
                       "--folds", "2", "--quiet"});
    EXPECT_EQ(few.code, 1);
    EXPECT_NE(few.err.find("give --c"), std::string::npos) << few.err;
    const auto t = run_emo(dir_, {"train", "audio", "--data", list, "--out", (dir_ / "m").string(), "--quiet"});
    EXPECT_EQ(t.code, 1);
    EXPECT_NE(t.err.find("list.csv:2"), std::string::npos) << t.err;
}
