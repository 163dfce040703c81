// app_files.cpp — files in and out of the lab: the learner's own data, model files, the curves, the
// File menu and the "Your data" panel (app_files.h, app.h).
#include "app_files.h"

#include "app/host.h"
#include "app/i18n.h"
#include "app/theme.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {

namespace {

// ---- Own data in the toy scene --------------------------------------------------------------------

// 2-D and 3-D points into the unit square (cube) the toy view draws and a sigmoid output reaches:
// x' = 0.05 + 0.9 (x − m) / r, with m the smallest value of each coordinate and r the largest range
// of any coordinate (one scale for all axes, so shapes keep their proportions).
void use_own_points(App& app, OwnData&& data) {
  ae::Dataset<float> all = std::move(data.train);
  const Eigen::Index n_train = all.x.cols();
  all.x.conservativeResize(Eigen::NoChange, n_train + data.test.x.cols());
  all.x.rightCols(data.test.x.cols()) = data.test.x;
  all.labels.insert(all.labels.end(), data.test.labels.begin(), data.test.labels.end());
  const ae::Vector<float> lo = all.x.rowwise().minCoeff(), hi = all.x.rowwise().maxCoeff();
  const float range = std::max(1e-12f, (hi - lo).maxCoeff());
  all.x = ((all.x.colwise() - lo).array() * (0.9f / range) + 0.05f).matrix();
  app.own_points = std::move(all);
  char text[256];
  std::snprintf(text, sizeof text, tr("scaled into the unit square: x' = 0.05 + 0.9 (x − m)/r, r = %.4g"), double(range));
  app.own_points_scaling = text;
  app.mode = Scene::toy;
  app.lesson = -1;
  app.settings = ToySettings();
  app_reset(app);
}

void open_own_data(App& app) {
  try {
    OwnData data = read_own_data(app.own_files, app.own_options);
    app.own_kind = data.kind;
    if (data.kind == FileKind::csv) app.own_options.csv_label_column = data.csv_label_column;  // what the header named
    char text[512];
    std::snprintf(text, sizeof text, data.has_labels() ? tr("Opened %s: %d samples of %d values, with labels.") : tr("Opened %s: %d samples of %d values."),
                  data.name.c_str(), data.samples, data.features());
    const bool points = !data.is_image() && (data.features() == 2 || data.features() == 3);
    if (points) {
      use_own_points(app, std::move(data));
    } else {
      app.own_points = ae::Dataset<float>();
      mnist_use_own_data(app.mnist, std::move(data));
      app.mode = Scene::mnist;
      app.lesson = -1;
    }
    app.error.clear();
    app.notice = text;
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    app.error = std::string(tr("This file cannot be opened: ")) + failure_text(e);
  }
}

// ---- Models -----------------------------------------------------------------------------------------

void open_model(App& app, const ae::NamedBytes& file) {
  try {
    ae::SavedModel<float> saved = ae::deserialize_any_model<float>(std::string(file.bytes.begin(), file.bytes.end()), file.name);
    const ae::ModelInfo& info = saved.info;
    const bool vae = info.kind == ae::ModelKind::vae;
    const int inputs = info.kind == ae::ModelKind::classifier ? saved.classifier.net.layers.front().n_in()
                       : vae                                  ? saved.vae.input_size()
                                                              : saved.autoencoder.layers.front().n_in();
    const std::string& data = info.dataset;
    char text[512];
    // Which data the model goes with: its own data set when the lab has it, else the data open now
    // if the sizes match.
    if (inputs == 784 && (data == "mnist" || data.rfind("MNIST", 0) == 0 || (data.empty() && !app.mnist.own()))) {
      MnistSettings settings = app.mnist.settings;
      settings_of_model(saved, limits::mnist_max_layer_size, limits::mnist_max_code_size, settings.net, settings.training);
      mnist_use_mnist(app.mnist);
      app.mnist.settings = settings;
      app.mode = Scene::mnist;
      app.lesson = -1;
      mnist_adopt_model(app.mnist, std::move(saved));
      std::snprintf(text, sizeof text, tr("Opened the model %s on MNIST."), file.name.c_str());
    } else if (app.mnist.own() && app.mnist.status == MnistScene::Status::ready && inputs == app.mnist.input_size()) {
      MnistSettings settings = app.mnist.settings;
      settings_of_model(saved, limits::mnist_max_layer_size, limits::mnist_max_code_size, settings.net, settings.training);
      app.mnist.settings = settings;
      app.mode = Scene::mnist;
      app.lesson = -1;
      mnist_adopt_model(app.mnist, std::move(saved));
      std::snprintf(text, sizeof text, tr("Opened the model %s on your data %s."), file.name.c_str(), app.mnist.own_data.c_str());
    } else if (!vae && (inputs == 2 || inputs == 3) &&
               ((data.rfind("toy:", 0) == 0 && ae::toy_dimension(ae::toy_from_name(data.substr(4))) == inputs) ||
                int(app.own_points.x.rows()) == inputs)) {
      ToySettings settings = app.settings;
      settings_of_model(saved, limits::toy_max_layer_size, limits::toy_max_code_size, settings.net, settings.training);
      if (data.rfind("toy:", 0) == 0) {
        settings.manifold = ae::toy_from_name(data.substr(4));
        app.own_points = ae::Dataset<float>();
      }
      app.settings = settings;
      app.mode = Scene::toy;
      app.lesson = -1;
      app_reset(app);
      if (!app.error.empty()) return;
      app.trainer.model = std::move(saved.autoencoder);
      app.trainer.reset_progress();
      apply_live_settings(app.settings.training, app.trainer.config);
      app.curves.clear();
      app.curves.add_point(0, app.shown.cols() ? ae::evaluate_loss(app.trainer.model, app.trainer.config.loss, app.shown) : 0.0f);
      ++app.toy_edits;  // a training thread's copy takes this model
      std::snprintf(text, sizeof text, tr("Opened the model %s on the toy data."), file.name.c_str());
    } else {
      std::snprintf(text, sizeof text,
                    tr("it was trained on %s (%d inputs); open that data set first (drop its file on the window), then the model"),
                    data.empty() ? "?" : data.c_str(), inputs);
      throw ae::Error(text);
    }
    app.error.clear();
    app.notice = text;
    if (!info.load_note.empty()) app.notice += " " + info.load_note;
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    app.error = std::string(tr("This model file cannot be opened: ")) + failure_text(e);
  }
}

// `failed` is the whole sentence to show when the file could not be written.
void save_bytes(App& app, const std::string& name, const std::string& bytes, const char* failed) {
  const std::string where = host().save_file ? host().save_file(name, bytes) : "";
  if (where.empty()) app.error = failed;
  else app.notice = std::string(tr("Saved: ")) + where;
}

// The file name a user would pick: letters, digits, '-' and '_' of the data set's name.
std::string file_stem(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
  return out.empty() ? "model" : out;
}

}  // namespace

