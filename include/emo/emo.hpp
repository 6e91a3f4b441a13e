// emo: emotion recognition in texts, conversations and speech. The one header users of the C++ library include.
#pragma once

#include <cstddef>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emo {

// Every error the library throws. The message names the input and the place (file:line, field).
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------------------------
// Conversations

// One annotated cause of an utterance's emotion: RECCON's "expanded emotion cause evidence" and "... span", or the
// `causes` column / field of the generic formats (docs/formats.md). Readers keep annotations as written; what is
// usable (in range, not after the target, span found in the cause utterance) is decided by the cause trainer and
// evaluator, which report and skip the rest.
struct CauseAnnotation {
    static constexpr long latent = -1;  // RECCON's "b": a cause outside the conversation
    long index = 0;                     // 0-based position of the cause utterance in its dialogue, or `latent`
    std::string span;                   // the annotated span of the cause utterance; empty when none was given
};

struct Utterance {
    std::string speaker;
    std::string text;
    std::string label;      // gold emotion label, empty when the input has none
    std::string sentiment;  // gold sentiment label, empty when the input has none
    std::string source;     // where it came from, "file:line", for error messages
    std::string error;      // non-empty when the record could not be read (only with ErrorPolicy::skip)
    // Gold causes of this utterance's emotion. `causes_annotated` tells "annotated: no cause among the utterances"
    // (an empty list) apart from "not annotated" (RECCON annotates only non-neutral utterances).
    std::vector<CauseAnnotation> causes;
    bool causes_annotated = false;
};

struct Conversation {
    std::string id;
    std::vector<Utterance> utterances;  // in dialogue order
};

enum class InputFormat { auto_detect, csv, jsonl, json, meld, emorynlp, dailydialog, reccon };
enum class ErrorPolicy { fail, skip };

// Parses a --format name ("auto", "csv", "jsonl", "json", "meld", "emorynlp", "dailydialog", "reccon"); throws Error
// otherwise.
InputFormat parse_input_format(std::string_view name);

struct ReadOptions {
    InputFormat format = InputFormat::auto_detect;
    // fail: the first bad record throws Error naming file and line. skip: the bad record is kept as an Utterance
    // whose `error` says what was wrong, so every input record is accounted for in the output.
    ErrorPolicy on_error = ErrorPolicy::fail;
};

// Reads every conversation of a file ("-" reads standard input). Dialogues keep their order of first appearance;
// utterances are ordered by utterance_id where the format has one, by file order otherwise.
std::vector<Conversation> read_conversations(const std::string& path, const ReadOptions& options = {});
// The same from a stream; `name` is used in error messages. For dailydialog, `path` must name the dialogues file.
std::vector<Conversation> read_conversations(std::istream& in, const std::string& name,
                                             const ReadOptions& options = {});

// ---------------------------------------------------------------------------------------------------------------
// Results

struct EvidenceItem {
    std::string cue;    // an input token ("word:great", "cue:exclamations") or a context cue ("context:prev_same_speaker")
    double weight;      // contribution to the predicted label's score (log-odds units)
    std::string label;  // the label it speaks for, where a result has several (multi-label texts); else empty
};

// A cause of an utterance's emotion: an utterance of the same dialogue (the target itself or an earlier one) and
// the span of its text that carries the cause.
struct Cause {
    std::size_t index = 0;          // 0-based position of the cause utterance in the dialogue
    double score = 0;               // the model's probability that it is a cause
    std::string span;               // empty in cause_candidates
    std::size_t start = 0, end = 0; // span as [start, end) in Unicode code points of that utterance's text
};

struct Result {
    std::string dialogue_id;
    std::size_t index = 0;  // 0-based position in the dialogue
    std::string speaker;
    std::string text;
    std::string emotion;                    // top label
    std::map<std::string, double> scores;   // label -> probability, sums to 1
    std::string sentiment;                  // negative / neutral / positive
    std::map<std::string, double> sentiment_scores;
    std::vector<EvidenceItem> evidence;     // strongest cues first
    std::string gold;                       // gold label when the input had one
    std::string error;                      // set instead of a prediction when the utterance could not be analysed
    // Set by CauseModel::find_causes for non-neutral utterances: the causes it decides on, by score, highest first.
    std::optional<std::vector<Cause>> causes;
    std::vector<Cause> cause_candidates;  // with CauseOptions::candidates: every candidate, in dialogue order
};

