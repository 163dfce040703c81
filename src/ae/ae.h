// ae.h — the AE Lab engine in one include. Eigen + the C++ standard library only: no UI, no SDL,
// no GL, so the same code runs in the browser (WebAssembly), the desktop app, the CLI and the tests.
#pragma once

#include "activations.h"
#include "autoencoder.h"
#include "core.h"
#include "csv.h"
#include "dense.h"
#include "idx.h"
#include "loss.h"
#include "mnist.h"
#include "model_io.h"
#include "optimizer.h"
#include "pca.h"
#include "rng.h"
#include "toy_data.h"
#include "trace.h"
#include "trainer.h"
#include "version.h"
#include "worked_example.h"
