// `emo models pull / list` against tests/hub_server.py, a stand-in for the Hugging Face Hub on 127.0.0.1 (no test
// touches the internet): resumed downloads, checksum checks, errors, and hf:ORG/NAME as a --model afterwards.
#include "cli_runner.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace {

namespace fs = std::filesystem;

class CliModels : public emo_test::ScratchDirTest {
protected:
    CliModels() : ScratchDirTest("emo_cli_models_") {}

    void SetUp() override {
        ScratchDirTest::SetUp();
        // The served repository: a small random BERT classifier with its tokenizer.
        const auto repo = dir_ / "hub" / "acme" / "tiny-emotions";
        const std::string make = std::string(EMO_REFERENCE_PYTHON) + " " + EMO_SOURCE_DIR +
                                 "/scripts/hf_reference.py make --arch bert --out " + repo.string() + " >/dev/null";
        ASSERT_EQ(std::system(make.c_str()), 0);
        fs::remove(repo / "reference.json");
    }
    void TearDown() override {
        stop_server();
        ScratchDirTest::TearDown();
    }

    // Starts the hub stand-in with `options`; returns its address.
    std::string start_server(const std::string& options = "") {
        const std::string command = "exec " + std::string(EMO_REFERENCE_PYTHON) + " " + EMO_SOURCE_DIR +
                                    "/tests/hub_server.py " + (dir_ / "hub").string() + " " + options;
        server_ = popen(command.c_str(), "r");
        int port = 0;
        if (!server_ || std::fscanf(server_, "%d %d", &port, &pid_) != 2) throw std::runtime_error("no hub server");
        return "http://127.0.0.1:" + std::to_string(port);
    }
    void stop_server() {
        if (!server_) return;
        ::kill(pid_, SIGTERM);
        pclose(server_);
        server_ = nullptr;
    }

    emo_test::CliRun pull(const std::string& endpoint, const std::string& model = "hf:acme/tiny-emotions") {
        return emo_test::run_emo(
            dir_, {"models", "pull", model, "--endpoint", endpoint, "--cache", (dir_ / "cache").string(), "--quiet"});
    }

    std::FILE* server_ = nullptr;
    int pid_ = 0;
};

TEST_F(CliModels, AnInterruptedPullResumesAndTheCheckpointIsThenAModel) {
    const auto endpoint = start_server("--flaky model.safetensors");
    const auto first = pull(endpoint);
    EXPECT_NE(first.code, 0);  // the server hung up halfway through the weights
    EXPECT_NE(first.err.find("model.safetensors"), std::string::npos) << first.err;
    const auto second = pull(endpoint);
    ASSERT_EQ(second.code, 0) << second.err;
    const fs::path local = second.out_lines().at(0);
    for (const char* name : {"config.json", "tokenizer.json", "model.safetensors"})
        EXPECT_EQ(emo_test::slurp(local / name), emo_test::slurp(dir_ / "hub" / "acme" / "tiny-emotions" / name))
            << name;
    EXPECT_FALSE(fs::exists(local / "model.safetensors.part"));

    const auto list = emo_test::run_emo(dir_, {"models", "list", "--cache", (dir_ / "cache").string(), "--json"});
    ASSERT_EQ(list.code, 0) << list.err;
    const auto item = nlohmann::json::parse(list.out_lines().at(0));
    EXPECT_EQ(item["model"], "hf:acme/tiny-emotions");
    EXPECT_EQ(item["revisions"], nlohmann::json::array({"main"}));
    EXPECT_EQ(item["path"], local.string());

    // hf:ORG/NAME as a model reads the cache, without the network.
    stop_server();
    ::setenv("EMO_CACHE_DIR", (dir_ / "cache").c_str(), 1);
    const auto text = emo_test::run_emo(dir_, {"text", "--no-vad", "--model", "hf:acme/tiny-emotions", "tok5 tok6"});
    const auto missing = emo_test::run_emo(dir_, {"text", "--model", "hf:acme/other", "x"});
    ::unsetenv("EMO_CACHE_DIR");
    ASSERT_EQ(text.code, 0) << text.err;
    EXPECT_TRUE(nlohmann::json::parse(text.out_lines().at(0)).at("scores").contains("label_0"));
    EXPECT_NE(missing.code, 0);
    EXPECT_NE(missing.err.find("emo models pull hf:acme/other"), std::string::npos) << missing.err;
}

TEST_F(CliModels, ACorruptDownloadIsRefusedAndLeavesNothingBehind) {
    const auto endpoint = start_server("--corrupt config.json");
    const auto run = pull(endpoint);
    EXPECT_NE(run.code, 0);
    EXPECT_NE(run.err.find("config.json: checksum or size mismatch"), std::string::npos) << run.err;
    const auto dir = dir_ / "cache" / "acme--tiny-emotions" / "0123456789abcdef0123456789abcdef01234567";
    EXPECT_FALSE(fs::exists(dir / "config.json"));
    EXPECT_FALSE(fs::exists(dir / "config.json.part"));
    EXPECT_FALSE(fs::exists(dir_ / "cache" / "acme--tiny-emotions" / "refs" / "main"));
}

TEST_F(CliModels, UnknownRepositoriesAndBadNamesAreClearErrors) {
    const auto endpoint = start_server();
    const auto unknown = pull(endpoint, "hf:acme/nothing-here");
    EXPECT_NE(unknown.code, 0);
    EXPECT_NE(unknown.err.find("no such repository or revision"), std::string::npos) << unknown.err;
    const auto bad = pull(endpoint, "hf:../../etc");
    EXPECT_NE(bad.code, 0);
    EXPECT_NE(bad.err.find("not a repository name"), std::string::npos) << bad.err;
    const auto no_prefix = pull(endpoint, "acme/tiny-emotions");
    EXPECT_NE(no_prefix.code, 0);
    EXPECT_NE(no_prefix.err.find("expected hf:ORG/NAME"), std::string::npos) << no_prefix.err;
    stop_server();
    const auto down = pull(endpoint);  // nothing listens there any more
    EXPECT_NE(down.code, 0);
    EXPECT_FALSE(down.err.empty());
}

}  // namespace