// One JSON object (single line) for a result, fields as docs/schema.md describes.
std::string to_json(const Result& result);
// CSV: the header line and one row per result (scores flattened as score_<label> columns, in label order).
std::string csv_header(const std::vector<std::string>& labels);
std::string to_csv_row(const Result& result, const std::vector<std::string>& labels);

// ---------------------------------------------------------------------------------------------------------------
// Models

// How a Hugging Face checkpoint given as a model runs (emo's own models ignore these).
struct CheckpointOptions {
    // The encoder's linear layers: float32 as stored (none), dynamic int8 quantisation, or bfloat16 products with
    // float32 sums (bf16: only on CPUs with AVX512-BF16 or AMX, else loading fails). Both are faster than float32;
    // scores move slightly.
    enum class Quantize { none, int8, bf16 };
    Quantize quantize = Quantize::none;
    int threads = 0;  // threads for its products; 0: the machine's cores
    // Evidence by occlusion: each word left out in turn and the text classified again (one more pass through the
    // checkpoint per word, hence off by default); without it, a checkpoint's results have no evidence.
    bool occlusion = false;
};

struct ConvOptions {
    bool online = false;         // use only the utterances up to and including the current one
    std::size_t max_evidence = 5;
    // With a Hugging Face checkpoint as the model: how many preceding utterances go with each utterance as a second
    // segment ("utterance [SEP] context", as ERC papers do); 0 classifies each utterance on its own.
    std::size_t checkpoint_context = 0;
};

class Model {
public:
    // Loads a model directory (manifest.json + weights), or a Hugging Face sequence-classification checkpoint
    // (config.json, model.safetensors, tokenizer). Throws Error naming the missing or corrupt file.
    static Model load(const std::string& directory, const CheckpointOptions& checkpoint = {});
    // The model directory built into this installation (models/conv-meld), or $EMO_MODEL_DIR when set.
    static std::string default_directory();

    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;
    ~Model();

    const std::vector<std::string>& labels() const;
    const std::vector<std::string>& sentiment_labels() const;  // empty when the model has no sentiment head

    // One Result per utterance, in order. Utterances carrying a read error get a Result with only `error` set.
    std::vector<Result> analyze(const Conversation& conversation, const ConvOptions& options = {}) const;

