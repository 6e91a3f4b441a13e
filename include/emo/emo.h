/* emo: emotion recognition in texts, conversations and speech. The C API: one header, opaque handles, status codes.
 *
 * Compiles as C99 and as C++. Every function catches every exception of the library (std::bad_alloc included) and
 * reports it as an emo_status plus a message for emo_last_error(); none aborts on bad arguments. Results are the
 * CLI's records: one JSON object per line ("\n" after each), or CSV, in a string that the library allocates and the
 * caller frees with emo_string_free(). docs/c_api.md describes ownership, thread safety and the ABI's stability. */
#ifndef EMO_EMO_H
#define EMO_EMO_H

#include <stdbool.h>
#include <stddef.h>

#if defined(_WIN32)
#define EMO_API __declspec(dllexport)
#elif defined(__GNUC__)
#define EMO_API __attribute__((visibility("default")))
#else
#define EMO_API
#endif

/* In C++ the enums get int as their fixed type, so that whatever value a C caller passes is representable: the
 * library rejects unknown values instead of meeting undefined behaviour. */
#ifdef __cplusplus
#define EMO_ENUM_TYPE : int
#else
#define EMO_ENUM_TYPE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------------------------
 * Status, errors, strings */

typedef enum emo_status EMO_ENUM_TYPE {
    EMO_OK = 0,
    EMO_ERR_INVALID_ARGUMENT = 1, /* a NULL pointer, a wrong size, an out-of-range or unknown parameter value */
    EMO_ERR_INPUT = 2,            /* an input file or string that cannot be read or is malformed; I/O errors */
    EMO_ERR_MODEL = 3,            /* a model directory that is missing, corrupt or unsuitable */
    EMO_ERR_OUT_OF_MEMORY = 4,
    EMO_ERR_INTERNAL = 5 /* anything else: a bug in emo */
} emo_status;

/* The message of the last failed call on this thread (naming the input: file:line, field, argument), or "" when the
 * last call succeeded. Valid until the next emo_* call on this thread. */
EMO_API const char* emo_last_error(void);
/* A constant name for a status ("EMO_OK", "EMO_ERR_INPUT", ...); "unknown status" for other values. */
EMO_API const char* emo_status_name(emo_status status);
/* The library's version, "MAJOR.MINOR.PATCH". */
EMO_API const char* emo_version(void);
/* Frees a string that the library returned; NULL is a no-op. */
EMO_API void emo_string_free(char* s);
/* Frees an array of doubles that the library returned (emo_egemaps_lld_*); NULL is a no-op. */
EMO_API void emo_doubles_free(double* values);

/* ---------------------------------------------------------------------------------------------------------------
 * Models. Loaded models are immutable: one handle may be used by many threads at once. A NULL directory means the
 * built-in model (or the directory its environment variable names, as the CLI does). As a conversation or text
 * emotion model, "hf:ORG/NAME[@REVISION]" names a checkpoint in the cache of `emo models pull`, as `--model` does. */

typedef struct emo_conv_model emo_conv_model;     /* conversations: one emotion per utterance */
typedef struct emo_text_model emo_text_model;     /* single texts: emotions and valence / arousal / dominance */
typedef struct emo_cause_model emo_cause_model;   /* the causes of emotions in conversations */
typedef struct emo_speech_model emo_speech_model; /* speech recordings */

typedef enum emo_model_kind EMO_ENUM_TYPE {
    EMO_MODEL_CONV = 0,
    EMO_MODEL_TEXT_EMOTION = 1,
    EMO_MODEL_TEXT_VAD = 2,
    EMO_MODEL_CAUSE = 3,
    EMO_MODEL_SPEECH = 4
} emo_model_kind;

/* The built-in model directory of a kind (environment overrides applied) into *out (free with emo_string_free). */
EMO_API emo_status emo_default_directory(emo_model_kind kind, char** out);

