// lecture_map.cpp — the map of the lecture (see lecture_map.h).
//
// How the four keywords meet in one autoencoder (the lecture's summary):
//   1. unsupervised learning    the data: no labels, the target is the input x itself
//   2. manifold learning        the encoder and its code: h = f(x) has fewer dimensions than x
//   3. generative model         the decoder: y = g(h) turns a code into a data point
//   4. ML density estimation    the loss: C = −log p(x | h), minimized ⇔ likelihood maximized
#include "lecture_map.h"

#include "app.h"
#include "i18n.h"
#include "layout.h"
#include "theme.h"

#include <algorithm>
#include <cstdio>

namespace app {

namespace {

struct Keyword {
  const char* name;                  // tr_noop: translated when drawn
  const char* part;                  // what it highlights
  const char* explanation;
  std::vector<const char*> lessons;  // ids, in the order offered
};

const std::vector<Keyword>& keywords() {
  static const std::vector<Keyword> k = {
      {tr_noop("1. Unsupervised learning"), "data",
       tr_noop("No labels: the target of the loss is the input x itself. The autoencoder learns from the data alone."),
       {"spiral", "mnist-2d-code", "stacked"}},
      {tr_noop("2. Manifold learning"), "code",
       tr_noop("The encoder f maps x to a code h with fewer dimensions: coordinates on the data's manifold "
               "(dimensionality reduction)."),
       {"why-manifolds", "swiss-roll", "linear-ae-pca", "depth", "contractive"}},
      {tr_noop("3. Generative model learning"), "decoder",
       tr_noop("The decoder g turns a code h into a data point y: the output side is where generative models, such as "
               "the VAE, come from."),
       {"mnist-2d-code", "vae"}},
      {tr_noop("4. ML density estimation"), "loss",
       tr_noop("Training minimizes the loss, and the loss is −log p(x | h): minimizing it maximizes the likelihood "
               "(squared error: a Gaussian p, cross-entropy: a Bernoulli p)."),
       {"likelihood", "gradient-descent", "backprop-2-2-2"}},
  };
  return k;
}

int lesson_index(const App& app, const std::string& id) {
  for (size_t i = 0; i < app.lessons.size(); ++i)
    if (app.lessons[i].id == id) return int(i);
  return -1;
}

}  // namespace

void lecture_map_panel(App& app) {
  LectureMap& m = app.lecture_map;
  const auto& ks = keywords();
  const float scale = app.ui_scale;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const PlotColours colours = plot_colours(app.dark_theme);
  const char* part = m.keyword >= 0 ? ks[size_t(m.keyword)].part : "";
  const auto lit = [&](const char* name) { return std::string(part) == name; };

  // The diagram: five boxes in a row, the loss under them from x to y.
  const float W = ImGui::GetContentRegionAvail().x, line = ImGui::GetTextLineHeight();
  const float box_h = 2.6f * line, gap = 10 * scale, row_h = box_h * 2 + gap * 3;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(W, row_h));
  const float box_w = (W - 4 * gap) / 5;
  const ImU32 highlight = okabe_ito::orange, normal = colours.frame;
  const int code = app.trainer.model.layers.empty() ? 0 : app.trainer.model.code_size();
  const int dim = app.trainer.model.layers.empty() ? 0 : app.trainer.model.input_size();
  char text[5][64];
  std::snprintf(text[0], sizeof text[0], tr("x (%d-D)\nN = %d"), dim, int(app.trainer.data.cols()));
  std::snprintf(text[1], sizeof text[1], "f\n%s", tr("encoder"));
  std::snprintf(text[2], sizeof text[2], tr("h (%d-D)\ncode"), code);
  std::snprintf(text[3], sizeof text[3], "g\n%s", tr("decoder"));
  std::snprintf(text[4], sizeof text[4], "y = g(h)\n%s", tr("output"));
  const bool box_lit[5] = {lit("data"), lit("code"), lit("code"), lit("decoder"), lit("decoder")};
  for (int i = 0; i < 5; ++i) {
    const ImVec2 a(o.x + i * (box_w + gap), o.y + gap), b(a.x + box_w, a.y + box_h);
    draw->AddRectFilled(a, b, box_lit[i] ? IM_COL32(230, 159, 0, 70) : colours.background, 4 * scale);
    draw->AddRect(a, b, box_lit[i] ? highlight : normal, 4 * scale, 0, box_lit[i] ? 3 * scale : 1.2f * scale);
    draw->PushClipRect(a, b, true);  // a narrow window: the text is cut at the box, not drawn over the next one
    draw->AddText(ImVec2(a.x + 4 * scale, a.y + 0.3f * line), ImGui::GetColorU32(ImGuiCol_Text), text[i]);
    draw->PopClipRect();
    if (i < 4) draw->AddLine(ImVec2(b.x, a.y + box_h / 2), ImVec2(b.x + gap, a.y + box_h / 2), normal, 2 * scale);
  }
  // The loss box under the row, fed by x (the target) and y.
  const ImVec2 la(o.x + box_w * 1.2f, o.y + box_h + 2 * gap), lb(o.x + W - box_w * 1.2f, la.y + box_h);
  const bool loss_lit = lit("loss"), data_lit = lit("data");
  draw->AddRectFilled(la, lb, loss_lit ? IM_COL32(230, 159, 0, 70) : colours.background, 4 * scale);
  draw->AddRect(la, lb, loss_lit ? highlight : normal, 4 * scale, 0, loss_lit ? 3 * scale : 1.2f * scale);
  char loss_text[96];
  std::snprintf(loss_text, sizeof loss_text, "C = ½‖x − y‖² = %.4f\n≡ −log p(x | h) + const", double(app.curves.last_validation()));
  draw->AddText(ImVec2(la.x + 6 * scale, la.y + 0.3f * line), ImGui::GetColorU32(ImGuiCol_Text), loss_text);
  const ImVec2 x_bottom(o.x + box_w / 2, o.y + gap + box_h), y_bottom(o.x + 4 * (box_w + gap) + box_w / 2, o.y + gap + box_h);
  draw->AddLine(x_bottom, ImVec2(x_bottom.x, la.y + box_h / 2), data_lit ? highlight : normal, (data_lit ? 3 : 1.5f) * scale);
  draw->AddLine(ImVec2(x_bottom.x, la.y + box_h / 2), ImVec2(la.x, la.y + box_h / 2), data_lit ? highlight : normal, (data_lit ? 3 : 1.5f) * scale);
  draw->AddLine(y_bottom, ImVec2(y_bottom.x, la.y + box_h / 2), normal, 1.5f * scale);
  draw->AddLine(ImVec2(y_bottom.x, la.y + box_h / 2), ImVec2(lb.x, la.y + box_h / 2), normal, 1.5f * scale);