    struct Impl;

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

struct ClassReport {
    std::string label;
    double precision = 0, recall = 0, f1 = 0;
    std::size_t support = 0;
};

struct EvalReport {
    std::vector<std::string> labels;          // rows and columns of the confusion matrix
    double accuracy = 0, weighted_f1 = 0, macro_f1 = 0;
    std::vector<ClassReport> per_class;
    std::vector<std::vector<std::size_t>> confusion;  // [gold][predicted]
    std::size_t count = 0;
};

// Scores predictions against gold labels; labels unknown to `labels` are an Error naming them.
EvalReport evaluate(const std::vector<std::string>& gold, const std::vector<std::string>& predicted,
                    const std::vector<std::string>& labels);
std::string to_json(const EvalReport& report);
std::string to_text(const EvalReport& report);

// ---------------------------------------------------------------------------------------------------------------
// Single texts

// One input text for `emo text`, `emo train text` and `emo eval text`.
struct TextRecord {
    std::string id;                   // from an `id` column/field (GoEmotions: its third column); empty when none
    std::string text;                 // raw UTF-8 (may be empty: an empty line is a record too)
    std::vector<std::string> labels;  // gold labels when the input has them (multi-label; empty when none)
    std::vector<double> targets;      // gold numbers in TextReadOptions::target_names order; NaN where missing
    std::string split;                // the `split` column/field when the input has one (EmoBank: train/dev/test)
    std::string source;               // "file:line", for error messages
    std::string error;                // non-empty when the record could not be read (only with ErrorPolicy::skip)
};

enum class TextFormat { auto_detect, lines, csv, jsonl, goemotions };

// Parses a --format name for texts ("auto", "lines", "csv", "jsonl", "goemotions"); throws Error otherwise.
TextFormat parse_text_format(std::string_view name);

struct TextReadOptions {
    TextFormat format = TextFormat::auto_detect;
    ErrorPolicy on_error = ErrorPolicy::fail;
    // GoEmotions ids -> names. Empty: read emotions.txt beside the input file, when there is one.
    std::vector<std::string> label_names;
    // Numeric columns/fields to read into TextRecord::targets (e.g. {"V", "A", "D"}).
    std::vector<std::string> target_names;
};

// Reads every text record of a file ("-" reads standard input), in input order.
std::vector<TextRecord> read_texts(const std::string& path, const TextReadOptions& options = {});
// The same from a stream; `name` is used in error messages and, for goemotions, to find emotions.txt beside it.
std::vector<TextRecord> read_texts(std::istream& in, const std::string& name, const TextReadOptions& options = {});

// What emo says about one text: the multi-label emotions, their Ekman and sentiment groups, and valence, arousal and
// dominance. Fields a model set lacks stay empty.
struct TextResult {
    std::string id;                          // the input record's id, passed through
    std::string text;
    std::vector<std::string> labels;         // the emotions present (a multi-class model: its one label)
    std::map<std::string, double> scores;    // label -> probability (independent per label for multi-label models)
    std::vector<std::string> ekman;          // labels mapped to Ekman's groups (neutral stays neutral)
    std::vector<std::string> sentiment;      // labels mapped to positive / negative / ambiguous (neutral stays)
    // perspective -> {"valence", "arousal", "dominance"} on the regressor's scale (EmoBank: 1-5). One perspective
    // asked for (average, writer or reader) is keyed ""; "both" keys each by its name ("writer", "reader").
    std::map<std::string, std::map<std::string, double>> vad;
    std::vector<EvidenceItem> evidence;      // per label: the tokens that drove it, strongest first
    std::string source;                      // "file:line" of the input record
    std::string error;                       // set instead of a prediction when the text could not be analysed
};

struct TextOptions {
    std::size_t max_evidence = 3;  // tokens per predicted label (at most 3 labels explained); 0: no evidence
    // Which VAD outputs to report: "average" (the regressor's unprefixed targets), "writer", "reader", or "both"
    // (every perspective other than the average, keyed by name: EmoBank's writer and reader).
    std::string perspective = "average";
};

// The emotion classifier and the VAD regressor of single texts, loaded together so that they share one pass of
// the text front-end. Either may be absent.
class TextModel {
public:
    // Loads the model directories; an empty path leaves that part out (at least one is needed). Errors name the file.
    static TextModel load(const std::string& emotion_dir, const std::string& vad_dir,
                          const CheckpointOptions& checkpoint = {});
    // One model directory, used as the emotion or the VAD model according to its task.
    static TextModel load(const std::string& dir, const CheckpointOptions& checkpoint = {});
    // The built-in directories (models/text-goemotions, models/text-emobank).
    static std::string default_emotion_directory();
    static std::string default_vad_directory();
    // The built-in word vectors (models/word-vectors; EMO_WORD_VECTORS_DIR overrides), which text regression tries
    // by default.
    static std::string default_word_vectors_directory();

    TextModel(TextModel&&) noexcept;
    TextModel& operator=(TextModel&&) noexcept;
    ~TextModel();

    const std::vector<std::string>& labels() const;  // empty without an emotion model
    bool multilabel() const;
    // The perspectives the VAD model has ("average", "writer", "reader"); empty without one.
    std::vector<std::string> perspectives() const;
    // The VAD model's average-perspective targets: (column in its training data, key in TextResult::vad), such as
    // ("V", "valence"); empty without one.
    std::vector<std::pair<std::string, std::string>> vad_targets() const;

    // Analyses one text. Invalid UTF-8 gives a result with `error` set; any other text (empty, only punctuation or
    // emoji, control characters, very long) gives a well-defined prediction. Throws Error for an unknown perspective.
    TextResult analyze(std::string_view text, const TextOptions& options = {}) const;
    // One result per record, in order; records that carry a read error keep it.
    std::vector<TextResult> analyze(const std::vector<TextRecord>& records, const TextOptions& options = {}) const;