// ---- Entry points ------------------------------------------------------------------------------------

void app_open_files(App& app, std::vector<ae::NamedBytes> files) {
  // The data first (a model dropped with its data opens on them), then models, then lessons.
  std::vector<ae::NamedBytes> data, models, lessons;
  for (ae::NamedBytes& f : files) {
    FileKind kind = FileKind::csv;
    try {
      if (f.bytes.size() > own_limits::max_file_bytes) {
        char text[768];
        std::snprintf(text, sizeof text, tr("%s is larger than the lab takes (%s)"), f.name.c_str(), own_limits_text().c_str());
        throw ae::Error(text);
      }
      kind = file_kind(inflate_if_gzip(f));
    } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
      app.error = std::string(tr("This file cannot be opened: ")) + failure_text(e);
      return;
    }
    (kind == FileKind::lesson ? lessons : kind == FileKind::model ? models : data).push_back(std::move(f));
  }
  if (!data.empty()) {
    app.own_files = std::move(data);
    app.own_options.csv_label_column = kCsvLabelFromHeader;  // a new table: its header says again
    open_own_data(app);
    if (!app.error.empty()) return;
  }
  for (const ae::NamedBytes& f : models) {
    open_model(app, inflate_if_gzip(f));
    if (!app.error.empty()) return;
  }
  for (const ae::NamedBytes& f : lessons) app_open_lesson_file(app, std::string(f.bytes.begin(), f.bytes.end()), f.name);
}