typedef enum emo_quantize EMO_ENUM_TYPE {
    EMO_QUANTIZE_NONE = 0,
    EMO_QUANTIZE_INT8 = 1,
    EMO_QUANTIZE_BF16 = 2
} emo_quantize;

/* How a Hugging Face checkpoint given as a model runs (emo's own models ignore these): `emo conv --quantize
 * --threads --occlusion`. */
typedef struct emo_checkpoint_params {
    emo_quantize quantize;
    int threads;    /* threads for its products; 0: every core; negative is invalid */
    bool occlusion; /* evidence by leaving out each word in turn (slow) */
} emo_checkpoint_params;
/* quantize none, threads 0, no occlusion. */
EMO_API emo_checkpoint_params emo_checkpoint_default_params(void);

/* Loads a conversation model directory or checkpoint (NULL: built-in; checkpoint NULL: defaults) into *out. */
EMO_API emo_status emo_conv_model_load(const char* directory, const emo_checkpoint_params* checkpoint,
                                       emo_conv_model** out);
/* Frees a conversation model; NULL is a no-op. */
EMO_API void emo_conv_model_free(emo_conv_model* model);
/* The number of emotion labels into *count. */
EMO_API emo_status emo_conv_model_label_count(const emo_conv_model* model, size_t* count);
/* The i-th label into *label (owned by the model, valid while it lives). */
EMO_API emo_status emo_conv_model_label(const emo_conv_model* model, size_t i, const char** label);
/* The labels as a JSON array of strings into *json. */
EMO_API emo_status emo_conv_model_labels(const emo_conv_model* model, char** json);
/* The sentiment labels as a JSON array (empty when the model has no sentiment head) into *json. */
EMO_API emo_status emo_conv_model_sentiment_labels(const emo_conv_model* model, char** json);

/* Loads the emotion and the VAD model of single texts: NULL is the built-in one, "" leaves that part out (at least
 * one part is needed), as `emo text --model --vad-model --no-emotions --no-vad`. */
EMO_API emo_status emo_text_model_load(const char* emotion_directory, const char* vad_directory,
                                       const emo_checkpoint_params* checkpoint, emo_text_model** out);
/* Loads one text model directory as the emotion or the VAD part according to its task (as `emo eval text --model`). */
EMO_API emo_status emo_text_model_load_one(const char* directory, const emo_checkpoint_params* checkpoint,
                                           emo_text_model** out);
/* Frees a text model; NULL is a no-op. */
EMO_API void emo_text_model_free(emo_text_model* model);
/* The number of emotion labels (0 without an emotion part) into *count. */
EMO_API emo_status emo_text_model_label_count(const emo_text_model* model, size_t* count);
/* The i-th emotion label into *label (owned by the model). */
EMO_API emo_status emo_text_model_label(const emo_text_model* model, size_t i, const char** label);
/* The emotion labels as a JSON array into *json. */
EMO_API emo_status emo_text_model_labels(const emo_text_model* model, char** json);
/* Whether the emotion part is multi-label into *multilabel. */
EMO_API emo_status emo_text_model_multilabel(const emo_text_model* model, bool* multilabel);
/* The VAD perspectives ("average", "writer", "reader") as a JSON array (empty without a VAD part) into *json. */
EMO_API emo_status emo_text_model_perspectives(const emo_text_model* model, char** json);

/* Loads a cause model directory (NULL: built-in) into *out. */
EMO_API emo_status emo_cause_model_load(const char* directory, emo_cause_model** out);
/* Frees a cause model; NULL is a no-op. */
EMO_API void emo_cause_model_free(emo_cause_model* model);
/* The decision threshold on a candidate's probability into *threshold. */
EMO_API emo_status emo_cause_model_threshold(const emo_cause_model* model, double* threshold);