    struct Impl;

private:
    explicit TextModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// One JSON object (single line) for a text result, fields as docs/schema.md describes.
std::string to_json(const TextResult& result);

// Multi-label scores: label sets per text, as indices into `labels`.
struct MultiLabelReport {
    std::vector<std::string> labels;
    double macro_f1 = 0, micro_f1 = 0, jaccard = 0;  // jaccard: sample-averaged |gold ∩ pred| / |gold ∪ pred|
    std::vector<ClassReport> per_label;
    std::size_t count = 0;
};

// Gold and predicted label sets (indices into `labels`, any order, no duplicates) of the same texts. A text whose
// gold and predicted sets are both empty counts 1 for Jaccard. Indices out of range are an Error.
MultiLabelReport evaluate_multilabel(const std::vector<std::vector<std::size_t>>& gold,
                                     const std::vector<std::vector<std::size_t>>& predicted,
                                     const std::vector<std::string>& labels);
std::string to_json(const MultiLabelReport& report);
std::string to_text(const MultiLabelReport& report);

// Regression scores per target (e.g. valence, arousal, dominance).
struct TargetReport {
    std::string name;
    double pearson = 0, ccc = 0, mae = 0;  // ccc: Lin's concordance correlation coefficient
    std::size_t count = 0;                  // pairs used (NaN gold values are left out)
};

struct RegressionReport {
    std::vector<TargetReport> targets;
};

// gold[i][t] and predicted[i][t] for text i and target t; pairs with a NaN gold value are left out of target t.
RegressionReport evaluate_regression(const std::vector<std::vector<double>>& gold,
                                     const std::vector<std::vector<double>>& predicted,
                                     const std::vector<std::string>& names);
std::string to_json(const RegressionReport& report);
std::string to_text(const RegressionReport& report);

// ---------------------------------------------------------------------------------------------------------------
// Emotion causes in conversations

struct CauseOptions {
    bool gold_emotions = false;  // targets and emotion features from each utterance's gold label, not the prediction
    bool candidates = false;     // also fill Result::cause_candidates
};

struct CauseReport;

// Which utterances caused each emotion of a conversation, and which span of each (models/causes-reccon).
class CauseModel {
public:
    // Loads a cause model directory; errors name the file.
    static CauseModel load(const std::string& directory);
    // The built-in directory (models/causes-reccon), or $EMO_CAUSE_MODEL_DIR when set.
    static std::string default_directory();

    CauseModel(CauseModel&&) noexcept;
    CauseModel& operator=(CauseModel&&) noexcept;
    ~CauseModel();

    // The decision threshold on a candidate's probability (part of the model, chosen on training data).
    double threshold() const;

    // Fills `causes` of every result (one per utterance of `conversation`, as Model::analyze returns them) whose
    // emotion is not neutral; results with an error are left alone. With gold_emotions, an utterance without a gold
    // label is an Error naming it.
    void find_causes(const Conversation& conversation, std::vector<Result>& results,
                     const CauseOptions& options = {}) const;

