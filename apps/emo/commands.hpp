// The subcommands of the `emo` CLI. Each lives in its own file and is a thin client of the library.
#pragma once

#include <CLI/CLI.hpp>

namespace emo::cli {

// Each adds its subcommand to `app`; the subcommand's callback does the work and throws emo::Error (or
// CLI::RuntimeError with an exit code) when the run fails.
void add_conv_command(CLI::App& app);
void add_text_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_pretrain_command(CLI::App& app);
void add_audio_command(CLI::App& app);
void add_face_command(CLI::App& app);
void add_features_command(CLI::App& app);
void add_tokenize_command(CLI::App& app);
void add_models_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_dask_command(CLI::App& app);
// `train text` and `eval text`, added under the `train` and `eval` subcommands.
void add_train_text_command(CLI::App& train);
void add_eval_text_command(CLI::App& eval);
// `train causes` and `eval causes`.
void add_train_causes_command(CLI::App& train);
void add_eval_causes_command(CLI::App& eval);
// `train audio` and `eval audio`.
void add_train_audio_command(CLI::App& train);
void add_eval_audio_command(CLI::App& eval);
// `eval face`.
void add_eval_face_command(CLI::App& eval);

}  // namespace emo::cli
