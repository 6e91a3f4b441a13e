// emo: the command-line tool. Dispatches to one subcommand per file (commands.hpp).
#include "commands.hpp"

#include <emo/emo.hpp>

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"emo: emotion recognition in text, conversations, speech and faces"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "emo 0.1.0");
    emo::cli::add_conv_command(app);
    emo::cli::add_text_command(app);
    emo::cli::add_audio_command(app);
    emo::cli::add_face_command(app);
    emo::cli::add_features_command(app);
    emo::cli::add_train_command(app);
    emo::cli::add_eval_command(app);
    emo::cli::add_pretrain_command(app);
    emo::cli::add_tokenize_command(app);
    emo::cli::add_models_command(app);
    emo::cli::add_serve_command(app);
    emo::cli::add_report_command(app);
    emo::cli::add_dask_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const emo::Error& e) {
        std::cerr << "emo: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "emo: internal error: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