    struct Impl;

private:
    friend CauseReport evaluate_causes(const CauseModel&, const std::vector<Conversation>&, const Model*,
                                       std::ostream&);
    explicit CauseModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// RECCON's figures. Pairs: each annotated target with every candidate (itself and each earlier utterance), weighted
// as RECCON's pair files count them (a cause annotated with two spans counts twice). Spans: each annotated span.
struct CauseReport {
    std::string emotions;  // "gold" or "predicted"
    double positive_f1 = 0, negative_f1 = 0, macro_f1 = 0, precision = 0, recall = 0;
    double pairs = 0, positive_pairs = 0;  // weighted
    std::size_t targets = 0;
    // Span of each annotated cause span, given its (target, cause) pair: the model's span and, as a reference,
    // the whole cause utterance.
    std::size_t spans = 0;
    double span_exact = 0, span_f1 = 0, whole_exact = 0, whole_f1 = 0;
    // The same where the model must also find the pair: a missed pair scores 0.
    double end_to_end_span_f1 = 0;
    std::size_t skipped_causes = 0, skipped_spans = 0;  // annotations that could not be used (see the warnings)
};

// Scores `model` on annotated conversations. With `emotions` null, targets and emotion features come from the gold
// labels (RECCON's causal emotion entailment); otherwise from `emotions`' predictions, and predicted non-neutral
// utterances that are not annotated targets add their candidates as negatives. Annotation problems go to `warnings`.
CauseReport evaluate_causes(const CauseModel& model, const std::vector<Conversation>& conversations,
                            const Model* emotions, std::ostream& warnings);
std::string to_json(const CauseReport& report);
std::string to_text(const CauseReport& report);

// ---------------------------------------------------------------------------------------------------------------
// Speech

// A recording to analyse. Recordings that share a non-empty `speaker` are normalised against each other's acoustic
// statistics (the speaker baseline) when there are enough of them (SpeechModel::min_baseline_recordings).
struct AudioInput {
    std::string path;
    std::string speaker;
    std::string label;   // gold emotion, where known (evaluation)
    std::string source;  // where the input came from ("list.csv:12"), for error messages; empty: the path
    // A recording in memory instead of a file (the Python and C APIs' arrays): mono samples at `sample_rate` Hz,
    // resampled to 16 kHz as files are; `path` then only names it in results and messages.
    std::shared_ptr<const std::vector<float>> samples;
    int sample_rate = 0;
};

// What emo says about one recording, or one speech segment of it.
struct AudioResult {
    std::string file;
    std::optional<double> start, end;       // seconds from the start of the file, for a speech segment
    std::string speaker, gold;              // passed through from the input
    std::string emotion;                    // top label
    std::map<std::string, double> scores;   // label -> probability, sums to 1
    // "valence" and "arousal" in [-1, 1], derived from the class probabilities (each class's place on the
    // circumplex, weighted by its probability; docs/speech.md), not trained on dimensional labels.
    std::map<std::string, double> vad;
    std::vector<EvidenceItem> evidence;     // acoustic cues behind the decision, strongest first
    std::string baseline;                   // "speaker" or "population": what the features were compared with
    std::string error;                      // set instead of a prediction when the recording could not be analysed
};

// One JSON object (single line) for an audio result, fields as docs/schema.md describes.
std::string to_json(const AudioResult& result);

struct AudioOptions {
    bool segments = false;         // one result per speech segment (energy-based detection) instead of per file
    bool speaker_baseline = true;  // normalise by the speaker's recordings where enough share a speaker
    std::size_t max_evidence = 3;  // acoustic cues per result; 0: none
    // SpeechModel::analyze takes whole files of any length: longer than this, their features come from two streaming
    // passes in bounded memory (the percentiles from fine histograms, docs/speech.md); shorter ones are analysed at
    // once. Lower it only to compare the two. egemaps_features and egemaps_lld stream past 10 minutes regardless.
    double max_file_seconds = 600;
    unsigned threads = 0;          // 0 = all cores
};

// The emotion of speech from acoustic features (models/speech-ravdess).
class SpeechModel {
public:
    // Loads a speech model directory; errors name the file.
    static SpeechModel load(const std::string& directory);
    // The built-in directory (models/speech-ravdess), or $EMO_SPEECH_MODEL_DIR when set.
    static std::string default_directory();

    SpeechModel(SpeechModel&&) noexcept;
    SpeechModel& operator=(SpeechModel&&) noexcept;
    ~SpeechModel();

    const std::vector<std::string>& labels() const;
    std::size_t min_baseline_recordings() const;

    // One result per input in order (with segments: one per speech segment, a file without speech giving one
    // result with an error). A file that cannot be read gives a result with `error` set; the others go on.
    std::vector<AudioResult> analyze(const std::vector<AudioInput>& inputs, const AudioOptions& options = {}) const;

