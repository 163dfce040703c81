// url_state.h — the scene in the page's address: ?lesson=4&seed=7&scale=1.5&theme=light
// reopens the same lesson, seed, text size and theme. Out-of-range or unknown values are ignored
// with a message on screen, never applied. Natively these do nothing (the desktop app has flags).
#pragma once

#include <string>

namespace app {

struct App;

// Reads the page's URL parameters into the app (once, at start-up).
void url_state_apply(App& app);
// The parameters describing the current scene, e.g. "lesson=4&seed=7&scale=1.25".
std::string url_state_query(const App& app);
// Writes them into the address bar (history.replaceState), so the link can be copied.
void url_state_publish(const App& app);

// Parses one query string (without '?'); exposed for tests. Returns messages for rejected values.
std::string url_state_parse(App& app, const std::string& query);

}  // namespace app
