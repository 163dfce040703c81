// aelab — the AE Lab command line: train, evaluate, step through worked examples, compare with
// PCA. Every error is a message and a non-zero exit status, never a crash.
#include "cli.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  CLI::App app{"aelab — AE Lab, an autoencoder laboratory for teaching (command-line tool)"};
  app.set_version_flag("--version", std::string("aelab ") + ae::kVersion + " (" + ae::build_description() + ")");
  app.require_subcommand(1, 1);
  app.footer(
      "Examples:\n"
      "  aelab train --data mnist --layers 32 --activation relu --loss bce --optimizer adam --lr 1e-3 \\\n"
      "              --batch 256 --epochs 50 --save mnist32.aelab --curve mnist32.csv\n"
      "  aelab eval mnist32.aelab --data mnist\n"
      "  aelab train --variant vae --data mnist --latent 2 --save vae.aelab    (also: aelab vae …)\n"
      "  aelab train --variant stacked --data mnist --layers 256,64 --save clf.aelab    (also: aelab stacked …)\n"
      "  aelab step assets/worked-examples/backprop-2-2-2.json\n"
      "  aelab pca --data mnist --k 30\n"
      "  aelab lessons --check my-lessons/\n"
      "Each command has --help. The browser app and the desktop app (aelab-desktop) show the same engine.");
  // `aelab train --config f.json`: CLI11 2.1 reads config files at the top level only, so the
  // option lives there and its tokens are moved in front of the sub-command.
  app.config_formatter(cli::json_config("train"));
  app.set_config("--config", "", "JSON file with `train` options (see aelab train --help)");
  app.allow_config_extras(CLI::config_extras_mode::error);
  std::vector<std::string> forward_args(argv + 1, argv + argc), config_tokens;
  for (size_t i = 0; i < forward_args.size(); ++i) {
    if (forward_args[i] == "--config" && i + 1 < forward_args.size()) {
      config_tokens = {forward_args[i], forward_args[i + 1]};
      forward_args.erase(forward_args.begin() + std::ptrdiff_t(i), forward_args.begin() + std::ptrdiff_t(i) + 2);
      break;
    }
    if (forward_args[i].rfind("--config=", 0) == 0) {
      config_tokens = {forward_args[i]};
      forward_args.erase(forward_args.begin() + std::ptrdiff_t(i));
      break;
    }
  }
  // `aelab vae …` / `aelab stacked …` are short for `aelab train --variant vae|stacked …`.
  for (size_t i = 0; i < forward_args.size(); ++i) {
    if (forward_args[i].rfind("-", 0) == 0) continue;
    if (forward_args[i] == "vae" || forward_args[i] == "stacked") {
      const std::string variant = forward_args[i];
      forward_args[i] = "train";
      forward_args.insert(forward_args.begin() + std::ptrdiff_t(i) + 1, {"--variant", variant});
    }
    break;  // only the first word that is not an option names the command
  }
  forward_args.insert(forward_args.begin(), config_tokens.begin(), config_tokens.end());
  std::vector<std::string> args(forward_args.rbegin(), forward_args.rend());  // CLI11 takes them reversed
  cli::add_train_command(app);
  cli::add_eval_command(app);
  cli::add_step_command(app);
  cli::add_pca_command(app);
  cli::add_bench_command(app);
  cli::add_lessons_command(app);
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const ae::Error& e) {
    std::fprintf(stderr, "aelab: error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "aelab: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    // Every reader turns bad input into ae::Error (the fuzzers check it); anything else is a defect
    // of aelab, still reported as a message rather than std::terminate.
    std::fprintf(stderr, "aelab: internal error (please report it with the command line): %s\n", e.what());
    return 70;  // EX_SOFTWARE
  }
  return cli::exit_status();
}