    struct Impl;

private:
    explicit SpeechModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Acoustic descriptors of a recording, or of one speech segment of it.
struct AcousticFeatures {
    std::string file;
    std::optional<double> start, end;  // seconds, for a speech segment
    std::vector<double> values;        // in the order of the names they were asked for
    std::string error;                 // set instead of values when the file could not be analysed
    std::string warning;               // values of less than the file should hold: cut short, or a decoding error
};

// openSMILE's names of the 88 eGeMAPS v02 functionals, in its column order.
const std::vector<std::string>& egemaps_names();
// The eGeMAPS functionals of each file (or each of its speech segments with options.segments), files in order;
// unreadable files give an entry with `error`. Any length: past 10 minutes a file is streamed in one pass, holding its
// compact frame-level descriptors (about 58 MB per hour of audio). Uses options.segments and threads.
std::vector<AcousticFeatures> egemaps_features(const std::vector<std::string>& paths, const AudioOptions& options = {});
// The same for inputs that may be recordings in memory (AudioInput::samples); `file` is each input's path.
std::vector<AcousticFeatures> egemaps_features(const std::vector<AudioInput>& inputs, const AudioOptions& options = {});
// openSMILE's names of the 25 eGeMAPS v02 frame-level descriptors (LLDs), in its column order.
const std::vector<std::string>& egemaps_lld_names();
// The frame-level descriptors of each file (or speech segment): `values` holds one row of 25 per 10 ms frame (frame
// t starts t * 10 ms after the file's or segment's start), row after row.
std::vector<AcousticFeatures> egemaps_lld(const std::vector<std::string>& paths, const AudioOptions& options = {});
std::vector<AcousticFeatures> egemaps_lld(const std::vector<AudioInput>& inputs, const AudioOptions& options = {});

// Labelled recordings from a CSV with a header: `path` (or `file`; relative paths are taken from the CSV's folder),
// `emotion` (or `label`) and `speaker` columns, as RAVDESS's labels.csv. Errors name the file and line.
std::vector<AudioInput> read_audio_list(const std::string& csv_path);

// Speech emotion figures: unweighted average recall (UA, the mean of per-class recalls), weighted accuracy (WA,
// the share of recordings right) and the confusion matrix.
struct AudioEvalReport {
    std::string baseline;          // "speaker" or "population"
    EvalReport classes;            // accuracy (= WA), per-class figures, confusion matrix
    double unweighted_recall = 0;
    std::size_t folds = 0;         // 0: one model scored; else speaker-independent cross-validation
    std::vector<std::vector<std::string>> fold_speakers;  // the speakers held out in each fold
};
std::string to_json(const AudioEvalReport& report);
std::string to_text(const AudioEvalReport& report);

// Scores `model` on labelled recordings, every one a separate file (no segments).
AudioEvalReport evaluate_audio(const SpeechModel& model, const std::vector<AudioInput>& inputs,
                               const AudioOptions& options = {});

struct AudioTrainOptions {
    std::string data_path;             // labelled recordings (read_audio_list)
    std::string out_dir;               // where `emo train audio` writes the model
    double c = 0;                      // inverse L2 penalty (sklearn's C); 0: chosen by speaker folds inside train
    unsigned folds = 5;                // speaker-independent folds: speakers in order, dealt in consecutive groups
    std::size_t min_baseline_recordings = 10;
    // Resampling factors of the training copies (vocal tract length augmentation: 1.1 lowers pitch and formants by
    // 10%); the copies only ever train, never score. Empty: none. The default, two copies 10% apart, adds about two
    // points of unweighted recall on RAVDESS (docs/speech_emotion.md) and triples the training time.
    std::vector<double> augment = {0.9, 1.1};
    // Cross-validation only: the held-out speakers' baselines come from this many of their recordings, drawn at
    // random (0: all of them), to measure what a user with fewer recordings of a speaker gets.
    std::size_t test_baseline_recordings = 0;
    unsigned threads = 0;              // 0 = all cores
    bool verbose = true;
};

// Trains a speech emotion model on all the recordings and writes a model directory; the manifest records the
// speaker-independent cross-validation figures of the same recipe.
void train_speech_model(const AudioTrainOptions& options);
// Speaker-independent cross-validation of the training recipe: each fold's speakers are held out in turn while a
// model is trained on the rest. Returns the population and the speaker-baseline figures.
std::pair<AudioEvalReport, AudioEvalReport> cross_validate_speech(const AudioTrainOptions& options);

// ---------------------------------------------------------------------------------------------------------------
// Training

// A Hugging Face encoder checkpoint whose pooled sentence embedding joins a trained model's features, beside its
// n-grams and word vectors (`emo train text|conv --encoder DIR`). The trained model records the checkpoint's path
// and its weights' SHA-256, and needs that checkpoint wherever it runs.
struct EncoderFeatureOptions {
    std::string dir;      // the checkpoint directory; empty = none
    std::string pooling;  // "mean" or "first-token"; empty = the checkpoint's own (sentence-transformers), else mean
    float scale = 1.0f;   // length of the embedding block in a row (each n-gram block has length 1)
};

struct TrainOptions {
    std::string train_path, dev_path;
    ReadOptions read;
    std::string out_dir;
    std::string vectors_path;  // pretrained word vectors from `emo pretrain`; empty = none
    EncoderFeatureOptions encoder;
    // Inverse penalties (sklearn's C) of the utterance stage and the context stage; 0: chosen by cross-validation
    // over dialogues on train.
    double stage1_c = 0, stage2_c = 0;
    unsigned seed = 1;
    unsigned threads = 0;      // 0 = all cores
    bool verbose = true;       // progress on stderr
};

// Trains a conversation model on the label set of the training file and writes a model directory.
void train_conversation_model(const TrainOptions& options);

// Trains a model of single texts and writes a model directory (see models/text-goemotions/MODEL_CARD.md).
struct TextTrainOptions {
    std::string task = "multilabel";  // multilabel | multiclass | regression
    std::string train_path, dev_path;  // with a `split` column: the train and dev rows of the file(s)
    TextReadOptions read;              // format, error policy, label names; target_names for regression
    std::string out_dir;
    // Pretrained word vectors (from `emo pretrain`, or a directory holding vectors.safetensors) as features. Empty:
    // regression tries the built-in ones and keeps them where cross-validation on train says they help (with a
    // fixed c, they are used), classifiers use none (they lowered GoEmotions); "none": no vectors.
    std::string vectors_path;
    float vector_scale = 1.0f;         // length of the mean word vector in a row (the n-gram block has length 1)
    EncoderFeatureOptions encoder;
    std::string base_dir;              // regression: a classifier directory whose probabilities become features
    // regression: extra perspectives, name -> CSV (id + the target columns) joined by id (EmoBank's reader.csv and
    // writer.csv); their outputs are called "<name>.<target>".
    std::vector<std::pair<std::string, std::string>> perspectives;
    std::string ekman_path, sentiment_path;  // label groups kept in the model; default: beside the training file
    double c = 0;                      // inverse penalty (sklearn's C); 0 = chosen by cross-validation on train
    // n-gram buckets = 2^hash_bits (half for words, half for character n-grams); 0 = the task's default: 20 for
    // multiclass, 19 for multi-label (28 labels: 2^20 doubles the model for 0.0006 of out-of-fold macro-F1), 18 for
    // regression.
    unsigned hash_bits = 0;
    // classifiers: n-gram buckets found in fewer training texts are left out; 0 = the default, 2.
    unsigned min_df = 0;
    // multiclass: "balanced" weighs each class alike in the loss (scikit-learn's class_weight="balanced"), "none"
    // weighs each text alike, "auto" tries balanced at the cross-validated C and keeps it where out-of-fold accuracy
    // rises (with a fixed c: none).
    std::string class_weight = "auto";
    unsigned folds = 5;                // cross-validation on train: thresholds (multilabel) and penalties (regression)
    unsigned seed = 1;
    unsigned threads = 0;              // 0 = all cores
    bool verbose = true;
};
void train_text_model(const TextTrainOptions& options);

// Trains an emotion-cause model on conversations with cause annotations (RECCON's files, or the generic formats'
// `causes` field) and writes a model directory (see models/causes-reccon/MODEL_CARD.md).
struct CauseTrainOptions {
    std::string train_path, valid_path;  // valid: scored at the end (gold and, with emotion_model_dir, predicted)
    ReadOptions read;
    std::string out_dir;
    std::string emotion_model_dir;       // conversation model for the end-to-end figures; empty = none
    // Inverse L2 penalties (sklearn's C) of the two logistic regressions; 0: the best of 0.01 ... 1 by
    // cross-validation on train.
    double c_pair = 0, c_span = 0;
    unsigned folds = 5;                  // cross-validation over dialogues on train for the decision threshold
    unsigned seed = 1;                   // which dialogues go to which fold
    unsigned threads = 0;                // 0 = all cores
    bool verbose = true;
};
void train_cause_model(const CauseTrainOptions& options);

}  // namespace emo
