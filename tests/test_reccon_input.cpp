// The reccon format: RECCON's original annotation JSON, its detection, label clean-up and hostile input.
#include "scratch_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

namespace fs = std::filesystem;
using emo::CauseAnnotation;
using emo::Conversation;
using emo::ErrorPolicy;
using emo::InputFormat;
using emo::ReadOptions;

const std::string data_dir = EMO_SOURCE_DIR "/../shared/data";

class RecconInput : public emo_test::ScratchDirTest {
protected:
    RecconInput() : ScratchDirTest("emo_reccon_") {}
};

ReadOptions reccon(ErrorPolicy policy = ErrorPolicy::fail) {
    ReadOptions options;
    options.format = InputFormat::reccon;
    options.on_error = policy;
    return options;
}

// The message of the Error that reading throws, "" when it does not throw.
std::string error_of(const std::string& path, const ReadOptions& options = reccon()) {
    try {
        emo::read_conversations(path, options);
    } catch (const emo::Error& e) {
        return e.what();
    }
    return "";
}

// "index:span" per cause, "b" for latent, so that a whole list compares in one line.
std::vector<std::string> causes_of(const emo::Utterance& u) {
    std::vector<std::string> out;
    for (const CauseAnnotation& c : u.causes)
        out.push_back((c.index == CauseAnnotation::latent ? "b" : std::to_string(c.index)) + ":" + c.span);
    return out;
}

using Strings = std::vector<std::string>;

// Two dialogues, the first with its turns out of order, a stray label, a latent cause with RECCON's "b" span, a
// span list shorter than its evidence, a duplicated cause, a cause after its target and one past the dialogue.
const std::string sample =
    "{\n"
    "  \"tr_2\": [[\n"
    "    {\"turn\": 2, \"speaker\": \"B\", \"utterance\": \"Wow , really ?\", \"emotion\": \"surprised\",\n"
    "     \"expanded emotion cause evidence\": [1, 1, 3],"
    " \"expanded emotion cause span\": [\"I got\", \" the job \"]},\n"
    "    {\"turn\": 1, \"speaker\": \"A\", \"utterance\": \"I got the job !\", \"emotion\": \"happy\",\n"
    "     \"expanded emotion cause evidence\": [\"b\"], \"expanded emotion cause span\": [\"b\"],"
    " \"type\": [\"latent\"]},\n"
    "    {\"turn\": 3, \"speaker\": \"A\", \"utterance\": \"Yes .\", \"emotion\": \"neutral\"},\n"
    "    {\"turn\": 4, \"speaker\": \"B\", \"utterance\": \"So happy for you !\", \"emotion\": \"happiness\",\n"
    "     \"expanded emotion cause evidence\": [9, 1], \"explanation\": \"-\", \"flag\": \"F\"}\n"
    "  ]],\n"
    "  \"tr_1\": [[{\"turn\": 1, \"speaker\": \"A\", \"utterance\": \"Hello .\", \"emotion\": \"neutral\"}]]\n"
    "}\n";

TEST_F(RecconInput, ReadsDialoguesInFileOrderUtterancesByTurnAndCausesAsAnnotated) {
    const auto path = write("dailydialog_valid.json", sample);
    const auto conversations = emo::read_conversations(path, reccon());
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[0].id, "tr_2") << "file order, not the order of a JSON object's sorted keys";
    EXPECT_EQ(conversations[1].id, "tr_1");
    const auto& u = conversations[0].utterances;
    ASSERT_EQ(u.size(), 4u);

    EXPECT_EQ(u[0].text, "I got the job !");
    EXPECT_EQ(u[0].speaker, "A");
    EXPECT_EQ(u[0].label, "happiness");
    EXPECT_EQ(u[0].source, path + ":5");
    EXPECT_TRUE(u[0].causes_annotated);
    EXPECT_EQ(causes_of(u[0]), Strings{"b:"}) << "RECCON's \"b\" span of a latent cause is a placeholder";

    EXPECT_EQ(u[1].text, "Wow , really ?");
    EXPECT_EQ(u[1].label, "surprise");
    EXPECT_EQ(u[1].source, path + ":3");
    EXPECT_EQ(causes_of(u[1]), (Strings{"0:I got", "0:the job", "2:"}));

    EXPECT_EQ(u[2].label, "neutral");
    EXPECT_FALSE(u[2].causes_annotated);
    EXPECT_TRUE(u[2].causes.empty());

    EXPECT_EQ(causes_of(u[3]), (Strings{"8:", "0:"})) << "out-of-range turns are the consumer's to judge";
    EXPECT_EQ(u[3].error, "");
    EXPECT_EQ(conversations[1].utterances.at(0).source, path + ":11");
}

