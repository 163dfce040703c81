// plot.cpp — see plot.h.
#include "plot.h"

#include <array>
#include <cmath>

namespace app {

namespace {
// The discs in the font atlas (plot.h): radius_px = kDotRadiusMin + k · kDotRadiusStep device pixels.
constexpr float kDotRadiusMin = 1.0f, kDotRadiusStep = 0.25f;
constexpr int kDotRadii = 45;  // 1 to 12 device pixels
struct DotSprite {
  float radius_px = 0;  // the disc's radius in texels (device pixels)
  int size_px = 0;      // its square, with a clear texel all round so bilinear filtering reads only the disc
  int rect_id = -1;     // its custom rectangle in the atlas
  ImVec2 uv0, uv1;      // where the square is in the atlas's texture
};
struct DotSprites {
  float pixel_ratio = 1;
  bool ready = false;  // rasterised into the atlas being drawn with
  std::array<DotSprite, kDotRadii> sprites;
};
DotSprites g_dots;
}  // namespace

PlotFrame reserve_plot(ImVec2 size, float left_margin, const char* hover_id) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (hover_id) ImGui::InvisibleButton(hover_id, size);
  else ImGui::Dummy(size);
  PlotFrame frame;
  frame.min = ImVec2(origin.x + left_margin, origin.y);
  frame.max = ImVec2(origin.x + size.x, origin.y + size.y);
  return frame;
}

void draw_plot_background(ImDrawList* draw, const PlotFrame& frame, bool dark) {
  const PlotColours colours = plot_colours(dark);
  draw->AddRectFilled(frame.min, frame.max, colours.background);
  draw->AddRect(frame.min, frame.max, colours.frame);
}

void draw_horizontal_grid_line(ImDrawList* draw, const PlotFrame& frame, float y, const char* label, bool dark) {
  const PlotColours colours = plot_colours(dark);
  const float screen_y = frame.map(frame.x_lo, y).y;
  draw->AddLine(ImVec2(frame.min.x, screen_y), ImVec2(frame.max.x, screen_y), colours.grid);
  if (!label) return;
  const ImVec2 text_size = ImGui::CalcTextSize(label);
  draw->AddText(ImVec2(frame.min.x - text_size.x - 4.0f, screen_y - text_size.y * 0.5f), colours.text, label);
}

void legend_swatch(ImU32 colour, bool dashed) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  if (dashed) {  // two dashes with a gap, as the reference lines are drawn
    draw->AddRectFilled(ImVec2(at.x, at.y + h * 0.4f), ImVec2(at.x + h * 0.35f, at.y + h * 0.6f), colour);
    draw->AddRectFilled(ImVec2(at.x + h * 0.65f, at.y + h * 0.4f), ImVec2(at.x + h, at.y + h * 0.6f), colour);
  } else {
    draw->AddRectFilled(ImVec2(at.x, at.y + h * 0.4f), ImVec2(at.x + h, at.y + h * 0.6f), colour);
  }
  ImGui::Dummy(ImVec2(h * 1.2f, h));
  ImGui::SameLine();
}

void add_dot_sprites(ImFontAtlas& atlas, float pixel_ratio) {
  g_dots = DotSprites();
  g_dots.pixel_ratio = pixel_ratio > 0 ? pixel_ratio : 1.0f;
  for (int k = 0; k < kDotRadii; ++k) {
    DotSprite& d = g_dots.sprites[size_t(k)];
    d.radius_px = kDotRadiusMin + kDotRadiusStep * float(k);
    d.size_px = 2 * int(std::ceil(d.radius_px)) + 2;
    d.rect_id = atlas.AddCustomRectRegular(d.size_px, d.size_px);
  }
}

void rasterise_dot_sprites(ImFontAtlas& atlas) {
  g_dots.ready = false;
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  atlas.GetTexDataAsAlpha8(&pixels, &width, &height);
  if (!pixels) return;
  constexpr int kSamples = 8;  // per texel along each axis
  for (DotSprite& d : g_dots.sprites) {
    const ImFontAtlasCustomRect* rect = d.rect_id >= 0 ? atlas.GetCustomRectByIndex(d.rect_id) : nullptr;
    if (!rect || !rect->IsPacked() || rect->X + d.size_px > width || rect->Y + d.size_px > height) return;
    const float centre = 0.5f * float(d.size_px), r2 = d.radius_px * d.radius_px;
    for (int y = 0; y < d.size_px; ++y)
      for (int x = 0; x < d.size_px; ++x) {
        int inside = 0;
        for (int sy = 0; sy < kSamples; ++sy)
          for (int sx = 0; sx < kSamples; ++sx) {
            const float dx = float(x) + (float(sx) + 0.5f) / kSamples - centre;
            const float dy = float(y) + (float(sy) + 0.5f) / kSamples - centre;
            inside += dx * dx + dy * dy <= r2;
          }
        pixels[size_t(rect->Y + y) * size_t(width) + size_t(rect->X + x)] =
            static_cast<unsigned char>((255 * inside + kSamples * kSamples / 2) / (kSamples * kSamples));
      }
    atlas.CalcCustomRectUV(rect, &d.uv0, &d.uv1);
  }
  g_dots.ready = true;
}

void draw_dot(ImDrawList* draw, ImVec2 centre, float radius, ImU32 colour) {
  const float radius_px = radius * g_dots.pixel_ratio;
  // The smallest disc at least as large (scaled down by at most a quarter pixel).
  const int k = int(std::ceil((radius_px - kDotRadiusMin) / kDotRadiusStep - 1e-3f));
  if (!g_dots.ready || !(k >= 0 && k < kDotRadii) || draw->_CmdHeader.TextureId != ImGui::GetIO().Fonts->TexID) {
    draw->AddCircleFilled(centre, radius, colour);
    return;
  }
  const DotSprite& d = g_dots.sprites[size_t(k)];
  const float half = 0.5f * float(d.size_px) * (radius_px / d.radius_px) / g_dots.pixel_ratio;
  draw->PrimReserve(6, 4);
  draw->PrimRectUV(ImVec2(centre.x - half, centre.y - half), ImVec2(centre.x + half, centre.y + half), d.uv0, d.uv1, colour);
}

}  // namespace app
