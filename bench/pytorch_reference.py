"""The RNNLab benchmark configurations in PyTorch, for side-by-side comparison.

Same shapes, same training step (forward, full BPTT, global-norm clipping at 5, Adam),
float32, synthetic data, warm-up excluded, median over the repetitions. Prints one JSON
line per configuration and cell, like `rnnlab bench --json`.

    python bench/pytorch_reference.py [--threads 2] [--repetitions 5] [--config NAME] [--cell C] [--inference]
        [--in-process]

Each configuration and cell runs in a fresh child process (as `rnnlab bench` does), so that the
peak memory printed is its own; --in-process runs them all in one.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import torch

CONFIGS = {
    # name: (input kind, input size / (vocab, dim), hidden, layers, bidirectional, batch, steps, head, outputs)
    "charlm-small": ("onehot", 65, 128, 1, False, 32, 64, "softmax_step", 65),
    "charlm-medium": ("onehot", 65, 512, 2, False, 64, 128, "softmax_step", 65),
    "ptb-small": ("embedding", (10000, 200), 200, 2, False, 20, 20, "softmax_step", 10000),
    "music": ("dense", 88, 256, 1, False, 16, 100, "sigmoid_step", 88),
    "sentiment": ("embedding", (20000, 128), 128, 1, True, 64, 100, "softmax_final", 2),
}
CELLS = {"rnn_tanh": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


class Model(torch.nn.Module):
    def __init__(self, config, cell):
        super().__init__()
        kind, size, hidden, layers, bidirectional, _, _, head, outputs = config
        self.kind, self.head = kind, head
        features = size[1] if kind == "embedding" else size
        if kind == "embedding":
            self.embedding = torch.nn.Embedding(size[0], size[1])
        self.rnn = CELLS[cell](features, hidden, num_layers=layers, bidirectional=bidirectional)
        self.decoder = torch.nn.Linear(hidden * (2 if bidirectional else 1), outputs)

    def forward(self, x):
        if self.kind == "embedding":
            x = self.embedding(x)
        out, state = self.rnn(x)
        if self.head == "softmax_final":
            h = state[0] if isinstance(state, tuple) else state
            return self.decoder(torch.cat([h[-2], h[-1]], dim=1) if self.rnn.bidirectional else h[-1])
        return self.decoder(out.reshape(-1, out.shape[-1]))


def make_batch(config, generator):
    kind, size, _, _, _, batch, steps, head, outputs = config
    if kind == "onehot":
        ids = torch.randint(size, (steps, batch), generator=generator)
        x = torch.nn.functional.one_hot(ids, size).float()
    elif kind == "embedding":
        x = torch.randint(size[0], (steps, batch), generator=generator)
    else:
        x = (torch.rand(steps, batch, size, generator=generator) < 0.05).float()
    if head == "softmax_step":
        y = torch.randint(outputs, (steps * batch,), generator=generator)
    elif head == "sigmoid_step":
        y = (torch.rand(steps * batch, outputs, generator=generator) < 0.05).float()
    else:
        y = torch.randint(outputs, (batch,), generator=generator)
    return x, y


def loss_of(model, logits, y):
    if model.head == "sigmoid_step":
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="sum") / logits.shape[0]
    return torch.nn.functional.cross_entropy(logits, y)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--config")
    parser.add_argument("--cell")
    parser.add_argument("--inference", action="store_true")
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    selected = [(name, cell) for name in CONFIGS for cell in CELLS
                if (not args.config or name == args.config) and (not args.cell or cell == args.cell)]
    if len(selected) > 1 and not args.in_process:
        for name, cell in selected:
            command = [sys.executable, __file__, "--threads", str(args.threads), "--repetitions", str(args.repetitions),
                       "--config", name, "--cell", cell] + (["--inference"] if args.inference else [])
            print(subprocess.run(command, check=True, capture_output=True, text=True).stdout, end="", flush=True)
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    generator = torch.Generator().manual_seed(1)
    for name, config in CONFIGS.items():
        if args.config and name != args.config:
            continue
        for cell in ["rnn_tanh", "lstm", "gru"]:
            if args.cell and cell != args.cell:
                continue
            model = Model(config, cell)
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            x, y = make_batch(config, generator)
            for mode in ["train", "inference"] if args.inference else ["train"]:
                def step():
                    if mode == "train":
                        optimizer.zero_grad(set_to_none=True)
                        loss = loss_of(model, model(x), y)
                        loss.backward()
                        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                        optimizer.step()
                    else:
                        with torch.no_grad():
                            loss_of(model, model(x), y)
                step()  # warm-up
                times = []
                for _ in range(args.repetitions):
                    start = time.perf_counter()
                    step()
                    times.append(time.perf_counter() - start)
                median = statistics.median(times)
                tokens = config[5] * config[6] / median
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(json.dumps({"config": name, "cell": cell, "mode": mode, "threads": args.threads,
                                  "tokens_per_second": int(tokens), "ms_per_step": round(median * 1000, 3),
                                  "peak_rss_mib": round(rss, 1), "framework": f"torch {torch.__version__}"}), flush=True)


if __name__ == "__main__":
    main()
