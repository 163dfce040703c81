#!/usr/bin/env bash
# The `aelab` command line as a user drives it: help, a worked example, train → save → eval on
# toy data for every variant (autoencoder, vae, stacked), JSON configs, PCA, and bad input (a
# message and a non-zero exit, never a crash).
#   tests/cli/cli.test.sh path/to/aelab path/to/source-dir
set -u
AELAB=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "  ok    $1"; }
bad()  { failed=$((failed + 1)); echo "  FAIL  $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/        /' | head -20; }
# expect <name> <exit: 0|nonzero> <regex> -- command...
expect() {
  local name=$1 want=$2 regex=$3; shift 4
  local out code
  out=$("$@" 2>&1); code=$?
  if [ "$want" = 0 ] && [ $code -ne 0 ]; then bad "$name (exit $code)" "$out"; return; fi
  if [ "$want" != 0 ] && { [ $code -eq 0 ] || [ $code -ge 128 ]; }; then bad "$name (exit $code, wanted a clean failure)" "$out"; return; fi
  if ! grep -Eq -- "$regex" <<<"$out"; then bad "$name (output does not match /$regex/)" "$out"; return; fi
  ok "$name"
}

expect "--help lists the commands" 0 "train.*eval|eval" -- "$AELAB" --help
expect "--version" 0 "aelab [0-9]+\.[0-9]+" -- "$AELAB" --version
expect "every command has --help" 0 "--layers" -- "$AELAB" train --help
expect "step prints the lesson-1 trace" 0 '"loss": 0\.0985424601763499' -- "$AELAB" step "$SRC/assets/worked-examples/backprop-2-2-2.json"
expect "step --steps 2 takes two steps" 0 '"step": 2' -- "$AELAB" step "$SRC/assets/worked-examples/backprop-2-2-2.json" --steps 2
expect "train on toy data saves a model and a curve" 0 "saved .*spiral.aelab" -- \
  "$AELAB" train --data toy:spiral --layers 16,1,16 --activation tanh --loss mse --units sum --lr 0.01 \
  --epochs 3 --toy-points 400 --quiet --save "$TMP/spiral.aelab" --curve "$TMP/spiral.csv"
if [ "$(head -1 "$TMP/spiral.csv" 2>/dev/null)" = "epoch,train_loss,validation_loss,seconds" ] && [ "$(wc -l < "$TMP/spiral.csv")" -eq 4 ]; then
  ok "the curve CSV has a header and one row per epoch"
else
  bad "the curve CSV has a header and one row per epoch" "$(cat "$TMP/spiral.csv" 2>&1)"
fi
expect "eval reads the saved model" 0 "recon +[0-9.]+" -- "$AELAB" eval "$TMP/spiral.aelab" --data toy:spiral --toy-points 400
echo '{"data": "toy:circle", "layers": [8, 1, 8], "activation": "tanh", "loss": "mse", "epochs": 2, "quiet": true}' > "$TMP/cfg.json"
expect "train --config reads a JSON file" 0 "2-8-1-8-2" -- "$AELAB" train --config "$TMP/cfg.json"
expect "flags win over the config file" 0 "2-4-1-4-2" -- "$AELAB" train --config "$TMP/cfg.json" --layers 4,1,4
expect "train --loss gaussian: the Gaussian decoder's −log-likelihood with s" 0 "gaussian \\(s = 0\\.2, nats\\)" -- \
  "$AELAB" train --data toy:spiral --toy-points 400 --layers 8,1,8 --output-activation sigmoid --loss gaussian --sigma 0.2 \
  --epochs 2 --save "$TMP/gauss.aelab"
expect "eval of a Gaussian-decoder model reports the NLL in nats" 0 "nll +-?[0-9.]+ nats per sample .*s = 0\\.2" -- \
  "$AELAB" eval "$TMP/gauss.aelab" --data toy:spiral --toy-points 400
expect "--sigma out of range is refused" 1 "s must be in \\[0\\.001, 1000\\]" -- \
  "$AELAB" train --data toy:spiral --toy-points 400 --layers 8,1,8 --loss gaussian --sigma 0 --epochs 1
expect "pca on toy data" 0 "test +mean per-image squared reconstruction error" -- "$AELAB" pca --data toy:swiss_roll --k 2 --toy-points 500

# The learner's own pictures, as the page reads them: class folders → labels, resized to --image-side.
# (PNGs written here by Python's standard library: zlib + the PNG chunk layout, grey, 8 bit.)
if command -v python3 >/dev/null; then
  python3 - "$TMP/pics" <<'PY'
import os, struct, sys, zlib
def png(path, w, h, pixel):
    raw = b"".join(b"\0" + bytes(pixel(x, y) for x in range(w)) for y in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for cls, vertical in (("vertical", True), ("horizontal", False)):
    os.makedirs(os.path.join(sys.argv[1], cls), exist_ok=True)
    for i in range(12):
        at = 6 + i
        png(os.path.join(sys.argv[1], cls, f"{i}.png"), 32, 32,
            lambda x, y: 255 if (abs(x - at) < 3 if vertical else abs(y - at) < 3) else 0)
PY
  expect "train --data images:DIR reads class folders as the page does" 0 "trained" -- \
    "$AELAB" train --data "images:$TMP/pics" --image-side 16 --layers 16,2,16 --activation tanh --epochs 2 --save "$TMP/pics.aelab"
  expect "…and eval reads the model on the same pictures" 0 "recon +[0-9.]+" -- "$AELAB" eval "$TMP/pics.aelab" --data "images:$TMP/pics" --image-side 16
  expect "images: a side the page does not offer is refused" 1 "image-side" -- "$AELAB" train --data "images:$TMP/pics" --image-side 200 --epochs 1
fi
expect "images: a folder without pictures" 1 "no pictures" -- "$AELAB" train --data "images:$TMP" --epochs 1

# Bad input.
expect "a missing model file" 1 "file not found" -- "$AELAB" eval "$TMP/nope.aelab" --data toy:circle
printf 'AELAB-MODEL\n{"format_version": 99}\n' > "$TMP/v99.aelab"
expect "a model file from the future" 1 "format version 99 is not supported" -- "$AELAB" eval "$TMP/v99.aelab" --data toy:circle
head -c 300 "$TMP/spiral.aelab" > "$TMP/cut.aelab"
expect "a truncated model file" 1 "truncated" -- "$AELAB" eval "$TMP/cut.aelab" --data toy:spiral
expect "a model for other data" 1 "expects 2 features" -- "$AELAB" eval "$TMP/spiral.aelab" --data toy:helix
expect "an unknown data set" 1 "unknown (toy )?data set" -- "$AELAB" train --data toy:nope --epochs 1
expect "an unknown activation" 1 "unknown activation" -- "$AELAB" train --data toy:circle --activation swish --epochs 1
expect "an out-of-range learning rate" 1 "--lr" -- "$AELAB" train --data toy:circle --lr -3
expect "non-mirrored layers with --tied" 1 "mirrored" -- "$AELAB" train --data toy:circle --layers 8,2,4 --tied --epochs 1
echo '{"layers": {"a": 1}}' > "$TMP/bad.json"
expect "a config with a wrong value type" 1 "config key 'layers'" -- "$AELAB" train --config "$TMP/bad.json"
echo '{"bogus": 1}' > "$TMP/extra.json"
expect "a config with an unknown key" 1 "bogus" -- "$AELAB" train --config "$TMP/extra.json" --data toy:circle
printf 'not json' > "$TMP/broken.json"
expect "a worked example that is not JSON" 1 "not valid JSON" -- "$AELAB" step "$TMP/broken.json"
expect "a BCE run on data outside [0, 1]" 1 "needs data in \[0, 1\]" -- "$AELAB" train --data "csv:$SRC/tests/cli/wide-range.csv" --loss bce --epochs 1
expect "a learning rate that diverges stops with a message" 1 "training stopped at step" -- \
  "$AELAB" train --data toy:spiral --layers 8,2,8 --activation relu --output-activation linear --loss mse --optimizer sgd --lr 1e5 --epochs 5 --quiet

# The autoencoder family: each variant from flags and from JSON, reported by eval.
expect "a denoising AE trains (masking, ν = 0.3)" 0 "variant +denoising: masking corruption, ν = 0.3" -- \
  "$AELAB" train --data toy:helix --layers 8 --activation sigmoid --loss mse --epochs 2 --toy-points 300 --quiet \
  --corruption masking --corruption-level 0.3 --save "$TMP/dae.aelab"
expect "eval reports clean and corrupted loss, code statistics and the Jacobian" 0 \
  "corrupted .*against the clean ones" -- "$AELAB" eval "$TMP/dae.aelab" --data toy:helix --toy-points 300 --corruption masking --corruption-level 0.3
expect "eval reports the Jacobian's Frobenius norm and singular values" 0 "jacobian +mean ‖∂h/∂x‖_F [0-9.]+.*singular values" -- \
  "$AELAB" eval "$TMP/dae.aelab" --data toy:helix --toy-points 300
expect "eval reports the mean code activation and near-zero fraction" 0 "code +mean activation [0-9.]+.*near zero" -- \
  "$AELAB" eval "$TMP/dae.aelab" --data toy:helix --toy-points 300
expect "a KL-sparse AE reports reconstruction + penalty" 0 "reconstruction [0-9.]+ \+ penalty [0-9.]+" -- \
  "$AELAB" train --data toy:swiss_roll --layers 16 --activation sigmoid --loss mse --epochs 2 --toy-points 300 --quiet \
  --sparsity kl --sparsity-target 0.1 --kl-weight 0.5
expect "KL sparsity needs a sigmoid code" 1 "sigmoid code" -- \
  "$AELAB" train --data toy:circle --layers 8 --activation relu --epochs 1 --sparsity kl
expect "a k-sparse AE" 0 "k-sparse: k = 2" -- \
  "$AELAB" train --data toy:helix --layers 8,4,8 --activation tanh --loss mse --epochs 1 --toy-points 200 --quiet --top-k 2 \
  --save "$TMP/topk.aelab"
expect "a contractive AE with a one-layer encoder uses the exact penalty" 0 "contractive: λ = 0.1, exact" -- \
  "$AELAB" train --data toy:helix --layers 8 --activation sigmoid --loss mse --epochs 1 --toy-points 200 --quiet --contractive 0.1
expect "a deeper contractive AE uses the stochastic penalty" 0 "contractive: λ = 0.1, stochastic" -- \
  "$AELAB" train --data toy:helix --layers 8,2,8 --activation tanh --loss mse --epochs 1 --toy-points 200 --quiet --contractive 0.1
echo '{"data": "toy:circle", "layers": [8], "activation": "sigmoid", "loss": "mse", "epochs": 1, "quiet": true,
       "corruption": "gaussian", "corruption-level": 0.05, "sparsity": "l1", "l1-weight": 0.001, "contractive": 0.01}' > "$TMP/variant.json"
expect "variants from a JSON config" 0 "denoising: gaussian corruption, σ = 0.05; sparse: L1 activity, λ = 0.001; contractive" -- \
  "$AELAB" train --config "$TMP/variant.json"
expect "a corruption without a level" 1 "needs --corruption-level" -- "$AELAB" train --data toy:circle --corruption masking --epochs 1
expect "an unknown corruption" 1 "unknown corruption" -- "$AELAB" train --data toy:circle --corruption fog --corruption-level 0.1 --epochs 1
expect "a VAE reports its ELBO, reconstruction and KL" 0 "test +ELBO -?[0-9.]+ nats per image = −\(reconstruction [0-9.]+ \+ KL [0-9.]+\)" -- \
  "$AELAB" vae --data toy:s_curve --hidden 16 --latent 2 --epochs 2 --toy-points 300 --activation tanh
expect "the stacked classifier needs labels" 1 "labelled data set" -- "$AELAB" stacked --data toy:circle --epochs 1

# Limits up front: a network too big for the machine is refused before anything is allocated (a
# message naming the size, never std::bad_alloc or the kernel's OOM killer). 65536² ≈ 4.3·10⁹
# weights per layer need terabytes.
expect "a network too big for this machine's memory" 1 "the network 2-65536-65536-65536-2 needs about [0-9.]+ (GB|TB) to train .* but this machine has" -- \
  "$AELAB" train --data toy:circle --layers 65536,65536,65536 --epochs 1 --quiet
expect "a VAE too big for this machine's memory" 1 "needs about [0-9.]+ (TB|GB) to train" -- \
  "$AELAB" vae --data toy:s_curve --hidden 65536,65536 --latent 2 --epochs 1 --quiet
expect "a stacked classifier too big for this machine's memory" 1 "needs about [0-9.]+ (TB|GB) to train" -- \
  "$AELAB" stacked --data mnist --max 100 --max-test 100 --layers 65536,65536 --epochs 1
# A model file whose header holds a number too large for a double (found by the fuzzers; issue 13).
{ printf 'AELAB-MODEL\n{"format_version": 1e30805}\n'; } > "$TMP/huge-number.aelab"
expect "a header number beyond a double is a message, not std::terminate" 1 "the header is not valid JSON.*number overflow" -- \
  "$AELAB" eval "$TMP/huge-number.aelab" --data toy:circle

# Every variant is trained by `train --variant`, saved, and reported by `eval` as its kind.
expect "train --variant vae saves a VAE" 0 "saved .*vae.aelab" -- \
  "$AELAB" train --variant vae --data toy:s_curve --layers 16 --latent 2 --beta 0.5 --likelihood gaussian --activation tanh \
  --epochs 2 --toy-points 300 --quiet --save "$TMP/vae.aelab"
expect "eval of a VAE reports the ELBO, reconstruction and KL" 0 \
  "elbo +-?[0-9.]+ nats per image = −\(reconstruction [0-9.]+ \+ KL [0-9.]+\)" -- "$AELAB" eval "$TMP/vae.aelab" --toy-points 300
expect "eval of a VAE remembers β and the likelihood" 0 "latent d = 2, gaussian decoder, trained with β = 0.5" -- \
  "$AELAB" eval "$TMP/vae.aelab" --toy-points 300
expect "eval --json of a VAE" 0 '"kind": "vae"' -- "$AELAB" eval "$TMP/vae.aelab" --toy-points 300 --json
echo '{"variant": "vae", "data": "toy:helix", "layers": [8], "latent": 3, "activation": "tanh", "likelihood": "gaussian",
       "epochs": 1, "toy-points": 200, "quiet": true}' > "$TMP/vae.json"
