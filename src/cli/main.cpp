// aelab — the AE Lab command line: train, evaluate, reproduce the page's worked examples and
// benchmark the engine, natively. (Sub-commands arrive with the engine-core issue; this entry
// point already parses options with CLI11 and reports errors without crashing.)
#include "ae/ae.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"aelab — AE Lab, an autoencoder laboratory for teaching (command-line tool)"};
  app.set_version_flag("--version", std::string("aelab ") + ae::kVersion + " (" + ae::build_description() + ")");
  app.require_subcommand(0, 1);
  app.footer("The browser app and the desktop app (aelab-desktop) show the same engine with a UI.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
  }
  return 0;
}
