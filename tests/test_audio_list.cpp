// Labelled recordings from a CSV: RAVDESS's columns, paths taken from the CSV's folder, errors naming file and line.
#include "scratch_dir.hpp"

#include <emo/emo.hpp>

#include "io/labelled_files.hpp"

#include <gtest/gtest.h>

namespace {

class AudioList : public emo_test::ScratchDirTest {
protected:
    AudioList() : ScratchDirTest("emo_audio_list_") {}

    std::string error_of(const std::string& content) {
        try {
            emo::read_audio_list(write("list.csv", content));
        } catch (const emo::Error& e) {
            return e.what();
        }
        return "";
    }
};

}  // namespace

TEST_F(AudioList, ReadsPathEmotionAndSpeakerRelativeToTheCsv) {
    const auto inputs = emo::read_audio_list(
        write("labels.csv", "path,speaker,gender,emotion\nActor_01/a.flac,01,male,calm\n/abs/b.wav,02,female,sad\n"));
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs[0].path, (dir_ / "Actor_01/a.flac").string());
    EXPECT_EQ(inputs[0].speaker, "01");
    EXPECT_EQ(inputs[0].label, "calm");
    EXPECT_NE(inputs[0].source.find("labels.csv:2"), std::string::npos);
    EXPECT_EQ(inputs[1].path, "/abs/b.wav");
    // "file" and "label" are accepted too.
    EXPECT_EQ(emo::read_audio_list(write("other.csv", "file,label,speaker\nx.wav,happy,s1\n"))[0].label, "happy");
}

TEST_F(AudioList, MissingColumnsEmptyFieldsAndEmptyListsAreErrors) {
    EXPECT_NE(error_of("speaker,emotion\n01,calm\n").find("no 'path'"), std::string::npos);
    EXPECT_NE(error_of("path,speaker\na.wav,01\n").find("no 'emotion'"), std::string::npos);
    EXPECT_NE(error_of("path,emotion\na.wav,calm\n").find("no 'speaker'"), std::string::npos);
    EXPECT_NE(error_of("path,emotion,speaker\na.wav,,01\n").find("list.csv:2: empty 'emotion'"), std::string::npos);
    EXPECT_NE(error_of("path,emotion,speaker\na.wav,calm\n").find("list.csv:2"), std::string::npos);
    EXPECT_NE(error_of("path,emotion,speaker\n").find("no recordings"), std::string::npos);
    EXPECT_NE(error_of("").find("empty"), std::string::npos);
}

TEST_F(AudioList, ListsAreToldFromConversationFilesByTheirHeader) {
    EXPECT_TRUE(emo::io::lists_labelled_files(write("a.csv", "path,speaker,emotion\nx.wav,1,calm\n")));
    EXPECT_TRUE(emo::io::lists_labelled_files(write("b.csv", "\xef\xbb\xbf\"File\", Label \r\nx.wav,sad\r\n")));
    EXPECT_FALSE(emo::io::lists_labelled_files(write("c.csv", "dialogue_id,speaker,text,path\nd,A,hi,x\n")));
    EXPECT_FALSE(emo::io::lists_labelled_files(write("d.csv", "dialogue_id,speaker,text\nd,A,hi\n")));
    EXPECT_FALSE(emo::io::lists_labelled_files(write("e.csv", "\"path\" x,emotion\n")));
    EXPECT_FALSE(emo::io::lists_labelled_files((dir_ / "missing.csv").string()));
}