expect "a VAE from a JSON config" 0 "saved .*vae-cfg.aelab" -- "$AELAB" train --config "$TMP/vae.json" --save "$TMP/vae-cfg.aelab"
expect "eval of the config-trained VAE" 0 "latent d = 3" -- "$AELAB" eval "$TMP/vae-cfg.aelab" --toy-points 200
expect "eval of a k-sparse model needs no --top-k (k is in the file)" 0 "k-sparse, k = 2 from the model file" -- \
  "$AELAB" eval "$TMP/topk.aelab" --data toy:helix --toy-points 200
if "$AELAB" eval "$TMP/topk.aelab" --data toy:helix --toy-points 200 --json | grep -q '"top_k": 2'; then
  ok "eval --json of a k-sparse model reports k = 2"
else
  bad "eval --json of a k-sparse model reports k = 2" "$("$AELAB" eval "$TMP/topk.aelab" --data toy:helix --toy-points 200 --json 2>&1)"
fi
expect "eval of a denoising AE uses the corruption it was trained with" 0 \
  "corrupted .*masking-corrupted inputs \(ν = 0.3\).*the corruption it was trained with" -- \
  "$AELAB" eval "$TMP/dae.aelab" --toy-points 300

# Bad values for the variants.
expect "an unknown variant" 1 "--variant" -- "$AELAB" train --variant gan --data toy:circle --epochs 1
echo '{"variant": "gan", "data": "toy:circle"}' > "$TMP/gan.json"
expect "an unknown variant in a config file" 1 "gan" -- "$AELAB" train --config "$TMP/gan.json"
expect "a VAE flag for an autoencoder" 1 "--latent is a setting of --variant vae" -- \
  "$AELAB" train --data toy:circle --latent 3 --epochs 1
