/* The C API from a C program: every model loads, the records are the CLI's byte for byte (the CLI runs beside it),
 * training writes a model that loads, and bad input of every kind gives a status code and a message naming the input,
 * never a crash. Leak-free, so that it also passes under AddressSanitizer.
 *
 * Usage: test_capi SOURCE_DIR EMO_CLI ARTIFACTS_DIR */
#define _POSIX_C_SOURCE 200809L

#include "emo/emo.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                                             \
    do {                                                                             \
        ++checks;                                                                    \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
            ++failures;                                                              \
        }                                                                            \
    } while (0)

static const char* source_dir;
static const char* cli;
static const char* artifacts;

/* A path under the artifacts folder (static buffer: use it before the next call). */
static const char* artifact(const char* name) {
    static char buffers[8][1024];
    static int next = 0;
    char* b = buffers[next++ % 8];
    snprintf(b, sizeof buffers[0], "%s/%s", artifacts, name);
    return b;
}

static void write_file(const char* path, const char* content) {
    FILE* f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    fputs(content, f);
    fclose(f);
}

/* Standard output of a shell command, malloc'd; NULL when it exits non-zero. */
static char* run(const char* format, ...) {
    char command[8192];
    va_list args;
    va_start(args, format);
    vsnprintf(command, sizeof command, format, args);
    va_end(args);
    FILE* p = popen(command, "r");
    if (!p) return NULL;
    size_t size = 0, capacity = 4096;
    char* out = malloc(capacity);
    for (size_t n; out && (n = fread(out + size, 1, capacity - size - 1, p)) > 0;) {
        size += n;
        if (capacity - size < 2) {
            char* bigger = realloc(out, capacity * 2);
            if (!bigger) break;
            out = bigger;
            capacity *= 2;
        }
    }
    const int status = pclose(p);
    if (!out) return NULL;
    out[size] = '\0';
    if (status != 0) {
        fprintf(stderr, "command failed (%d): %s\n", status, command);
        free(out);
        return NULL;
    }
    return out;
}

static int contains(const char* haystack, const char* needle) { return haystack && strstr(haystack, needle) != NULL; }

/* The call failed with `expected`, and emo_last_error() names `needle`. */
#define EXPECT_FAIL(call, expected, needle)                                                                           \
    do {                                                                                                              \
        const emo_status s_ = (call);                                                                                 \
        CHECK(s_ == (expected), "%s: got %s (%s), expected %s", #call, emo_status_name(s_), emo_last_error(),         \
              emo_status_name(expected));                                                                             \
        CHECK(contains(emo_last_error(), needle), "%s: message \"%s\" does not name \"%s\"", #call, emo_last_error(), \
              needle);                                                                                                \
    } while (0)