TEST_F(RecconInput, OnlyDailyDialogDialoguesHaveTheirStrayLabelsNormalised) {
    const auto path = write("mixed.json",
                            "{\"te_1\": [[{\"turn\": 1, \"utterance\": \"a\", \"emotion\": \"happines\"},"
                            "{\"turn\": 2, \"utterance\": \"b\", \"emotion\": \"excited\"},"
                            "{\"turn\": 3, \"utterance\": \"c\", \"emotion\": \"angry\"},"
                            "{\"turn\": 4, \"utterance\": \"d\", \"emotion\": \"sad\"},"
                            "{\"turn\": 5, \"utterance\": \"e\", \"emotion\": \"frustrated\"}]],"
                            " \"train.Ses04F_script03_1\": [["
                            "{\"turn\": 1, \"utterance\": \"a\", \"emotion\": \"happy\"},"
                            "{\"turn\": 2, \"utterance\": \"b\", \"emotion\": \"excited\"},"
                            "{\"turn\": 3, \"utterance\": \"c\", \"emotion\": \"sad\"}]]}");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 2u);
    Strings dd, iemocap;
    for (const auto& u : conversations[0].utterances) dd.push_back(u.label);
    for (const auto& u : conversations[1].utterances) iemocap.push_back(u.label);
    EXPECT_EQ(dd, (Strings{"happiness", "happiness", "anger", "sadness", "frustrated"}));
    EXPECT_EQ(iemocap, (Strings{"happy", "excited", "sad"}));
}

TEST_F(RecconInput, IsDetectedWhetherSpreadOverLinesOrOnOne) {
    EXPECT_EQ(emo::parse_input_format("reccon"), InputFormat::reccon);
    EXPECT_EQ(emo::read_conversations(write("a.json", sample)).size(), 2u);
    const auto one_line = write("b.json", "{\"tr_9\": [[{\"speaker\": \"A\", \"utterance\": \"x\", \"turn\": 1}]]}");
    const auto conversations = emo::read_conversations(one_line);
    ASSERT_EQ(conversations.size(), 1u);
    EXPECT_EQ(conversations[0].id, "tr_9");
    EXPECT_EQ(conversations[0].utterances.at(0).text, "x");
}

TEST_F(RecconInput, OtherJsonStaysJsonOrJsonLines) {
    // JSON Lines whose records happen to have a turn field, and a JSON dialogue whose utterances come first.
    const auto jsonl = write("a.jsonl",
                             "{\"dialogue_id\": \"d\", \"turn\": 1, \"utterance\": \"u\", \"text\": \"a\"}\n"
                             "{\"dialogue_id\": \"d\", \"turn\": 2, \"utterance\": \"u\", \"text\": \"b\"}\n");
    EXPECT_EQ(emo::read_conversations(jsonl).at(0).utterances.size(), 2u);
    const auto json = write("a.json", "{\"utterances\": [{\"turn\": 1, \"utterance\": \"u\", \"text\": \"a\"}]}\n");
    EXPECT_EQ(emo::read_conversations(json).at(0).utterances.at(0).text, "a");
}