echo '{"variant": "vae", "data": "toy:circle", "sparsity": "kl"}' > "$TMP/vae-sparse.json"
expect "an autoencoder setting for a VAE, from a config file" 1 "--sparsity is a setting of --variant autoencoder" -- \
  "$AELAB" train --config "$TMP/vae-sparse.json"
expect "a VAE likelihood that does not exist" 1 "likelihood" -- "$AELAB" train --variant vae --data toy:circle --likelihood poisson
expect "a Bernoulli VAE on data outside [0, 1]" 1 "Bernoulli decoder needs data in \[0, 1\]" -- \
  "$AELAB" train --variant vae --data "csv:$SRC/tests/cli/wide-range.csv" --epochs 1
expect "--top-k with another sparsity" 1 "does not combine" -- "$AELAB" train --data toy:circle --sparsity l1 --top-k 1 --epochs 1
expect "eval --draws of an autoencoder" 1 "--draws is for vae models" -- "$AELAB" eval "$TMP/dae.aelab" --toy-points 300 --draws 3
expect "eval --corruption of a VAE" 1 "--corruption is for autoencoder models" -- \
  "$AELAB" eval "$TMP/vae.aelab" --toy-points 300 --corruption masking --corruption-level 0.1
sed 's/"kind":"vae"/"kind":"classifier"/' "$TMP/vae.aelab" > "$TMP/wrong-kind.aelab"
expect "a model file with the wrong kind" 1 "has no \"classifier\" field" -- "$AELAB" eval "$TMP/wrong-kind.aelab" --toy-points 300
sed 's/"latent_size":2/"latent_size":5/' "$TMP/vae.aelab" > "$TMP/wrong-shape.aelab"
expect "a VAE file whose heads disagree with its latent size" 1 "the μ head has 2 units, the latent size is 5" -- \
  "$AELAB" eval "$TMP/wrong-shape.aelab" --toy-points 300