/* Loads a speech model directory (NULL: built-in) into *out. */
EMO_API emo_status emo_speech_model_load(const char* directory, emo_speech_model** out);
/* Frees a speech model; NULL is a no-op. */
EMO_API void emo_speech_model_free(emo_speech_model* model);
/* The number of emotion labels into *count. */
EMO_API emo_status emo_speech_model_label_count(const emo_speech_model* model, size_t* count);
/* The i-th label into *label (owned by the model). */
EMO_API emo_status emo_speech_model_label(const emo_speech_model* model, size_t i, const char** label);
/* The labels as a JSON array into *json. */
EMO_API emo_status emo_speech_model_labels(const emo_speech_model* model, char** json);
/* Recordings of one speaker needed before the speaker baseline is used, into *count. */
EMO_API emo_status emo_speech_model_min_baseline_recordings(const emo_speech_model* model, size_t* count);

/* ---------------------------------------------------------------------------------------------------------------
 * Conversations (`emo conv`) */

/* How conversation files are read: `--format` and `--on-error`. */
typedef struct emo_read_params {
    /* "auto", "csv", "jsonl", "json", "meld", "emorynlp", "dailydialog", "reccon"; NULL: auto */
    const char* format;
    /* "fail": the first bad record fails the call; "skip": the record gets an `error` field. NULL: fail */
    const char* on_error;
} emo_read_params;
/* format "auto", on_error "fail". */
EMO_API emo_read_params emo_read_default_params(void);

typedef enum emo_output EMO_ENUM_TYPE { EMO_OUTPUT_JSONL = 0, EMO_OUTPUT_CSV = 1 } emo_output;

typedef struct emo_conv_params {
    bool online;                   /* use only the utterances up to each one */
    size_t max_evidence;           /* evidence cues per utterance */
    size_t checkpoint_context;     /* with a checkpoint as the model: preceding utterances given with each one */
    const emo_cause_model* causes; /* add the causes of each non-neutral emotion (JSONL only); NULL: none */
    bool cause_candidates;         /* with causes: every candidate's probability (`--cause-scores`) */
    bool gold_emotions;            /* with causes: emotions from the input's labels */
    bool dynamics;                 /* after each dialogue, a line {"dynamics": ...} (JSONL only) */
    emo_output output;             /* JSONL, or CSV with its header line first */
} emo_conv_params;
/* `emo conv`'s defaults: offline, 5 evidence cues, no context, no causes, no dynamics, JSONL. */
EMO_API emo_conv_params emo_conv_default_params(void);

/* Analyses every conversation of a file as `emo conv FILE` does (read NULL, params NULL: defaults); the output, byte
 * for byte the CLI's, into *out. */
EMO_API emo_status emo_conv_analyze_file(const emo_conv_model* model, const char* path, const emo_read_params* read,
                                         const emo_conv_params* params, char** out);
/* The same for conversations in a JSON string: the `json` input format (a dialogue object {"dialogue_id",
 * "utterances": [...]} or an array of them), or an array of utterance records {"dialogue_id", "speaker", "text"[,
 * "label"]} as `jsonl` has them, whose errors name the record as "json:N" (N from 1). `read` as above (format
 * ignored). */
EMO_API emo_status emo_conv_analyze_json(const emo_conv_model* model, const char* json, const emo_read_params* read,
                                         const emo_conv_params* params, char** out);

/* ---------------------------------------------------------------------------------------------------------------
 * Single texts (`emo text`) */

typedef struct emo_text_params {
    size_t max_evidence;     /* tokens per predicted label (at most 3 labels explained); 0: none */
    const char* perspective; /* VAD of "average", "writer", "reader" or "both"; NULL: average */
    const char* on_error;    /* "fail": a text that cannot be analysed (invalid UTF-8) fails the call; "skip": its
                                record gets an `error` field. NULL: fail */
} emo_text_params;
/* `emo text`'s defaults: 3 evidence tokens, average perspective, on_error fail. */
EMO_API emo_text_params emo_text_default_params(void);

/* One text (NUL-terminated UTF-8) as `emo text TEXT`: one JSON line into *out. */
EMO_API emo_status emo_text_analyze(const emo_text_model* model, const char* text, const emo_text_params* params,
                                    char** out);