  // The keywords, then what the chosen one means and the lessons that show it.
  m.keyword_buttons.assign(ks.size(), WidgetRect());
  for (size_t i = 0; i < ks.size(); ++i) {
    const char* name = tr(ks[i].name);
    if (i > 0) same_line_if_fits(button_width(name));
    const bool chosen = m.keyword == int(i);
    if (chosen) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.9f, 0.62f, 0.0f, 0.8f));
    ImGui::PushID(int(i));
    if (ImGui::Button(name)) m.keyword = chosen ? -1 : int(i);
    ImGui::PopID();
    if (chosen) ImGui::PopStyleColor();
    m.keyword_buttons[i] = last_item_rect();
  }
  m.offered.clear();
  m.offered_buttons.clear();
  if (m.keyword < 0) {
    ImGui::TextDisabled("%s", tr("Click a keyword: its part of the autoencoder lights up."));
    return;
  }
  const Keyword& k = ks[size_t(m.keyword)];
  ImGui::TextWrapped("%s", tr(k.explanation));
  ImGui::TextUnformatted(tr("Lessons that show it:"));
  for (const char* id : k.lessons) {
    const int i = lesson_index(app, id);
    if (i < 0) continue;
    ImGui::PushID(id);
    const std::string label = "→ " + app.lessons[size_t(i)].title();
    if (ImGui::SmallButton(label.c_str())) {
      ImGui::PopID();
      app_open_lesson(app, i);
      return;
    }
    ImGui::PopID();
    m.offered.push_back(id);
    m.offered_buttons.push_back(last_item_rect());
  }
}

}  // namespace app