namespace {
// Whether the scene has a model app_model_file can write (cheap: the File menu asks every frame).
bool scene_has_model(const App& app) {
  if (app.mode == Scene::toy) return !app.trainer.model.layers.empty();
  if (app.mode != Scene::mnist || app.mnist.status != MnistScene::Status::ready) return false;
  return app.mnist.vae ? !app.mnist.vae_trainer.vae.net.layers.empty() : !app.mnist.trainer.model.layers.empty();
}
}  // namespace

std::string app_model_file(const App& app, std::string* file_name) {
  if (!scene_has_model(app)) return "";
  ae::ModelInfo info;
  std::string stem;
  std::string bytes;
  if (app.mode == Scene::toy && !app.trainer.model.layers.empty()) {
    info.loss = app.trainer.config.loss;
    info.regularization = app.trainer.config.regularization;
    info.dataset = app.own_points.size() > 0 ? app.own_points.name : std::string("toy:") + ae::toy_name(app.settings.manifold);
    stem = app.own_points.size() > 0 ? app.own_points.name : ae::toy_name(app.settings.manifold);
    bytes = ae::serialize_model(app.trainer.model, info);
  } else if (app.mode == Scene::mnist && app.mnist.status == MnistScene::Status::ready) {
    const MnistScene& s = app.mnist;
    info.dataset = s.own() ? s.own_data : "mnist";
    info.image_width = s.train.image_width;
    info.image_height = s.train.image_height;
    stem = s.own() ? s.own_data : "mnist";
    if (s.vae) {
      if (s.vae_trainer.vae.net.layers.empty()) return "";
      info.vae = s.vae_trainer.config;
      bytes = ae::serialize_model(s.vae_trainer.vae, info);
      stem += "-vae";
    } else {
      if (s.trainer.model.layers.empty()) return "";
      info.loss = s.trainer.config.loss;
      info.regularization = s.trainer.config.regularization;
      bytes = ae::serialize_model(s.trainer.model, info);
      stem += std::string("-") + variant_key(s.settings.training.variant);
    }
  } else {
    return "";
  }
  if (file_name) *file_name = file_stem(stem) + ".aelab";
  return bytes;
}

std::string app_curves_csv(const App& app) {
  const TrainingCurves& c = app.mode == Scene::mnist ? app.mnist.curves : app.curves;
  std::string out = "step,objective,reconstruction,penalty,validation\n";
  auto value = [](float v) {
    if (!std::isfinite(v)) return std::string();
    char text[32];
    std::snprintf(text, sizeof text, "%.7g", double(v));
    return std::string(text);
  };
  for (size_t i = 0; i < c.steps.size(); ++i)
    out += std::to_string(c.steps[i]) + "," + value(c.objective[i]) + "," + value(c.reconstruction[i]) + "," + value(c.penalty[i]) + "," +
           value(c.validation[i]) + "\n";
  return out;
}

void save_scene_as_lesson(App& app) {
  const Lesson lesson = app_scene_as_lesson(app);
  const std::string where = host().save_file ? host().save_file(lesson.id + ".json", lesson_to_json(lesson)) : "";
  if (where.empty()) app.error = tr("The lesson file could not be saved.");
  else app.notice = std::string(tr("Saved the scene as a lesson file: ")) + where;
}

void app_request_picture(App& app, const std::string& name, WidgetRect rect) {
  app.picture.pending = true;
  app.picture.frames = 2;
  app.picture.rect = rect;
  app.picture.name = name;
}

void view_picture_menu(App& app, const char* name) {
  // Right-click anywhere in the view, its scrolling parts (child windows) included.
  const ImVec2 at = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) && ImGui::IsMouseReleased(ImGuiMouseButton_Right))
    ImGui::OpenPopup("##view_picture");
  if (!ImGui::BeginPopup("##view_picture")) return;
  if (ImGui::MenuItem(tr("Save this view as PNG")))
    app_request_picture(app, std::string("aelab-") + name + ".png", WidgetRect{at.x, at.y, size.x, size.y});
  if (ImGui::MenuItem(tr("Save the window as PNG"))) app_request_picture(app, "aelab-window.png");
  ImGui::EndPopup();
}