sed 's/"corruption":{[^}]*},//' "$TMP/dae.aelab" > "$TMP/no-corruption.aelab"
expect "a model file missing a field" 1 "has no \"corruption\" field" -- "$AELAB" eval "$TMP/no-corruption.aelab" --toy-points 300

if "$AELAB" pca --data mnist --max 10 --max-test 10 --k 2 >/dev/null 2>&1; then
  expect "a stacked denoising AE: pretrained vs random accuracy" 0 "result +test accuracy: pretrained [0-9.]+ %, random init [0-9.]+ %" -- \
    "$AELAB" stacked --data mnist --max 600 --max-test 200 --layers 32,16 --pretrain-epochs 1 --epochs 1 \
    --corruption masking --corruption-level 0.2 --finetune-epochs 1
  # The classifiers' own optimizer; each epoch's report measures the classifier being trained
  # (it printed 0.00 % while the classifier was moved into the trainer).
  stacked_sgd=("$AELAB" stacked --data mnist --max 600 --max-test 200 --layers 32,16 --pretrain-epochs 1 --epochs 2 --labels 100
               --classifier-optimizer sgd --classifier-lr 0.5 --classifier-batch 10 --no-baseline)
  expect "stacked: the classifiers' own optimizer, η and batch" 0 "classify +softmax on the encoder, sgd η = 0.5, batch 10, 2 epochs" -- \
    "${stacked_sgd[@]}"
  expect "stacked: each epoch's test accuracy is the classifier's being trained" 0 \
    "pretrained epoch +2 +train cross-entropy [0-9.]+ +test accuracy ([1-9][0-9]?|100)\.[0-9]+ %" -- "${stacked_sgd[@]}"
  expect "train --variant stacked saves both classifiers" 0 "saved .*random.aelab \(the random-init classifier\)" -- \
    "$AELAB" train --variant stacked --data mnist --max 600 --max-test 200 --layers 32 --pretrain-epochs 1 --epochs 1 \
    --labels 300 --save "$TMP/pretrained.aelab" --save-baseline "$TMP/random.aelab"
  expect "eval of the pretrained classifier reports its accuracy" 0 "accuracy +[0-9.]+ %.*" -- \
    "$AELAB" eval "$TMP/pretrained.aelab" --max 200
  expect "eval knows which classifier was pretrained" 0 "from random initialisation" -- "$AELAB" eval "$TMP/random.aelab" --max 200
  echo '{"variant": "stacked", "data": "mnist", "max": 300, "max-test": 100, "layers": [16], "pretrain-epochs": 1,
         "epochs": 1, "corruption": "masking", "corruption-level": 0.2, "baseline": false}' > "$TMP/stacked.json"
  expect "a stacked classifier from a JSON config, without the baseline" 0 "result +test accuracy: pretrained [0-9.]+ % \(" -- \
    "$AELAB" train --config "$TMP/stacked.json" --save "$TMP/stacked-cfg.aelab"
  expect "eval of the config-trained classifier" 0 "784-16 \+ softmax over 10 classes, greedy layer-wise pretrained" -- \
    "$AELAB" eval "$TMP/stacked-cfg.aelab" --max 100
  expect "--save-baseline without the baseline" 1 "--save-baseline needs the baseline" -- \
    "$AELAB" train --variant stacked --data mnist --max 100 --no-baseline --save-baseline "$TMP/x.aelab"
  expect "a classifier evaluated on unlabelled data" 1 "expects 784 features|labelled data" -- \
    "$AELAB" eval "$TMP/pretrained.aelab" --data toy:circle