TEST_F(RecconInput, KeepsTheLargestTurnNumberThatFitsAnIndex) {
    const auto path = write("a.json",
                            "{\"tr_1\": [[{\"turn\": 1, \"utterance\": \"x\", "
                            "\"expanded emotion cause evidence\": [9223372036854775807]}]]}");
    EXPECT_EQ(causes_of(emo::read_conversations(path, reccon()).at(0).utterances.at(0)),
              Strings{"9223372036854775806:"});
}

// One bad utterance (on line 2 of `{"tr_1": [[ ... ]]}`) and the error it must give.
struct BadUtterance {
    std::string json;
    std::string error;
};

TEST_F(RecconInput, BadUtterancesAreRecordErrorsNamingFileAndLine) {
    const std::string turn_range = "turn must be an integer from 1 to 1 (the dialogue's utterances), not ";
    const std::string ev = "expanded emotion cause evidence";
    const std::string sp = "expanded emotion cause span";
    const std::string ev_item = "[0] must be a turn number (from 1) or \"b\"";
    const std::vector<BadUtterance> cases = {
        {"{\"utterance\": \"x\"}", "missing field turn"},
        {"{\"turn\": \"1\", \"utterance\": \"x\"}", turn_range + "\"1\""},
        {"{\"turn\": 1.5, \"utterance\": \"x\"}", turn_range + "1.5"},
        {"{\"turn\": 0, \"utterance\": \"x\"}", turn_range + "0"},
        {"{\"turn\": -3, \"utterance\": \"x\"}", turn_range + "-3"},
        {"{\"turn\": 2, \"utterance\": \"x\"}", turn_range + "2"},
        {"{\"turn\": null, \"utterance\": \"x\"}", turn_range + "null"},
        {"{\"turn\": 18446744073709551615, \"utterance\": \"x\"}", turn_range + "18446744073709551615"},
        {"{\"turn\": 1e300, \"utterance\": \"x\"}", turn_range + "1e+300"},
        {"{\"turn\": 1}", "missing field utterance"},
        {"{\"turn\": 1, \"utterance\": [\"x\"]}", "utterance must be a string"},
        {"{\"turn\": 1, \"utterance\": \" \"}", "empty utterance"},
        {"{\"turn\": 1, \"utterance\": \"x\", \"speaker\": 7}", "speaker must be a string"},
        {"{\"turn\": 1, \"utterance\": \"x\", \"emotion\": {}}", "emotion must be a string"},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": \"1\"}", ev + " must be a list"},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [0]}", ev + ev_item},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [1, -1]}",
         ev + "[1] must be a turn number (from 1) or \"b\""},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [\"1\"]}", ev + ev_item},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [\"B\"]}", ev + ev_item},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [1.0]}", ev + ev_item},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [null]}", ev + ev_item},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [18446744073709551615]}", ev + ev_item},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [1], \"" + sp + "\": \"x\"}", sp + " must be a list"},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [1], \"" + sp + "\": [1]}", sp + "[0] must be a string"},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + ev + "\": [1], \"" + sp + "\": [\"a\", \"b\"]}",
         sp + " has 2 items but " + ev + " has 1"},
        {"{\"turn\": 1, \"utterance\": \"x\", \"" + sp + "\": [\"a\"]}", sp + " without " + ev},
    };
    for (const BadUtterance& c : cases) {
        const auto path = write("bad.json", "{\"tr_1\": [[\n" + c.json + "\n]]}\n");
        EXPECT_EQ(error_of(path), path + ":2: " + c.error) << c.json;
        const auto conversations = emo::read_conversations(path, reccon(ErrorPolicy::skip));
        ASSERT_EQ(conversations.size(), 1u) << c.json;
        ASSERT_EQ(conversations[0].utterances.size(), 1u) << c.json;
        EXPECT_EQ(conversations[0].utterances[0].error, path + ":2: " + c.error) << c.json;
        EXPECT_FALSE(conversations[0].utterances[0].causes_annotated) << c.json;
    }
}