#define EXPECT_OK(call)                                                                                  \
    do {                                                                                                 \
        const emo_status s_ = (call);                                                                    \
        CHECK(s_ == EMO_OK, "%s: %s: %s", #call, emo_status_name(s_), emo_last_error());                 \
        CHECK(emo_last_error()[0] == '\0', "%s: last error after success: %s", #call, emo_last_error()); \
    } while (0)

/* `ours` equals the CLI's output byte for byte; frees both. */
static void expect_same(const char* what, char* ours, char* theirs) {
    CHECK(theirs != NULL, "%s: the CLI failed", what);
    CHECK(ours != NULL, "%s: no output from the C API", what);
    if (ours && theirs) {
        CHECK(strcmp(ours, theirs) == 0, "%s: differs from the CLI's\n--- C API:\n%s--- CLI:\n%s", what, ours, theirs);
        CHECK(ours[0] != '\0', "%s: empty output", what);
    }
    emo_string_free(ours);
    free(theirs);
}

static void test_basics(void) {
    CHECK(strlen(emo_version()) >= 5, "version \"%s\"", emo_version());
    CHECK(strcmp(emo_status_name(EMO_ERR_INPUT), "EMO_ERR_INPUT") == 0, "%s", emo_status_name(EMO_ERR_INPUT));
    CHECK(strcmp(emo_status_name((emo_status)99), "unknown status") == 0, "%s", "status 99");
    emo_string_free(NULL);
    emo_doubles_free(NULL);
    emo_conv_model_free(NULL);
    emo_text_model_free(NULL);
    emo_cause_model_free(NULL);
    emo_speech_model_free(NULL);
    char* dir = NULL;
    EXPECT_OK(emo_default_directory(EMO_MODEL_CONV, &dir));
    CHECK(contains(dir, "conv-meld") || getenv("EMO_MODEL_DIR"), "default conv directory %s", dir ? dir : "(null)");
    emo_string_free(dir);
    EXPECT_FAIL(emo_default_directory((emo_model_kind)42, &dir), EMO_ERR_INVALID_ARGUMENT, "kind");
    EXPECT_FAIL(emo_default_directory(EMO_MODEL_CONV, NULL), EMO_ERR_INVALID_ARGUMENT, "out");
}

static void test_conversations(void) {
    char dinner[1024];
    snprintf(dinner, sizeof dinner, "%s/examples/dinner_plans.csv", source_dir);
    emo_conv_model* conv = NULL;
    EXPECT_OK(emo_conv_model_load(NULL, NULL, &conv));
    if (!conv) return;
    emo_cause_model* causes = NULL;
    EXPECT_OK(emo_cause_model_load(NULL, &causes));

    size_t count = 0;
    const char* label = NULL;
    char* json = NULL;
    EXPECT_OK(emo_conv_model_label_count(conv, &count));
    CHECK(count >= 2, "%zu labels", count);
    EXPECT_OK(emo_conv_model_label(conv, 0, &label));
    CHECK(label && label[0], "%s", "label 0");
    EXPECT_OK(emo_conv_model_labels(conv, &json));
    CHECK(json && json[0] == '[' && contains(json, label), "labels %s", json);
    emo_string_free(json);
    EXPECT_OK(emo_conv_model_sentiment_labels(conv, &json));
    emo_string_free(json);
    EXPECT_FAIL(emo_conv_model_label(conv, count, &label), EMO_ERR_INVALID_ARGUMENT, "out of range");
    EXPECT_FAIL(emo_conv_model_label_count(NULL, &count), EMO_ERR_INVALID_ARGUMENT, "model");

    /* The CLI's records, byte for byte, with each group of options. */
    char* out = NULL;
    EXPECT_OK(emo_conv_analyze_file(conv, dinner, NULL, NULL, &out));
    expect_same("conv", out, run("'%s' conv '%s'", cli, dinner));

    emo_conv_params params = emo_conv_default_params();
    params.output = EMO_OUTPUT_CSV;
    EXPECT_OK(emo_conv_analyze_file(conv, dinner, NULL, &params, &out));
    expect_same("conv --output csv", out, run("'%s' conv --output csv '%s'", cli, dinner));

    params = emo_conv_default_params();
    params.online = true;
    params.max_evidence = 2;
    EXPECT_OK(emo_conv_analyze_file(conv, dinner, NULL, &params, &out));
    expect_same("conv --online --evidence 2", out, run("'%s' conv --online --evidence 2 '%s'", cli, dinner));

    params = emo_conv_default_params();
    params.causes = causes;
    params.cause_candidates = true;
    params.dynamics = true;
    EXPECT_OK(emo_conv_analyze_file(conv, dinner, NULL, &params, &out));
    CHECK(contains(out, "{\"dynamics\":"), "%s", "no dynamics line");
    expect_same("conv --causes --cause-scores --dynamics", out,
                run("'%s' conv --causes --cause-scores --dynamics '%s'", cli, dinner));

    /* A JSON string: an array of utterance records reads as the same records in a .jsonl file. */
    const char* records =
        "[{\"dialogue_id\": \"d1\", \"speaker\": \"Ana\", \"text\": \"I finally got the job!\"},\n"
        " {\"dialogue_id\": \"d1\", \"speaker\": \"Ben\", \"text\": \"No way, that is wonderful.\", \"label\": "
        "\"joy\"},\n"
        " {\"dialogue_id\": \"d2\", \"speaker\": \"Ana\", \"text\": \"Why did you lie to me?\"}]";
    const char* jsonl_path = artifact("records.jsonl");
    write_file(jsonl_path,
               "{\"dialogue_id\": \"d1\", \"speaker\": \"Ana\", \"text\": \"I finally got the job!\"}\n"
               "{\"dialogue_id\": \"d1\", \"speaker\": \"Ben\", \"text\": \"No way, that is wonderful.\", \"label\": "
               "\"joy\"}\n"
               "{\"dialogue_id\": \"d2\", \"speaker\": \"Ana\", \"text\": \"Why did you lie to me?\"}\n");
    EXPECT_OK(emo_conv_analyze_json(conv, records, NULL, NULL, &out));
    expect_same("conv of a JSON string", out, run("'%s' conv '%s'", cli, jsonl_path));
    /* ... and the `json` format's dialogue objects too. */
    EXPECT_OK(emo_conv_analyze_json(
        conv, "{\"dialogue_id\": \"d9\", \"utterances\": [{\"speaker\": \"A\", \"text\": \"Great news!\"}]}", NULL,
        NULL, &out));
    CHECK(contains(out, "\"d9\""), "dialogue object: %s", out);
    emo_string_free(out);

    /* --on-error skip keeps the bad record with its error, as the CLI does. */
    const char* bad_path = artifact("bad_record.jsonl");
    write_file(bad_path,
               "{\"dialogue_id\": \"d1\", \"speaker\": \"Ana\", \"text\": \"Hello there.\"}\n"
               "{\"dialogue_id\": \"d1\", \"speaker\": \"Ben\"}\n");
    emo_read_params read = emo_read_default_params();
    read.on_error = "skip";
    EXPECT_OK(emo_conv_analyze_file(conv, bad_path, &read, NULL, &out));
    CHECK(contains(out, "\"error\""), "skip: %s", out);
    expect_same("conv --on-error skip", out, run("'%s' conv --on-error skip '%s' 2>/dev/null", cli, bad_path));
    EXPECT_FAIL(emo_conv_analyze_file(conv, bad_path, NULL, NULL, &out), EMO_ERR_INPUT, "bad_record.jsonl:2");
    CHECK(out == NULL, "%s", "output after a failure");

    /* Bad input. */
    EXPECT_FAIL(emo_conv_analyze_file(NULL, dinner, NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "model");
    EXPECT_FAIL(emo_conv_analyze_file(conv, NULL, NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "path");
    EXPECT_FAIL(emo_conv_analyze_file(conv, dinner, NULL, NULL, NULL), EMO_ERR_INVALID_ARGUMENT, "out");
    EXPECT_FAIL(emo_conv_analyze_file(conv, "/nonexistent/talk.csv", NULL, NULL, &out), EMO_ERR_INPUT,
                "/nonexistent/talk.csv");
    EXPECT_FAIL(emo_conv_analyze_json(conv, NULL, NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "json");
    EXPECT_FAIL(emo_conv_analyze_json(conv, "[{\"dialogue_id\": ", NULL, NULL, &out), EMO_ERR_INPUT, "json");
    EXPECT_FAIL(emo_conv_analyze_json(conv, "[]", NULL, NULL, &out), EMO_ERR_INPUT, "json");
    EXPECT_FAIL(emo_conv_analyze_json(
                    conv, "[{\"dialogue_id\": \"d\", \"speaker\": \"A\", \"text\": \"Hi\"}, {\"speaker\": 3}]", NULL,
                    NULL, &out),
                EMO_ERR_INPUT, "json:2");
    EXPECT_FAIL(emo_conv_analyze_json(conv, "[{\"dialogue_id\": \"d\", \"speaker\": \"A\", \"text\": \"caf\xe9\"}]",
                                      NULL, NULL, &out),
                EMO_ERR_INPUT, "UTF-8");
    read = emo_read_default_params();
    read.format = "xml";
    EXPECT_FAIL(emo_conv_analyze_file(conv, dinner, &read, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "xml");
    read = emo_read_default_params();
    read.on_error = "ignore";
    EXPECT_FAIL(emo_conv_analyze_file(conv, dinner, &read, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "on_error");
    params = emo_conv_default_params();
    params.output = (emo_output)7;
    EXPECT_FAIL(emo_conv_analyze_file(conv, dinner, NULL, &params, &out), EMO_ERR_INVALID_ARGUMENT, "output");
    params = emo_conv_default_params();
    params.output = EMO_OUTPUT_CSV;
    params.dynamics = true;
    EXPECT_FAIL(emo_conv_analyze_file(conv, dinner, NULL, &params, &out), EMO_ERR_INVALID_ARGUMENT, "dynamics");
    params = emo_conv_default_params();
    params.gold_emotions = true;
    EXPECT_FAIL(emo_conv_analyze_file(conv, dinner, NULL, &params, &out), EMO_ERR_INVALID_ARGUMENT, "causes");

    emo_conv_model* missing = (emo_conv_model*)&count; /* must be reset to NULL */
    EXPECT_FAIL(emo_conv_model_load("/nonexistent/model", NULL, &missing), EMO_ERR_MODEL, "/nonexistent/model");
    CHECK(missing == NULL, "%s", "handle after a failed load");
    emo_checkpoint_params checkpoint = emo_checkpoint_default_params();
    checkpoint.threads = -1;
    EXPECT_FAIL(emo_conv_model_load(NULL, &checkpoint, &missing), EMO_ERR_INVALID_ARGUMENT, "threads");

    /* emo eval conv: the file has no gold labels. */
    EXPECT_FAIL(emo_eval_conv(conv, dinner, NULL, NULL, &json), EMO_ERR_INPUT, "gold label");
    const char* labelled = artifact("labelled.csv");
    write_file(labelled,
               "dialogue_id,speaker,text,label\n"
               "d1,Ana,I finally got the job!,joy\n"
               "d1,Ben,\"Oh no, that is awful.\",sadness\n"
               "d1,Ana,Okay.,neutral\n");
    EXPECT_OK(emo_eval_conv(conv, labelled, NULL, NULL, &json));
    expect_same("eval conv --json", json, run("'%s' eval conv --json '%s'", cli, labelled));

    /* emo eval causes on annotated conversations. */
    const char* annotated = artifact("causes.jsonl");
    write_file(annotated,
               "{\"dialogue_id\": \"c1\", \"speaker\": \"A\", \"text\": \"I finally got the job!\", \"label\": "
               "\"happiness\", \"causes\": [0]}\n"
               "{\"dialogue_id\": \"c1\", \"speaker\": \"B\", \"text\": \"No way, that is wonderful.\", \"label\": "
               "\"happiness\", \"causes\": [0, 1]}\n"
               "{\"dialogue_id\": \"c1\", \"speaker\": \"A\", \"text\": \"Thanks.\", \"label\": \"neutral\"}\n");
    char* warnings = NULL;
    double threshold = -1;
    EXPECT_OK(emo_cause_model_threshold(causes, &threshold));
    CHECK(threshold > 0 && threshold < 1, "threshold %g", threshold);
    EXPECT_OK(emo_eval_causes(causes, annotated, NULL, NULL, &json, &warnings));
    CHECK(warnings != NULL, "%s", "warnings");
    emo_string_free(warnings);
    expect_same("eval causes --json", json, run("'%s' eval causes --json '%s' 2>/dev/null", cli, annotated));
    EXPECT_OK(emo_eval_causes(causes, annotated, NULL, conv, &json, NULL));
    expect_same("eval causes --emotions predicted --json", json,
                run("'%s' eval causes --emotions predicted --json '%s' 2>/dev/null", cli, annotated));
    EXPECT_FAIL(emo_eval_causes(NULL, annotated, NULL, NULL, &json, NULL), EMO_ERR_INVALID_ARGUMENT, "model");

    emo_cause_model_free(causes);
    emo_conv_model_free(conv);
}

/* One thread's use of a shared text model. */
struct worker {
    const emo_text_model* model;
    emo_status status;
    char* out;
    char error_at_start[256];
};

static const char* worker_texts[] = {"I love this!", "This is terrible and I am angry."};

static void* analyse_in_thread(void* arg) {
    struct worker* w = arg;
    /* Another thread's failure does not show here: the last error is per thread. */
    snprintf(w->error_at_start, sizeof w->error_at_start, "%s", emo_last_error());
    w->status = emo_text_analyze_batch(w->model, worker_texts, 2, NULL, &w->out);
    return NULL;
}

/* Two threads share one handle while this thread holds a failure of its own. */
static void test_threads(const emo_text_model* text) {
    char* expected = NULL;
    EXPECT_OK(emo_text_analyze_batch(text, worker_texts, 2, NULL, &expected));
    emo_text_params params = emo_text_default_params();
    params.perspective = "sideways";
    char* out = NULL;
    EXPECT_FAIL(emo_text_analyze(text, "hi", &params, &out), EMO_ERR_INVALID_ARGUMENT, "sideways");
    struct worker workers[2];
    pthread_t threads[2];
    for (int i = 0; i < 2; ++i) {
        workers[i].model = text;
        workers[i].status = EMO_ERR_INTERNAL;
        workers[i].out = NULL;
        workers[i].error_at_start[0] = '\0';
        CHECK(pthread_create(&threads[i], NULL, analyse_in_thread, &workers[i]) == 0, "%s", "pthread_create");
    }
    for (int i = 0; i < 2; ++i) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].status == EMO_OK, "thread %d: %s", i, emo_status_name(workers[i].status));
        CHECK(workers[i].error_at_start[0] == '\0', "thread %d saw \"%s\"", i, workers[i].error_at_start);
        CHECK(expected && workers[i].out && strcmp(workers[i].out, expected) == 0, "thread %d's records differ", i);
        emo_string_free(workers[i].out);
    }
    CHECK(contains(emo_last_error(), "sideways"), "this thread's last error: %s", emo_last_error());
    emo_string_free(expected);
}

static void test_texts(void) {
    emo_text_model* text = NULL;
    EXPECT_OK(emo_text_model_load(NULL, NULL, NULL, &text));
    if (!text) return;
    size_t count = 0;
    bool multilabel = false;
    char* json = NULL;
    EXPECT_OK(emo_text_model_label_count(text, &count));
    CHECK(count >= 2, "%zu labels", count);
    EXPECT_OK(emo_text_model_multilabel(text, &multilabel));
    CHECK(multilabel, "%s", "the built-in text model is multi-label");
    EXPECT_OK(emo_text_model_perspectives(text, &json));
    CHECK(contains(json, "average"), "perspectives %s", json);
    emo_string_free(json);

    char* out = NULL;
    EXPECT_OK(emo_text_analyze(text, "What a lovely surprise!", NULL, &out));
    expect_same("text", out, run("'%s' text 'What a lovely surprise!'", cli));

    const char* texts[] = {"I love this!", "This is terrible and I am angry.", ""};
    EXPECT_OK(emo_text_analyze_batch(text, texts, 3, NULL, &out));
    expect_same("text batch", out, run("'%s' text 'I love this!' 'This is terrible and I am angry.' ''", cli));

    emo_text_params params = emo_text_default_params();
    params.perspective = "both";
    params.max_evidence = 0;
    EXPECT_OK(emo_text_analyze_batch(text, texts, 2, &params, &out));
    expect_same(
        "text --perspective both --evidence 0", out,
        run("'%s' text --perspective both --evidence 0 'I love this!' 'This is terrible and I am angry.'", cli));

    const char* lines = artifact("texts.txt");
    write_file(lines, "So happy for you\nI am scared of the dark\n");
    EXPECT_OK(emo_text_analyze_file(text, lines, "lines", NULL, &out));
    expect_same("text --input", out, run("'%s' text --input '%s' --format lines", cli, lines));

    /* Invalid UTF-8 fails naming the text, or is kept as a record's error with on_error skip. */
    const char* bad[] = {"fine", "caf\xe9"};
    EXPECT_FAIL(emo_text_analyze_batch(text, bad, 2, NULL, &out), EMO_ERR_INPUT, "texts[1]");
    EXPECT_FAIL(emo_text_analyze(text, "\xff\xfe", NULL, &out), EMO_ERR_INPUT, "UTF-8");
    params = emo_text_default_params();
    params.on_error = "skip";
    EXPECT_OK(emo_text_analyze_batch(text, bad, 2, &params, &out));
    CHECK(contains(out, "\"error\""), "skip: %s", out);
    emo_string_free(out);

    const char* with_null[] = {"fine", NULL};
    EXPECT_FAIL(emo_text_analyze_batch(text, with_null, 2, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "texts[1]");
    EXPECT_FAIL(emo_text_analyze_batch(text, texts, 0, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "texts");
    EXPECT_FAIL(emo_text_analyze_batch(text, NULL, 2, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "texts");
    EXPECT_FAIL(emo_text_analyze(NULL, "hi", NULL, &out), EMO_ERR_INVALID_ARGUMENT, "model");
    EXPECT_FAIL(emo_text_analyze(text, NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "text");
    params = emo_text_default_params();
    params.perspective = "sideways";
    EXPECT_FAIL(emo_text_analyze(text, "hi", &params, &out), EMO_ERR_INVALID_ARGUMENT, "sideways");
    EXPECT_FAIL(emo_text_analyze_file(text, lines, "xml", NULL, &out), EMO_ERR_INVALID_ARGUMENT, "xml");
    EXPECT_FAIL(emo_text_analyze_file(text, "/nonexistent/texts.txt", NULL, NULL, &out), EMO_ERR_INPUT,
                "/nonexistent/texts.txt");
    emo_text_model* none = NULL;
    EXPECT_FAIL(emo_text_model_load("", "", NULL, &none), EMO_ERR_INVALID_ARGUMENT, "nothing to load");

    test_threads(text);

    /* emo eval text. */
    const char* labelled = artifact("labelled_texts.csv");
    write_file(labelled,
               "text,label\nI am so happy today,joy\nThis makes me furious,anger\nThank you so much,gratitude\n");
    EXPECT_OK(emo_eval_text(text, labelled, NULL, NULL, &json));
    expect_same("eval text --json", json, run("'%s' eval text --json '%s'", cli, labelled));
    emo_text_model_free(text);

    /* The VAD part alone is scored on its targets (emo eval text --vad). */
    emo_text_model* vad = NULL;
    EXPECT_OK(emo_text_model_load("", NULL, NULL, &vad));
    if (vad) {
        EXPECT_OK(emo_text_model_label_count(vad, &count));
        CHECK(count == 0, "%zu labels without an emotion part", count);
        const char* rated = artifact("rated_texts.csv");
        write_file(rated,
                   "text,V,A,D\nI am so happy today,4.1,3.5,3.2\nThis makes me furious,1.6,4.2,3.4\n"
                   "The meeting is at noon,3.0,2.8,3.0\n");
        EXPECT_OK(emo_eval_text(vad, rated, NULL, NULL, &json));
        expect_same("eval text --vad --json", json, run("'%s' eval text --vad --json '%s'", cli, rated));
        emo_text_model_free(vad);
    }
}

/* A second of a 220 Hz tone whose loudness swells and fades, as a voice's would. */
static float* tone(size_t count, int rate) {
    float* samples = malloc(count * sizeof *samples);
    for (size_t i = 0; samples && i < count; ++i) {
        const double t = (double)i / rate;
        samples[i] = (float)(0.3 * sin(3.14159265358979 * t) * sin(2 * 3.14159265358979 * (220 + 20 * t) * t));
    }
    return samples;
}

static void test_features_of_file(const char* audio) {
    double values[88];
    EXPECT_OK(emo_egemaps_file(audio, values, 88));
    char* csv = run("'%s' features '%s'", cli, audio);
    CHECK(csv != NULL, "%s", "emo features failed");
    if (csv) {
        const char* row = strchr(csv, '\n');
        CHECK(row != NULL, "%s", "no data row");
        /* The row: the file, then the 88 numbers as `emo features` prints them (%.7g). */
        const char* field = row ? strchr(row + 1, ',') : NULL;
        for (size_t i = 0; field && i < 88; ++i) {
            char mine[64];
            snprintf(mine, sizeof mine, "%.7g", values[i]);
            const size_t n = strcspn(field + 1, ",\n");
            CHECK(strlen(mine) == n && strncmp(mine, field + 1, n) == 0, "functional %zu (%s): %s vs the CLI's %.*s", i,
                  emo_egemaps_name(i), mine, (int)n, field + 1);
            field = strchr(field + 1, ',');
        }
        free(csv);
    }
    double* lld = NULL;
    size_t frames = 0;
    EXPECT_OK(emo_egemaps_lld_file(audio, &lld, &frames));
    char* lld_csv = run("'%s' features --lld '%s'", cli, audio);
    size_t lines = 0;
    for (const char* p = lld_csv; p && *p; ++p) lines += *p == '\n';
    CHECK(lld_csv && frames > 0 && frames + 1 == lines, "%zu frames, the CLI %zu lines", frames, lines);
    free(lld_csv);
    emo_doubles_free(lld);

    const char* paths[] = {audio};
    char* json = NULL;
    emo_features_params params = emo_features_default_params();
    EXPECT_OK(emo_egemaps_json(paths, 1, &params, &json));
    CHECK(contains(json, "\"values\":[") && contains(json, "\"start\":null"), "features json %.200s", json);
    emo_string_free(json);
    params.segments = true;
    params.lld = true;
    EXPECT_OK(emo_egemaps_json(paths, 1, &params, &json));
    CHECK(contains(json, "\"values\":[[") && !contains(json, "\"start\":null"), "lld json %.200s", json);
    emo_string_free(json);
}

static void test_audio(void) {
    CHECK(emo_egemaps_count() == 88, "%zu functionals", emo_egemaps_count());
    CHECK(emo_egemaps_lld_count() == 25, "%zu LLDs", emo_egemaps_lld_count());
    CHECK(emo_egemaps_name(0) && emo_egemaps_name(88) == NULL, "%s", "functional names");
    CHECK(emo_egemaps_lld_name(24) && emo_egemaps_lld_name(25) == NULL, "%s", "LLD names");

    emo_speech_model* speech = NULL;
    EXPECT_OK(emo_speech_model_load(NULL, &speech));
    if (!speech) return;
    size_t count = 0;
    char* json = NULL;
    EXPECT_OK(emo_speech_model_label_count(speech, &count));
    CHECK(count >= 2, "%zu labels", count);
    EXPECT_OK(emo_speech_model_labels(speech, &json));
    CHECK(json && json[0] == '[', "labels %s", json);
    emo_string_free(json);
    EXPECT_OK(emo_speech_model_min_baseline_recordings(speech, &count));

    /* A recording in memory. */
    const int rate = 16000;
    const size_t n = (size_t)rate;
    float* samples = tone(n, rate);
    double values[88];
    EXPECT_OK(emo_egemaps_samples(samples, n, rate, values, 88));
    size_t finite = 0;
    for (size_t i = 0; i < 88; ++i) finite += isfinite(values[i]) != 0;
    CHECK(finite == 88, "%zu of 88 functionals finite", finite);
    double* lld = NULL;
    size_t frames = 0;
    EXPECT_OK(emo_egemaps_lld_samples(samples, n, rate, &lld, &frames));
    CHECK(frames >= 90 && frames <= 101, "%zu frames in a second", frames);
    emo_doubles_free(lld);
    char* out = NULL;
    EXPECT_OK(emo_audio_analyze_samples(speech, samples, n, rate, "tone", NULL, NULL, &out));
    CHECK(contains(out, "\"file\":\"tone\"") && contains(out, "\"emotion\""), "tone: %s", out);
    emo_string_free(out);
    emo_features_params features = emo_features_default_params();
    features.lld = true;
    EXPECT_OK(emo_egemaps_samples_json(samples, n, rate, "tone", &features, &json));
    CHECK(contains(json, "{\"file\":\"tone\",\"start\":null,\"end\":null,\"values\":[["), "tone's LLDs: %.200s", json);
    emo_string_free(json);

    /* Bad recordings in memory. */
    samples[100] = NAN;
    EXPECT_FAIL(emo_audio_analyze_samples(speech, samples, n, rate, "nan-recording", NULL, NULL, &out), EMO_ERR_INPUT,
                "nan-recording");
    EXPECT_FAIL(emo_egemaps_samples(samples, n, rate, values, 88), EMO_ERR_INPUT, "sample 100");
    samples[100] = 0;
    EXPECT_FAIL(emo_audio_analyze_samples(speech, samples, n, 10, "slow", NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT,
                "sample_rate");
    EXPECT_FAIL(emo_audio_analyze_samples(speech, NULL, n, rate, "x", NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT,
                "samples");
    EXPECT_FAIL(emo_audio_analyze_samples(speech, samples, 0, rate, "x", NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT,
                "samples");
    EXPECT_FAIL(emo_audio_analyze_samples(NULL, samples, n, rate, "x", NULL, NULL, &out), EMO_ERR_INVALID_ARGUMENT,
                "model");
    EXPECT_FAIL(emo_egemaps_samples(samples, n, rate, values, 87), EMO_ERR_INVALID_ARGUMENT, "88");
    EXPECT_FAIL(emo_egemaps_samples(samples, n, rate, NULL, 88), EMO_ERR_INVALID_ARGUMENT, "values");
    EXPECT_FAIL(emo_egemaps_lld_samples(samples, n, rate, NULL, &frames), EMO_ERR_INVALID_ARGUMENT, "values");
    free(samples);

    /* Files. */
    const char* missing[] = {"/nonexistent/voice.wav"};
    EXPECT_FAIL(emo_audio_analyze_files(speech, missing, NULL, 1, NULL, &out), EMO_ERR_INPUT, "/nonexistent/voice.wav");
    emo_audio_params params = emo_audio_default_params();
    params.on_error = "skip";
    EXPECT_OK(emo_audio_analyze_files(speech, missing, NULL, 1, &params, &out));
    CHECK(contains(out, "\"error\""), "skip: %s", out);
    emo_string_free(out);
    EXPECT_FAIL(emo_audio_analyze_files(speech, missing, NULL, 0, NULL, &out), EMO_ERR_INVALID_ARGUMENT, "paths");
    EXPECT_FAIL(emo_egemaps_file("/nonexistent/voice.wav", values, 88), EMO_ERR_INPUT, "/nonexistent/voice.wav");
    EXPECT_FAIL(emo_egemaps_json(missing, 1, NULL, &json), EMO_ERR_INPUT, "/nonexistent/voice.wav");
    EXPECT_FAIL(emo_egemaps_file(NULL, values, 88), EMO_ERR_INVALID_ARGUMENT, "path");

    char first[1024], second[1024];
    snprintf(first, sizeof first, "%s/../shared/data/ravdess_speech/Actor_01/03-01-01-01-01-01-01.flac", source_dir);
    snprintf(second, sizeof second, "%s/../shared/data/ravdess_speech/Actor_01/03-01-05-01-01-01-01.flac", source_dir);
    struct stat st;
    if (stat(first, &st) != 0 || stat(second, &st) != 0) {
        fprintf(stderr, "skipped: the audio file checks (RAVDESS is absent: %s)\n", first);
    } else {
        const char* files[] = {first, second};
        EXPECT_OK(emo_audio_analyze_files(speech, files, NULL, 2, NULL, &out));
        expect_same("audio", out, run("'%s' audio '%s' '%s'", cli, first, second));
        const char* speakers[] = {"01", "01"};
        params = emo_audio_default_params();
        params.segments = true;
        params.max_evidence = 1;
        EXPECT_OK(emo_audio_analyze_files(speech, files, speakers, 2, &params, &out));
        expect_same("audio --segments --speaker --evidence 1", out,
                    run("'%s' audio --segments --speaker 01 --evidence 1 '%s' '%s'", cli, first, second));
        test_features_of_file(first);

        const char* list = artifact("recordings.csv");
        char content[4096];
        snprintf(content, sizeof content, "path,emotion,speaker\n%s,neutral,01\n%s,angry,01\n", first, second);
        write_file(list, content);
        EXPECT_OK(emo_eval_audio(speech, list, NULL, &json));
        expect_same("eval audio --json", json, run("'%s' eval audio --json '%s'", cli, list));
    }
    emo_speech_model_free(speech);
}

static void test_evaluate(void) {
    const char* gold[] = {"joy", "anger", "joy"};
    const char* predicted[] = {"joy", "joy", "joy"};
    const char* labels[] = {"anger", "joy"};
    char* json = NULL;
    EXPECT_OK(emo_evaluate(gold, predicted, 3, labels, 2, &json));
    CHECK(contains(json, "\"accuracy\""), "report %s", json);
    emo_string_free(json);
    const char* unknown[] = {"joy", "fear", "joy"};
    EXPECT_FAIL(emo_evaluate(gold, unknown, 3, labels, 2, &json), EMO_ERR_INPUT, "fear");
    EXPECT_FAIL(emo_evaluate(gold, predicted, 0, labels, 2, &json), EMO_ERR_INVALID_ARGUMENT, "gold");
    EXPECT_FAIL(emo_evaluate(gold, NULL, 3, labels, 2, &json), EMO_ERR_INVALID_ARGUMENT, "predicted");
}

static void test_training(void) {
    /* A small multi-class text model, trained, loaded and scored. */
    const char* data = artifact("train_texts.csv");
    FILE* f = fopen(data, "wb");
    if (!f) exit(2);
    fputs("text,label\n", f);
    const char* happy[] = {"what a wonderful day", "I love it so much",        "this is great news",
                           "so happy for you",     "best gift ever thank you", "we won the game"};
    const char* angry[] = {"this is outrageous", "I hate waiting in line", "stop lying to me",
                           "you broke it again", "what a stupid rule",     "get out of my room"};
    for (int round = 0; round < 3; ++round)
        for (int i = 0; i < 6; ++i) fprintf(f, "%s %d,joy\n%s %d,anger\n", happy[i], round, angry[i], round);
    fclose(f);
    emo_train_text_params params = emo_train_text_default_params();
    params.task = "multiclass";
    params.train_path = data;
    params.out_dir = artifact("text-model");
    params.vectors_path = "none";
    params.c = 1;
    params.hash_bits = 12;
    params.min_df = 1;
    params.folds = 2;
    params.threads = 1;
    params.verbose = false;
    EXPECT_OK(emo_train_text(&params));
    emo_text_model* trained = NULL;
    EXPECT_OK(emo_text_model_load_one(params.out_dir, NULL, &trained));
    if (trained) {
        size_t count = 0;
        EXPECT_OK(emo_text_model_label_count(trained, &count));
        CHECK(count == 2, "%zu labels", count);
        char* json = NULL;
        EXPECT_OK(emo_eval_text(trained, data, NULL, NULL, &json));
        CHECK(contains(json, "\"accuracy\""), "report %s", json);
        emo_string_free(json);
        emo_text_model_free(trained);
    }

    /* Bad parameters of each trainer. */
    EXPECT_FAIL(emo_train_text(NULL), EMO_ERR_INVALID_ARGUMENT, "params");
    params.task = "clustering";
    EXPECT_FAIL(emo_train_text(&params), EMO_ERR_INVALID_ARGUMENT, "clustering");
    params.task = "multiclass";
    params.hash_bits = 40;
    EXPECT_FAIL(emo_train_text(&params), EMO_ERR_INVALID_ARGUMENT, "hash_bits");
    params.hash_bits = 0;
    params.train_path = "/nonexistent/train.csv";
    EXPECT_FAIL(emo_train_text(&params), EMO_ERR_INPUT, "/nonexistent/train.csv");
    params.train_path = NULL;
    EXPECT_FAIL(emo_train_text(&params), EMO_ERR_INVALID_ARGUMENT, "train_path");

    emo_train_conv_params conv = emo_train_conv_default_params();
    EXPECT_FAIL(emo_train_conv(&conv), EMO_ERR_INVALID_ARGUMENT, "train_path");
    conv.train_path = "/nonexistent/train.csv";
    conv.out_dir = artifact("conv-model");
    conv.c = NAN;
    EXPECT_FAIL(emo_train_conv(&conv), EMO_ERR_INVALID_ARGUMENT, "params.c");
    conv.c = 0;
    conv.verbose = false;
    EXPECT_FAIL(emo_train_conv(&conv), EMO_ERR_INPUT, "/nonexistent/train.csv");

    emo_train_causes_params causes = emo_train_causes_default_params();
    causes.train_path = "/nonexistent/causes.json";
    EXPECT_FAIL(emo_train_causes(&causes), EMO_ERR_INVALID_ARGUMENT, "out_dir");

    emo_train_speech_params speech = emo_train_speech_default_params();
    CHECK(speech.augment_count == 2 && speech.augment[0] == 0.9, "%s", "default augmentation");
    EXPECT_FAIL(emo_train_speech(&speech), EMO_ERR_INVALID_ARGUMENT, "data_path");
    speech.data_path = "/nonexistent/labels.csv";
    speech.folds = 1;
    char* json = NULL;
    EXPECT_FAIL(emo_cross_validate_speech(&speech, &json), EMO_ERR_INVALID_ARGUMENT, "folds");
    const double bad_factor[] = {0.0};
    speech.augment = bad_factor;
    speech.augment_count = 1;
    speech.out_dir = artifact("speech-model");
    EXPECT_FAIL(emo_train_speech(&speech), EMO_ERR_INVALID_ARGUMENT, "augment[0]");
}

int main(int argc, char** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s SOURCE_DIR EMO_CLI ARTIFACTS_DIR\n", argv[0]);
        return 2;
    }
    source_dir = argv[1];
    cli = argv[2];
    artifacts = argv[3];
    char command[2048];
    snprintf(command, sizeof command, "mkdir -p '%s'", artifacts);
    if (system(command) != 0) return 2;

    test_basics();
    test_conversations();
    test_texts();
    test_audio();
    test_evaluate();
    test_training();

    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return failures == 0 ? 0 : 1;
}
