// lecture_map.h — the map of the lecture: the four keywords that organise it (unsupervised
// learning, manifold learning, generative model learning, maximum-likelihood density estimation),
// each pinned to the part of a live autoencoder it is about, with the lessons that show it.
#pragma once

#include "app/training_panel.h"

#include <string>
#include <vector>

namespace app {

struct App;

struct LectureMap {
  int keyword = -1;                       // the one clicked, −1: none
  std::vector<WidgetRect> keyword_buttons;  // for tests: the four keywords on screen
  std::vector<std::string> offered;       // ids of the lessons offered for the keyword
  std::vector<WidgetRect> offered_buttons;
};

// The diagram x → f → h → g → y with the loss, the keywords and the offered lessons (toy scene).
void lecture_map_panel(App& app);

}  // namespace app