/* `count` texts (count > 0, none NULL) as `emo text T1 T2 ...`: one JSON line each, in order, into *out. */
EMO_API emo_status emo_text_analyze_batch(const emo_text_model* model, const char* const* texts, size_t count,
                                          const emo_text_params* params, char** out);
/* The texts of a file as `emo text --input FILE --format FORMAT` ("auto", "lines", "csv", "jsonl", "goemotions";
 * NULL: auto) into *out. */
EMO_API emo_status emo_text_analyze_file(const emo_text_model* model, const char* path, const char* format,
                                         const emo_text_params* params, char** out);

/* ---------------------------------------------------------------------------------------------------------------
 * Speech (`emo audio`) */

typedef struct emo_audio_params {
    bool segments;         /* one result per speech segment instead of per recording */
    bool speaker_baseline; /* compare with the speaker's own recordings where enough share a speaker */
    size_t max_evidence;   /* acoustic cues per result; 0: none */
    unsigned threads;      /* 0: all cores */
    const char* on_error;  /* "fail": a recording that cannot be analysed fails the call (as `emo audio` exits
                              non-zero); "skip": its record gets an `error` field. NULL: fail */
} emo_audio_params;
/* `emo audio`'s defaults: whole recordings, speaker baseline on, 3 cues, all cores, on_error fail. */
EMO_API emo_audio_params emo_audio_default_params(void);

/* Analyses `count` audio files (count > 0) as `emo audio`; `speakers` is NULL or has `count` entries, each NULL or a
 * speaker name (`--speaker`). One JSON line per result into *out. */
EMO_API emo_status emo_audio_analyze_files(const emo_speech_model* model, const char* const* paths,
                                           const char* const* speakers, size_t count, const emo_audio_params* params,
                                           char** out);
/* Analyses one mono recording in memory: `count` samples (finite, count > 0) at `sample_rate` Hz (1,000 to
 * 768,000); `name` (NULL: "samples") names it in the record and in messages, `speaker` may be NULL. */
EMO_API emo_status emo_audio_analyze_samples(const emo_speech_model* model, const float* samples, size_t count,
                                             int sample_rate, const char* name, const char* speaker,
                                             const emo_audio_params* params, char** out);

/* ---------------------------------------------------------------------------------------------------------------
 * eGeMAPS v02 acoustic descriptors (`emo features`) */

/* The number of functionals (88). */
EMO_API size_t emo_egemaps_count(void);
/* openSMILE's name of the i-th functional, or NULL when i >= emo_egemaps_count(). */
EMO_API const char* emo_egemaps_name(size_t i);
/* The number of frame-level descriptors (LLDs) per 10 ms frame (25). */
EMO_API size_t emo_egemaps_lld_count(void);
/* openSMILE's name of the i-th LLD, or NULL when i >= emo_egemaps_lld_count(). */
EMO_API const char* emo_egemaps_lld_name(size_t i);

/* The 88 functionals of a whole audio file into values[0..87]; `count` must be emo_egemaps_count(). */
EMO_API emo_status emo_egemaps_file(const char* path, double* values, size_t count);
/* The 88 functionals of a mono recording in memory (as emo_audio_analyze_samples takes it) into values[0..87]. */
EMO_API emo_status emo_egemaps_samples(const float* samples, size_t sample_count, int sample_rate, double* values,
                                       size_t count);
/* The LLDs of a whole audio file: *frames rows of 25, row after row, into *values (free with emo_doubles_free). */
EMO_API emo_status emo_egemaps_lld_file(const char* path, double** values, size_t* frames);
/* The LLDs of a mono recording in memory, as emo_egemaps_lld_file. */
EMO_API emo_status emo_egemaps_lld_samples(const float* samples, size_t sample_count, int sample_rate, double** values,
                                           size_t* frames);