fi

# ---- Lesson files (for lecturers who write them) ----------------------------------------------
expect "lessons --check accepts every built-in lesson" 0 "21 lesson files ok, 0 with errors, 0 warnings" -- "$AELAB" lessons --check "$SRC/assets/lessons"
expect "lessons --list lists them in menu order (the lecture's: the map first)" 0 " 1  lecture-map " -- "$AELAB" lessons --list
expect "lessons --list: gradient descent third, after the backprop step" 0 " 3  gradient-descent " -- "$AELAB" lessons --list
"$AELAB" lessons --print spiral > "$TMP/mine.json"
expect "lessons --print writes a lesson that checks" 0 "ok: .*mine.json \(spiral, toy\)" -- "$AELAB" lessons --check "$TMP/mine.json"
sed 's/"learning_rate": 0.01/"learning_rate": 7/' "$TMP/mine.json" > "$TMP/bad-rate.json"
expect "a value out of range names the field and the range" nonzero "bad-rate.json: training.learning_rate: expected a number from 1e-05 to 1, got 7" -- "$AELAB" lessons --check "$TMP/bad-rate.json"
sed 's/"variant"/"varient"/' "$TMP/mine.json" > "$TMP/typo.json"
expect "a typo is an unknown field, not a silent default" nonzero "training.varient: unknown field" -- "$AELAB" lessons --check "$TMP/typo.json"
head -c 200 "$TMP/mine.json" > "$TMP/cut.json"
expect "a cut file is not valid JSON, with where" nonzero "cut.json: not valid JSON.*line" -- "$AELAB" lessons --check "$TMP/cut.json"
sed 's/"ko": "[^"]*"/"ko": ""/' "$TMP/mine.json" > "$TMP/no-korean.json"
expect "a lesson without Korean is accepted with a warning" 0 "warning: .*text.ko: no Korean text" -- "$AELAB" lessons --check "$TMP/no-korean.json"
expect "a folder without lessons is an error" nonzero "no .json lesson files" -- "$AELAB" lessons --check "$SRC/src"
expect "a missing file is an error" nonzero "cannot read the file" -- "$AELAB" lessons --check "$TMP/nowhere.json"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