void file_menu(App& app) {
  if (!ImGui::BeginMenu(tr("File"))) return;
  if (host().choose_files && ImGui::MenuItem(tr("Open a file… (data, model, lesson)"))) host().choose_files();
  ImGui::TextDisabled("%s", tr("Or drop files on the window: CSV, IDX (.gz too), PNG/JPEG/BMP pictures or a .zip of them,"));
  ImGui::TextDisabled("%s", tr("a model (.aelab) or a lesson (.json). Nothing leaves this computer."));
  ImGui::TextDisabled(tr("The lab takes %s."), own_limits_text().c_str());
  ImGui::Separator();
  if (ImGui::MenuItem(tr("Save the model (.aelab)"), nullptr, false, scene_has_model(app))) {
    std::string name;
    const std::string bytes = app_model_file(app, &name);
    save_bytes(app, name, bytes, tr("The model could not be saved."));
  }
  const bool has_curves = app.mode == Scene::mnist ? !app.mnist.curves.steps.empty() : (app.mode == Scene::toy && !app.curves.steps.empty());
  if (ImGui::MenuItem(tr("Save the loss curves (CSV)"), nullptr, false, has_curves)) save_bytes(app, "aelab-curves.csv", app_curves_csv(app), tr("The curves could not be saved."));
  if (ImGui::MenuItem(tr("Save this scene as a lesson file"))) save_scene_as_lesson(app);
  ImGui::Separator();
  if (ImGui::MenuItem(tr("Save the window as PNG"))) app_request_picture(app, "aelab-window.png");
  ImGui::TextDisabled("%s", tr("Right-click a view to save it alone as PNG."));
  ImGui::EndMenu();
}

void own_data_panel(App& app) {
  const bool toy = app.mode == Scene::toy && app.own_points.size() > 0;
  const bool mnist = app.mode == Scene::mnist && app.mnist.own();
  if (!toy && !mnist) return;
  ImGui::PushStyleColor(ImGuiCol_Text, title_colour(app.dark_theme));
  ImGui::TextWrapped(tr("Your data: %s"), toy ? app.own_points.name.c_str() : app.mnist.own_data.c_str());
  ImGui::PopStyleColor();
  if (toy) ImGui::TextWrapped("%s", app.own_points_scaling.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("Read on this computer; nothing is sent anywhere."));
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("The lab takes %s."), own_limits_text().c_str());
  // The reading options apply to the files of the last drop, read again.
  const FileKind kind = app.own_kind;
  bool reread = false;
  if (kind == FileKind::pictures) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::SliderInt(tr("picture side##own_side"), &app.own_options.image_side, 8, 64, "%d px", ImGuiSliderFlags_AlwaysClamp);
    if (ImGui::IsItemDeactivatedAfterEdit()) reread = true;  // decoding again on every drag step would stall
    reread |= ImGui::Checkbox(tr("invert (dark ink on white paper)##own_invert"), &app.own_options.invert);
  } else if (kind == FileKind::csv) {
    const char* columns[] = {tr("no labels"), tr("last column"), tr("first column")};
    int choice = app.own_options.csv_label_column == ae::kCsvLastColumn ? 1 : app.own_options.csv_label_column == 0 ? 2 : 0;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::Combo(tr("labels##own_labels"), &choice, columns, 3)) {
      app.own_options.csv_label_column = choice == 1 ? ae::kCsvLastColumn : choice == 2 ? 0 : ae::kCsvNoLabel;
      reread = true;
    }
  }
  if (reread) open_own_data(app);
  if (ImGui::SmallButton(toy ? tr("Back to the toy manifolds##own_back") : tr("Back to MNIST##own_back"))) {
    if (toy) {
      app.own_points = ae::Dataset<float>();
      app_reset(app);
    } else {
      mnist_use_mnist(app.mnist);
    }
    app.own_files.clear();
  }
  ImGui::Separator();
}

}  // namespace app