typedef struct emo_features_params {
    bool segments;    /* one record per speech segment, with start and end in seconds */
    bool lld;         /* the 25 LLDs per frame instead of the 88 functionals */
    unsigned threads; /* 0: all cores */
    /* "fail": an unreadable file fails the call; "skip": its record gets an `error`. NULL: fail */
    const char* on_error;
} emo_features_params;
/* Whole files, functionals, all cores, on_error fail. */
EMO_API emo_features_params emo_features_default_params(void);

/* The descriptors of `count` files (count > 0), one JSON line per file or segment: {"file", "start", "end" (null for
 * whole files), "values": [...] (functionals; with lld, one array of 25 per frame), "error"?, "warning"?}. */
EMO_API emo_status emo_egemaps_json(const char* const* paths, size_t count, const emo_features_params* params,
                                    char** out);
/* The same for one mono recording in memory (as emo_audio_analyze_samples takes it; `name`, NULL: "samples", is its
 * "file"). */
EMO_API emo_status emo_egemaps_samples_json(const float* samples, size_t sample_count, int sample_rate,
                                            const char* name, const emo_features_params* params, char** out);

/* ---------------------------------------------------------------------------------------------------------------
 * Training (`emo train`). Each writes a model directory; `verbose` writes progress on standard error. */

/* `emo train conv`. */
typedef struct emo_train_conv_params {
    const char* train_path; /* required */
    const char* dev_path;   /* NULL: none */
    emo_read_params read;
    const char* out_dir;         /* required */
    const char* vectors_path;    /* word vectors from `emo pretrain`; NULL: none */
    const char* encoder_dir;     /* a Hugging Face encoder checkpoint (or hf:ORG/NAME) as features; NULL: none */
    const char* encoder_pooling; /* "mean" or "first-token"; NULL: the checkpoint's own, else mean */
    float encoder_scale;         /* 0.01 to 100 */
    double c;                    /* utterance stage's inverse penalty; 0: cross-validated */
    double context_c;            /* context stage's inverse penalty; 0: cross-validated */
    unsigned seed;
    unsigned threads; /* 0: all cores */
    bool verbose;
} emo_train_conv_params;
EMO_API emo_train_conv_params emo_train_conv_default_params(void);
/* Trains a conversation model as `emo train conv` does. */
EMO_API emo_status emo_train_conv(const emo_train_conv_params* params);

/* `emo train text`. */
typedef struct emo_train_text_params {
    const char* task;        /* "multilabel", "multiclass" or "regression" */
    const char* train_path;  /* required */
    const char* dev_path;    /* NULL: none */
    const char* format;      /* "auto", "lines", "csv", "jsonl", "goemotions"; NULL: auto */
    const char* on_error;    /* "fail" or "skip"; NULL: fail */
    const char* labels_path; /* label names for GoEmotions ids, one per line; NULL: emotions.txt beside the input */
    const char* targets;     /* regression: the numeric columns, comma-separated; NULL: "V,A,D" */
    const char* const* perspective_files; /* regression: perspective_file_count entries "NAME=FILE" */
    size_t perspective_file_count;
    const char* out_dir;         /* required */
    const char* vectors_path;    /* NULL: the task's default; "none": no vectors */
    float vector_scale;          /* 0.01 to 100 */
    const char* encoder_dir;     /* NULL: none */
    const char* encoder_pooling; /* NULL, "mean" or "first-token" */
    float encoder_scale;         /* 0.01 to 100 */
    const char* base_dir;        /* regression: a classifier whose probabilities join the features; NULL: none */
    const char* ekman_path;      /* NULL: ekman_mapping.json beside the training file, if there */
    const char* sentiment_path;  /* NULL: sentiment_dict.json beside the training file, if there */
    double c;                    /* 0: cross-validated */
    unsigned hash_bits;          /* 0: the task's default; else 10 to 22 */
    unsigned min_df;             /* 0: the default (2); else 1 to 1000 */
    const char* class_weight;    /* multiclass: "auto", "none" or "balanced"; NULL: auto */
    unsigned folds;
    unsigned seed;
    unsigned threads;
    bool verbose;
} emo_train_text_params;
EMO_API emo_train_text_params emo_train_text_default_params(void);
/* Trains a text model as `emo train text` does. */
EMO_API emo_status emo_train_text(const emo_train_text_params* params);