TEST_F(RecconInput, AnUtteranceThatIsNoObjectHasTheLineOfItsDialogue) {
    const auto path = write("bad.json", "{\n\"tr_1\": [[\n3\n]]}\n");
    EXPECT_EQ(error_of(path), path + ":2: expected a JSON object for the utterance");
}

TEST_F(RecconInput, RepeatedTurnIsAnErrorAndSkipKeepsEveryRecordInPlace) {
    const auto path = write("a.json",
                            "{\"tr_1\": [[\n"
                            "{\"turn\": 3, \"utterance\": \"c\"},\n"
                            "{\"turn\": 1, \"utterance\": \"a\"},\n"
                            "{\"turn\": 2},\n"
                            "{\"turn\": 1, \"utterance\": \"again\"}\n"
                            "]],\n"
                            "\"tr_2\": 5,\n"
                            "\"tr_3\": [[{\"turn\": 1, \"utterance\": \"z\"}]]}\n");
    EXPECT_EQ(error_of(path), path + ":4: missing field utterance");
    const auto conversations = emo::read_conversations(path, reccon(ErrorPolicy::skip));
    ASSERT_EQ(conversations.size(), 3u);
    Strings seen;
    for (const auto& u : conversations[0].utterances) seen.push_back(u.error.empty() ? u.text : u.error);
    EXPECT_EQ(seen, (Strings{"a", path + ":5: turn 1 occurs twice", path + ":4: missing field utterance", "c"}));
    EXPECT_EQ(conversations[1].id, "tr_2");
    EXPECT_EQ(conversations[1].utterances.at(0).error,
              path + ":7: dialogue \"tr_2\" must be a list holding one list of utterances");
    EXPECT_EQ(conversations[2].utterances.at(0).text, "z");
}

TEST_F(RecconInput, BadDialoguesAndFilesNameFileAndLine) {
    const std::string shape = "dialogue \"tr_1\" must be a list holding one list of utterances";
    const std::vector<BadUtterance> cases = {
        {"[1]", ":1: expected a JSON object mapping dialogue ids to dialogues"},
        {"\"tr_1\"", ":1: expected a JSON object mapping dialogue ids to dialogues"},
        {"{\"tr_1\": {\"turn\": 1}}", ":1: " + shape},
        {"{\"tr_1\": []}", ":1: " + shape},
        {"{\"tr_1\": [[], []]}", ":1: " + shape},
        {"{\"tr_1\": [3]}", ":1: " + shape},
        {"{\"tr_1\": null}", ":1: " + shape},
        {"{\" \": [[]]}", ":1: empty dialogue id"},
        {"{\"tr_1\": [[]],\n\"tr_1\": [[]]}", ":2: dialogue id \"tr_1\" occurs more than once"},
    };
    for (const BadUtterance& c : cases) {
        const auto path = write("bad.json", c.json);
        EXPECT_EQ(error_of(path), path + c.error) << c.json;
    }
}

TEST_F(RecconInput, BrokenFilesFailEvenUnderSkip) {
    const std::vector<BadUtterance> cases = {
        {"{\"tr_1\": [[\n{\"turn\": 1, \"utterance\": \"bad \xC3\x28\"}]]}", ":2: invalid UTF-8"},
        {"{\"tr_1\": [[\n{\"turn\": 1, \"utterance\": \"\\ud800\"}]]}", ":2: invalid JSON"},
        {"{\"tr_1\": [[\n{\"turn\": 1, \"utterance\": \"x\"}]]", ":2: invalid JSON"},
        {"{\"tr_1\": [[]]}\n{\"tr_2\": [[]]}", ":2: invalid JSON"},
        {"{\"tr_1\": [[\n{\"turn\": 1e400, \"utterance\": \"x\"}]]}", ":2: invalid JSON"},
    };
    for (const BadUtterance& c : cases) {
        const auto path = write("bad.json", c.json);
        const std::string message = error_of(path, reccon(ErrorPolicy::skip));
        EXPECT_EQ(message.rfind(path + c.error, 0), 0u) << c.json << " gave " << message;
    }
}

