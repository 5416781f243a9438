"""Whole training steps for RNNLab's training-parity test (in the manner of llm.c's test_gpt2.c):
for every cell, a tiny SequenceModel (one-hot, embedding or dense input, two stacked layers, a
linear head, its loss with mean reduction), fixed initial weights and 10 fixed batches; each
step is forward, backward, clipping, an optimizer update (torch.optim.SGD with momentum or
torch.optim.Adam) and, for IndRNN, the recurrent_max clamp. Recorded: the per-step losses and
the final weights, in float64.

Clipping follows RNNLab's rules (GradientClipping.swift), written out below:
  global_norm      g <- g * t / ||g|| when ||g|| > t (||g|| over every parameter; PyTorch's
                   clip_grad_norm_ would divide by ||g|| + 1e-6, a 1e-6 relative difference)
  per_tensor_norm  the same rule for each parameter on its own
  value            clamp to [-c, c] (clip_grad_value_)

Run:  python make_pytorch_fixtures.py training > ../../RNNLabTrainingTests/Fixtures/pytorch_training.json
"""
import json
import sys

import torch
import torch.nn.functional as F

import reference_cells as ref

torch.set_default_dtype(torch.float64)

CLASSIC = {"rnn_tanh", "rnn_relu", "lstm", "gru"}
CELLS = ["rnn_tanh", "rnn_relu", "lstm", "gru", "indrnn", "indrnn_tanh", "lstm_peephole", "lstm_nig", "lstm_nfg",
         "lstm_nog", "lstm_niaf", "lstm_noaf", "lstm_np", "lstm_cifg", "lstm_fgr", "min_gru", "min_lstm"]
CLIPPINGS = [{"kind": "none"}, {"kind": "global_norm", "threshold": 0.3},
             {"kind": "per_tensor_norm", "threshold": 0.2}, {"kind": "value", "threshold": 0.05}]
