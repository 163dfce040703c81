// app_files.h — the app's files, inside src/app: the File menu (open, save a model, the curves, the
// scene as a lesson) and the "Your data" panel. The entry points are in app.h (app_open_files,
// app_model_file, app_curves_csv).
#pragma once

#include "app/app.h"

namespace app {

// The File menu of the menu bar.
void file_menu(App& app);
// In the side panel, above the scene's controls, while the scene shows the learner's own data: what
// was read, the limits, the reading options (picture side, invert, CSV label column) and a way back.
void own_data_panel(App& app);
// Saves the scene as a lesson file (File menu, and the Lessons menu's item).
void save_scene_as_lesson(App& app);
// Inside a view's window (after ImGui::Begin): its right-click menu, "Save this view as PNG"
// (the file is named aelab-NAME.png).
void view_picture_menu(App& app, const char* name);

}  // namespace app