TEST_F(RecconInput, HostileStructuresAreErrorsNotCrashes) {
    const std::string deep(100000, '[');
    const auto nested = write("deep.json", "{\"tr_1\": " + deep + std::string(100000, ']') + "}");
    EXPECT_EQ(error_of(nested), nested + ":1: expected a JSON object for the utterance");
    // The key under which the reader keeps line numbers, spelled by the input.
    const auto spoof = write("spoof.json", "{\"\\u0001line\": \"x\", \"tr_1\": [[{\"turn\": 1, \"utterance\": "
                                          "\"y\", \"\\u0001line\": \"z\"}]]}");
    const auto conversations = emo::read_conversations(spoof, reccon(ErrorPolicy::skip));
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_NE(conversations[0].utterances.at(0).error, "");
    EXPECT_EQ(conversations[1].utterances.at(0).text, "y");
    EXPECT_EQ(conversations[1].utterances.at(0).source, spoof + ":1");
}

// ----- the staged data set -------------------------------------------------------------------------------------

struct Counts {
    std::size_t dialogues = 0, utterances = 0, annotated = 0, causes = 0, latent = 0;
};

Counts count(const std::vector<Conversation>& conversations) {
    Counts n;
    n.dialogues = conversations.size();
    for (const auto& c : conversations) {
        for (const auto& u : c.utterances) {
            ++n.utterances;
            n.annotated += u.causes_annotated;
            n.causes += u.causes.size();
            for (const auto& cause : u.causes) n.latent += cause.index == CauseAnnotation::latent;
        }
    }
    return n;
}

// The figures were counted independently with Python's json module. SOURCE.md's "with a cause annotation" column
// matches the utterances that have an evidence list.
TEST(RecconInputData, DailyDialogValidHas493UtterancesIn47DialoguesAnd200Annotated) {
    const std::string path = data_dir + "/reccon/original_annotation/dailydialog_valid.json";
    if (!fs::exists(path)) GTEST_SKIP() << "RECCON not staged at " << path;
    const auto conversations = emo::read_conversations(path);
    const Counts n = count(conversations);
    EXPECT_EQ(n.dialogues, 47u);
    EXPECT_EQ(n.utterances, 493u);
    EXPECT_EQ(n.annotated, 200u);
    EXPECT_EQ(n.causes, 352u);
    EXPECT_EQ(n.latent, 5u);
    EXPECT_EQ(conversations.at(0).id, "va_980");
    EXPECT_EQ(conversations[0].utterances.at(4).label, "happiness");
    EXPECT_EQ(causes_of(conversations[0].utterances[4]),
              (Strings{"3:Actually I feel quite rested . I was able to sleep on the plane .",
                       "4:happy to take you around this city and show you the sights tonight if you're up to it ."}));
}

TEST(RecconInputData, DailyDialogTrainHasOnlyDailyDialogLabelsAfterNormalising) {
    const std::string path = data_dir + "/reccon/original_annotation/dailydialog_train.json";
    if (!fs::exists(path)) GTEST_SKIP() << "RECCON not staged at " << path;
    const auto conversations = emo::read_conversations(path);
    const Counts n = count(conversations);
    EXPECT_EQ(n.dialogues, 834u);
    EXPECT_EQ(n.utterances, 8206u);
    EXPECT_EQ(n.annotated, 4562u);
    EXPECT_EQ(n.causes, 7630u);
    EXPECT_EQ(n.latent, 359u);
    const std::set<std::string> labels = {"happiness", "neutral", "anger", "sadness", "surprise", "disgust", "fear"};
    for (const auto& c : conversations)
        for (const auto& u : c.utterances) EXPECT_TRUE(labels.count(u.label)) << u.source << ": " << u.label;
}

}  // namespace