OPTIMIZERS = [{"kind": "sgd", "learning_rate": 0.5, "momentum": 0.9},
              {"kind": "adam", "learning_rate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}]
T, B, V, E, H, K, STEPS = 5, 3, 5, 3, 3, 4, 10


class Recurrent:
    """The recurrent layers: PyTorch's module for the classic cells, reference_cells otherwise."""

    def __init__(self, cell, inputs, layers, bidirectional):
        self.cell, self.layers, self.bidirectional = cell, layers, bidirectional
        D = 2 if bidirectional else 1
        if cell in CLASSIC:
            if cell == "lstm":
                self.module = torch.nn.LSTM(inputs, H, num_layers=layers, bidirectional=bidirectional)
            elif cell == "gru":
                self.module = torch.nn.GRU(inputs, H, num_layers=layers, bidirectional=bidirectional)
            else:
                self.module = torch.nn.RNN(inputs, H, num_layers=layers, bidirectional=bidirectional,
                                           nonlinearity="relu" if cell == "rnn_relu" else "tanh")
            self.params = dict(self.module.named_parameters())
        else:
            self.params = {}
            for k in range(layers):
                for d in range(D):
                    suffix = f"_l{k}" + ("_reverse" if d == 1 else "")
                    for name, shape in ref.parameter_shapes(cell, inputs if k == 0 else D * H, H, suffix):
                        self.params[name] = torch.zeros(shape, requires_grad=True)

    def __call__(self, x):
        if self.cell in CLASSIC:
            out, state = self.module(x)
            return out, (state[0] if self.cell == "lstm" else state)
        D = 2 if self.bidirectional else 1
        h0 = torch.zeros(self.layers * D, x.shape[1], H)
        c0 = torch.zeros(self.layers * D, x.shape[1], H) if ref.has_cell_state(self.cell) else None
        out, hn, _ = ref.run_network(self.cell, self.params, x, None, h0, c0, self.layers, self.bidirectional)
        return out, hn


def make_case(index, cell, input_kind, head, bidirectional, seed, recurrent_max=None):
    torch.manual_seed(seed)
    clipping = CLIPPINGS[index % len(CLIPPINGS)]
    optimizer = OPTIMIZERS[(index // 2) % len(OPTIMIZERS)]
    D = 2 if bidirectional else 1
    features = {"one_hot": V, "embedding": E, "dense": 2}[input_kind]
    rnn = Recurrent(cell, features, 2, bidirectional)
    params = {}
    if input_kind == "embedding":
        params["embedding.weight"] = torch.randn(V, E).requires_grad_()
    for name, p in rnn.params.items():
        params["rnn." + name] = p
    outputs = K if head == "class_per_step" else 1
    params["decoder.weight"] = torch.zeros(outputs, D * H, requires_grad=True)
    params["decoder.bias"] = torch.zeros(outputs, requires_grad=True)
    with torch.no_grad():
        for name, p in params.items():
            if name != "embedding.weight":
                p.uniform_(-0.6, 0.6)
    initial = {k: {"shape": list(v.shape), "values": v.detach().reshape(-1).tolist()} for k, v in params.items()}

    batches = []
    for _ in range(STEPS):
        batch = {}
        if input_kind == "dense":
            batch["features"] = torch.randn(T, B, 2)
        else:
            batch["tokens"] = torch.randint(0, V, (T, B))
        if head == "class_per_step":
            targets = torch.randint(0, K, (T, B))
            targets[0, 0] = -100   # an ignored target
            batch["targets"] = targets
        else:
            batch["values"] = torch.randn(B, 1)
        batches.append(batch)

    plist = list(params.values())
    if optimizer["kind"] == "sgd":
        opt = torch.optim.SGD(plist, lr=optimizer["learning_rate"], momentum=optimizer["momentum"])
    else:
        opt = torch.optim.Adam(plist, lr=optimizer["learning_rate"], betas=(optimizer["beta1"], optimizer["beta2"]),
                               eps=optimizer["epsilon"])
    losses = []
    for batch in batches:
        if input_kind == "dense":
            x = batch["features"]
        elif input_kind == "one_hot":
            x = F.one_hot(batch["tokens"], V).double()
        else:
            x = params["embedding.weight"][batch["tokens"]]
        out, hn = rnn(x)
        if head == "class_per_step":
            logits = out.reshape(T * B, D * H) @ params["decoder.weight"].T + params["decoder.bias"]
            loss = F.cross_entropy(logits, batch["targets"].reshape(-1), ignore_index=-100, reduction="mean")
        else:
            last = hn[-D:]                                   # the last layer's final state of each direction
            readout = torch.cat([last[d] for d in range(D)], dim=1)
            prediction = readout @ params["decoder.weight"].T + params["decoder.bias"]
            loss = F.mse_loss(prediction, batch["values"], reduction="mean")
        opt.zero_grad()
        loss.backward()
        with torch.no_grad():
            grads = [p.grad for p in plist if p.grad is not None]
            if clipping["kind"] == "global_norm":
                norm = torch.sqrt(sum((g * g).sum() for g in grads))
                if norm > clipping["threshold"]:
                    for g in grads:
                        g.mul_(clipping["threshold"] / norm)
            elif clipping["kind"] == "per_tensor_norm":
                for g in grads:
                    norm = torch.sqrt((g * g).sum())
                    if norm > clipping["threshold"]:
                        g.mul_(clipping["threshold"] / norm)
            elif clipping["kind"] == "value":
                for g in grads:
                    g.clamp_(-clipping["threshold"], clipping["threshold"])
        opt.step()
        if recurrent_max is not None:
            with torch.no_grad():
                for name, p in params.items():
                    if ".weight_hh_" in name:
                        p.clamp_(-recurrent_max, recurrent_max)
        losses.append(loss.item())

    def encode(batch):
        out = {}
        if "tokens" in batch:
            out["tokens"] = batch["tokens"].reshape(-1).tolist()
        if "features" in batch:
            out["features"] = batch["features"].reshape(-1).tolist()
        if "targets" in batch:
            out["targets"] = batch["targets"].reshape(-1).tolist()
        if "values" in batch:
            out["values"] = batch["values"].reshape(-1).tolist()
        return out

    return {
        "name": f"{cell}_{input_kind}_{head}" + ("_bidirectional" if bidirectional else ""),
        "cell": cell, "input": input_kind, "vocabulary": V, "embedding": E, "features": features, "hidden_size": H,
        "layers": 2, "bidirectional": bidirectional, "head": head, "outputs": outputs, "steps": T, "batch": B,
        "optimizer": optimizer, "clipping": clipping, "recurrent_max": recurrent_max,
        "initial_parameters": initial, "batches": [encode(b) for b in batches], "losses": losses,
        "final_parameters": {k: v.detach().reshape(-1).tolist() for k, v in params.items()},
    }


def main():
    cases = []
    for index, cell in enumerate(CELLS):
        input_kind = "one_hot" if index % 2 == 0 else "embedding"
        cases.append(make_case(index, cell, input_kind, "class_per_step", bidirectional=index % 3 == 2, seed=500 + index,
                               recurrent_max=1.0 if cell.startswith("indrnn") else None))
    # A per-sequence regression head with the MSE, dense inputs, bidirectional.
    cases.append(make_case(len(CELLS), "gru", "dense", "regression_per_sequence", bidirectional=True, seed=600))
    cases.append(make_case(len(CELLS) + 1, "min_lstm", "dense", "regression_per_sequence", bidirectional=True, seed=601))
    json.dump({"generator": f"torch {torch.__version__}, float64, make_training_fixtures.py", "cases": cases}, sys.stdout)


if __name__ == "__main__":
    main()