/* `emo train causes`. */
typedef struct emo_train_causes_params {
    const char* train_path; /* required */
    const char* valid_path; /* NULL: none */
    emo_read_params read;
    const char* out_dir;           /* required */
    const char* emotion_model_dir; /* conversation model for end-to-end valid figures; NULL: none */
    double c_pair, c_span;         /* 0: cross-validated */
    unsigned folds;
    unsigned seed;
    unsigned threads;
    bool verbose;
} emo_train_causes_params;
EMO_API emo_train_causes_params emo_train_causes_default_params(void);
/* Trains a cause model as `emo train causes` does. */
EMO_API emo_status emo_train_causes(const emo_train_causes_params* params);

/* `emo train audio` (and, with emo_cross_validate_speech, `emo eval audio --folds`). */
typedef struct emo_train_speech_params {
    const char* data_path; /* labelled recordings: CSV with path, emotion and speaker columns; required */
    const char* out_dir;   /* required for training */
    double c;              /* 0: chosen by speaker folds */
    unsigned folds;        /* speaker-independent folds (at least 2 for cross-validation) */
    size_t min_baseline_recordings;
    const double* augment; /* augment_count resampling factors of extra training copies; default {0.9, 1.1} */
    size_t augment_count;
    size_t test_baseline_recordings; /* cross-validation: held-out speakers' baselines from this many; 0: all */
    unsigned threads;
    bool verbose;
} emo_train_speech_params;
EMO_API emo_train_speech_params emo_train_speech_default_params(void);
/* Trains a speech model as `emo train audio` does. */
EMO_API emo_status emo_train_speech(const emo_train_speech_params* params);

/* ---------------------------------------------------------------------------------------------------------------
 * Evaluation (`emo eval`). Reports are the CLI's `--json` objects, on one line with "\n". */

/* Accuracy, F1 and the confusion matrix of `count` predictions (count > 0) against gold labels, over `label_count`
 * labels, into *json. */
EMO_API emo_status emo_evaluate(const char* const* gold, const char* const* predicted, size_t count,
                                const char* const* labels, size_t label_count, char** json);
/* `emo eval conv FILE --json`: the model on a labelled conversation file (online, checkpoint_context from params;
 * NULL: defaults). */
EMO_API emo_status emo_eval_conv(const emo_conv_model* model, const char* path, const emo_read_params* read,
                                 const emo_conv_params* params, char** json);
/* `emo eval text FILE --json`: multi-label, multi-class or (a model without an emotion part) regression scores;
 * format NULL: auto; split NULL: every row, else only rows of that split. */
EMO_API emo_status emo_eval_text(const emo_text_model* model, const char* path, const char* format, const char* split,
                                 char** json);
/* `emo eval causes FILE --json`: with `emotions` NULL, targets from gold labels; else from its predictions.
 * Annotation warnings, one per line, into *warnings when it is not NULL (free it too). */
EMO_API emo_status emo_eval_causes(const emo_cause_model* model, const char* path, const emo_read_params* read,
                                   const emo_conv_model* emotions, char** json, char** warnings);
/* `emo eval audio LIST --json`: the model on labelled recordings (speaker_baseline, threads from params). */
EMO_API emo_status emo_eval_audio(const emo_speech_model* model, const char* list_path, const emo_audio_params* params,
                                  char** json);
/* `emo eval audio LIST --folds K --json`: {"population": ..., "speaker": ...} of the training recipe. */
EMO_API emo_status emo_cross_validate_speech(const emo_train_speech_params* params, char** json);

#ifdef __cplusplus
}
#endif

#endif /* EMO_EMO_H */
