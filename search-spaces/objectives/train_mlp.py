#!/usr/bin/env python3
"""A small training script swept by sweetspot as a command objective (search-spaces/python-mlp.yaml).

Plain Python (no numpy, no torch), so that it runs wherever Debian's python3 does: a multilayer
perceptron of the given width and depth is trained with SGD on two interleaved spirals, its
weights are quantized to the given bit width, and it is evaluated with the quantized weights.

The protocol, which any script in any language can follow:
- parameters arrive as command-line arguments (the space file's {placeholders}) and as JSON in
  the SWEETSPOT_PARAMS environment variable, with SWEETSPOT_TRIAL, SWEETSPOT_SEED and
  SWEETSPOT_WORKDIR (a folder for this trial's files);
- each `{"step": n, ...}` line printed on stdout is an intermediate report (a pruner may stop the
  trial: the script then receives SIGTERM);
- the last JSON object printed on stdout is the result: numbers are metrics, strings attributes.
"""
import argparse
import json
import math
import os
import random
import sys


def spirals(n, rng, noise=0.2):
    """n points per class on two interleaved spirals in the plane."""
    data = []
    for label in (0, 1):
        for i in range(n):
            r = 0.3 + 2.7 * i / n
            angle = 2.6 * r + math.pi * label
            data.append(([r * math.cos(angle) + rng.gauss(0, noise), r * math.sin(angle) + rng.gauss(0, noise)], label))
    rng.shuffle(data)
    return data


def init_layers(sizes, rng):
    """One (weights out×in, biases out) pair per layer, He-initialised."""
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        scale = math.sqrt(2.0 / n_in)
        layers.append(([[rng.gauss(0, scale) for _ in range(n_in)] for _ in range(n_out)], [0.0] * n_out))
    return layers


def forward(layers, x):
    """Activations of every layer (ReLU inside, a logit at the end)."""
    acts = [x]
    for k, (w, b) in enumerate(layers):
        z = [sum(wi * xi for wi, xi in zip(row, acts[-1])) + bi for row, bi in zip(w, b)]
        acts.append(z if k == len(layers) - 1 else [max(0.0, v) for v in z])
    return acts


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def sgd_step(layers, x, y, lr):
    acts = forward(layers, x)
    p = sigmoid(acts[-1][0])
    grad = [p - y]  # d loss / d logit for the logistic loss
    for k in range(len(layers) - 1, -1, -1):
        w, b = layers[k]
        below = acts[k]
        back = [0.0] * len(below)
        for j, g in enumerate(grad):
            row = w[j]
            for i in range(len(below)):
                back[i] += row[i] * g
                row[i] -= lr * g * below[i]
            b[j] -= lr * g
        grad = [g if below[i] > 0 else 0.0 for i, g in enumerate(back)] if k > 0 else []
    return -math.log(max(p if y == 1 else 1 - p, 1e-12))


def quantize(layers, bits):
    """Symmetric per-layer weight quantization; 32 bits keeps the floats."""
    if bits >= 32:
        return layers
    levels = 2 ** (bits - 1) - 1
    out = []
    for w, b in layers:
        top = max(abs(v) for row in w for v in row) or 1.0
        step = top / levels
        out.append(([[round(v / step) * step for v in row] for row in w], list(b)))
    return out


def evaluate(layers, data):
    correct, loss = 0, 0.0
    for x, y in data:
        p = sigmoid(forward(layers, x)[-1][0])
        correct += int((p >= 0.5) == (y == 1))
        loss -= math.log(max(p if y == 1 else 1 - p, 1e-12))
    return correct / len(data), loss / len(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--width', type=int, required=True)
    parser.add_argument('--depth', type=int, required=True)
    parser.add_argument('--bits', type=int, required=True)
    parser.add_argument('--lr', type=float, required=True)
    parser.add_argument('--epochs', type=int, default=12)
    parser.add_argument('--samples', type=int, default=150, help='training points per class')
    parser.add_argument('--seed', type=int, default=int(os.environ.get('SWEETSPOT_SEED', '0')))
    args = parser.parse_args()

    data_rng = random.Random(0)  # the same data for every trial
    train, test = spirals(args.samples, data_rng), spirals(100, data_rng)
    rng = random.Random(args.seed)
    layers = init_layers([2] + [args.width] * args.depth + [1], rng)
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(train)
        train_loss = sum(sgd_step(layers, x, y, args.lr) for x, y in train) / len(train)
        if not math.isfinite(train_loss):
            print(f'training diverged at epoch {epoch} (lr {args.lr})', file=sys.stderr)
            sys.exit(3)
        accuracy, _ = evaluate(layers, test)
        print(json.dumps({'step': epoch, 'accuracy': accuracy, 'train_loss': train_loss}), flush=True)

    quantized = quantize(layers, args.bits)
    accuracy, loss = evaluate(quantized, test)
    weights = sum(len(w) * len(w[0]) for w, _ in quantized)
    biases = sum(len(b) for _, b in quantized)
    print(json.dumps({
        'accuracy': accuracy,
        'loss': loss,
        'params': weights + biases,
        'size_bits': weights * args.bits + biases * 32,
        'runtime': 'python ' + sys.version.split()[0],
    }))


if __name__ == '__main__':
    main()
