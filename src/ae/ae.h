// ae.h — the AE Lab engine in one include. Eigen + the C++ standard library only: no UI, no SDL,
// no GL, so the same code runs in the browser (WebAssembly), the desktop app, the CLI and the tests.
#pragma once

#include "activations.h"
#include "autoencoder.h"
#include "core.h"
#include "dense.h"
#include "loss.h"
#include "optimizer.h"
#include "rng.h"
#include "toy_data.h"
#include "trainer.h"
#include "version.h"
