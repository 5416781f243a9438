"""Known-answer fixtures for RNNLab's recurrent layers, computed by PyTorch in float64.

Run with any PyTorch >= 2.0:
    python make_pytorch_fixtures.py > pytorch_recurrent.json          nn.RNN, nn.LSTM, nn.GRU
    python make_pytorch_fixtures.py cells > pytorch_cells.json        the cells PyTorch has no module for,
                                                                      from the plain-PyTorch references in
                                                                      reference_cells.py
    python make_pytorch_fixtures.py training > ../../RNNLabTrainingTests/Fixtures/pytorch_training.json
                                                                      whole training steps (make_training_fixtures.py)
    python make_pytorch_fixtures.py baselines > pytorch_baselines.json  TCN and Transformer bodies
The Swift tests load the JSON, copy the parameters into RNNLab's networks by their
state_dict names, and compare outputs, final states and every gradient to 1e-6.

The baselines are written here in plain PyTorch as their papers' reference code has them:
- TCN (Bai, Kolter & Koltun 2018; locuslab/TCN `TemporalConvNet`): Conv1d with padding (k - 1) d and the last
  (k - 1) d steps chomped, wrapped in torch.nn.utils.weight_norm (parameters weight_g, weight_v), ReLU after
  each convolution, a 1x1 `downsample` convolution on the residual path where widths differ, ReLU of the sum.
  Dropout is 0 (the tests compare deterministic passes).
- Transformer (GPT-2 style, pre-LayerNorm): nn.Linear input projection, learned positions (nn.Embedding `wpe`)
  or sinusoidal ones, blocks of nn.LayerNorm, masked multi-head attention through
  F.scaled_dot_product_attention(is_causal=True), and an MLP with exact (erf) GELU, then a final nn.LayerNorm.
Inputs and outputs are time-major [T, B, features], as RNNLab's.

Each case's loss is a fixed random linear function of everything the network returns,
    L = sum(output * w_out) + sum(h_n * w_h) + sum(c_n * w_c),
so that every output element receives a distinct, nonzero gradient.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_default_dtype(torch.float64)


def make_case(name, cell, layers, bidirectional, with_state, lengths, seed):
    torch.manual_seed(seed)
    T, B, I, H = 5, 3, 3, 4
    D = 2 if bidirectional else 1
    if cell == "lstm":
        net = torch.nn.LSTM(I, H, num_layers=layers, bidirectional=bidirectional)
    elif cell == "gru":
        net = torch.nn.GRU(I, H, num_layers=layers, bidirectional=bidirectional)
    else:
        net = torch.nn.RNN(I, H, num_layers=layers, bidirectional=bidirectional,
                           nonlinearity="relu" if cell == "rnn_relu" else "tanh")
    # Wider weights than the default so that the nonlinearities are exercised.
    with torch.no_grad():
        for p in net.parameters():
            p.uniform_(-0.8, 0.8)
    x = torch.randn(T, B, I, requires_grad=True)
    h0 = (torch.randn(layers * D, B, H) * 0.5).requires_grad_() if with_state else None
    c0 = (torch.randn(layers * D, B, H) * 0.5).requires_grad_() if (with_state and cell == "lstm") else None

    if lengths is not None:
        inp = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    else:
        inp = x
    if cell == "lstm":
        out, (hn, cn) = net(inp, (h0, c0)) if with_state else net(inp)
    else:
        out, hn = net(inp, h0) if with_state else net(inp)
        cn = None
    if lengths is not None:
        out, _ = pad_packed_sequence(out, total_length=T)

    w_out = torch.randn(T, B, D * H)
    w_h = torch.randn(layers * D, B, H)
    w_c = torch.randn(layers * D, B, H) if cell == "lstm" else None
    loss = (out * w_out).sum() + (hn * w_h).sum()
    if cn is not None:
        loss = loss + (cn * w_c).sum()
    loss.backward()

    flat = lambda t: t.detach().reshape(-1).tolist()
    case = {
        "name": name, "cell": cell, "input_size": I, "hidden_size": H, "layers": layers,
        "bidirectional": bidirectional, "steps": T, "batch": B, "lengths": lengths,
        "parameters": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in net.state_dict().items()},
        "input": flat(x), "h0": flat(h0) if h0 is not None else None, "c0": flat(c0) if c0 is not None else None,
        "w_out": flat(w_out), "w_h": flat(w_h), "w_c": flat(w_c) if w_c is not None else None,
        "output": flat(out), "h_n": flat(hn), "c_n": flat(cn) if cn is not None else None,
        "loss": loss.item(),
        "grad_parameters": {k: flat(p.grad) for k, p in net.named_parameters()},
        "grad_input": flat(x.grad),
        "grad_h0": flat(h0.grad) if h0 is not None else None,
        "grad_c0": flat(c0.grad) if c0 is not None else None,
    }
    return case


NEW_CELLS = ["indrnn", "indrnn_tanh", "lstm_peephole", "lstm_nig", "lstm_nfg", "lstm_nog", "lstm_niaf",
             "lstm_noaf", "lstm_np", "lstm_cifg", "lstm_fgr", "min_gru", "min_lstm"]


def make_reference_case(name, cell, layers, bidirectional, with_state, lengths, seed):
    """The same case layout as make_case, computed by reference_cells.run_network."""
    import reference_cells as ref
    torch.manual_seed(seed)
    T, B, I, H = 5, 3, 3, 4
    D = 2 if bidirectional else 1
    params = {}
    for k in range(layers):
        for d in range(D):
            suffix = f"_l{k}" + ("_reverse" if d == 1 else "")
            for pname, shape in ref.parameter_shapes(cell, I if k == 0 else D * H, H, suffix):
                params[pname] = torch.empty(shape).uniform_(-0.8, 0.8).requires_grad_()
    x = torch.randn(T, B, I, requires_grad=True)
    cellstate = ref.has_cell_state(cell)
    h0 = (torch.randn(layers * D, B, H) * 0.5).requires_grad_() if with_state else torch.zeros(layers * D, B, H)
    c0 = None
    if cellstate:
        c0 = (torch.randn(layers * D, B, H) * 0.5).requires_grad_() if with_state else torch.zeros(layers * D, B, H)
    out, hn, cn = ref.run_network(cell, params, x, lengths, h0, c0, layers, bidirectional)
    w_out = torch.randn(T, B, D * H)
    w_h = torch.randn(layers * D, B, H)
    w_c = torch.randn(layers * D, B, H) if cellstate else None
    loss = (out * w_out).sum() + (hn * w_h).sum()
    if cn is not None:
        loss = loss + (cn * w_c).sum()
    loss.backward()
    flat = lambda t: t.detach().reshape(-1).tolist()
    return {
        "name": name, "cell": cell, "input_size": I, "hidden_size": H, "layers": layers,
        "bidirectional": bidirectional, "steps": T, "batch": B, "lengths": lengths,
        "parameters": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in params.items()},
        "input": flat(x), "h0": flat(h0) if with_state else None, "c0": flat(c0) if (with_state and cellstate) else None,
        "w_out": flat(w_out), "w_h": flat(w_h), "w_c": flat(w_c) if w_c is not None else None,
        "output": flat(out), "h_n": flat(hn), "c_n": flat(cn) if cn is not None else None,
        "loss": loss.item(),
        "grad_parameters": {k: flat(v.grad) for k, v in params.items()},
        "grad_input": flat(x.grad),
        "grad_h0": flat(h0.grad) if with_state else None,
        "grad_c0": flat(c0.grad) if (with_state and cellstate) else None,
    }


def main_cells():
    cases = []
    seed = 101
    for cell in NEW_CELLS:
        cases.append(make_reference_case(f"{cell}_1layer", cell, 1, False, False, None, seed)); seed += 1
        cases.append(make_reference_case(f"{cell}_2layer_bidirectional_state", cell, 2, True, True, None, seed)); seed += 1
        cases.append(make_reference_case(f"{cell}_2layer_bidirectional_padded", cell, 2, True, True, [5, 2, 4], seed)); seed += 1
    json.dump({"generator": f"torch {torch.__version__}, float64, reference_cells.py, 12 significant digits",
               "cases": rounded(cases)}, sys.stdout)


def rounded(value, digits=12):
    """Floats rounded to `digits` significant digits (1e-12 relative: far inside the tests' 1e-6),
    which keeps the fixture files small."""
    if isinstance(value, float):
        return float(f"{value:.{digits}g}")
    if isinstance(value, list):
        return [rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    return value


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "cells":
        return main_cells()
    if len(sys.argv) > 1 and sys.argv[1] == "training":
        import make_training_fixtures
        return make_training_fixtures.main()
    cases = []
    seed = 1
    for cell in ["rnn_tanh", "rnn_relu", "lstm", "gru"]:
        cases.append(make_case(f"{cell}_1layer", cell, 1, False, False, None, seed)); seed += 1
        cases.append(make_case(f"{cell}_2layer_bidirectional_state", cell, 2, True, True, None, seed)); seed += 1
        cases.append(make_case(f"{cell}_2layer_bidirectional_padded", cell, 2, True, True, [5, 2, 4], seed)); seed += 1
    json.dump({"generator": f"torch {torch.__version__}, float64", "cases": cases}, sys.stdout)


class TemporalBlock(torch.nn.Module):
    def __init__(self, n_in, n_out, k, dilation):
        super().__init__()
        pad = (k - 1) * dilation
        self.pad = pad
        self.conv1 = torch.nn.utils.weight_norm(torch.nn.Conv1d(n_in, n_out, k, padding=pad, dilation=dilation))
        self.conv2 = torch.nn.utils.weight_norm(torch.nn.Conv1d(n_out, n_out, k, padding=pad, dilation=dilation))
        self.downsample = torch.nn.Conv1d(n_in, n_out, 1) if n_in != n_out else None

    def forward(self, x):  # x [B, C, T]
        chomp = lambda y: y[:, :, :-self.pad] if self.pad > 0 else y
        out = torch.relu(chomp(self.conv1(x)))
        out = torch.relu(chomp(self.conv2(out)))
        res = x if self.downsample is None else self.downsample(x)
        return torch.relu(out + res)


class TemporalConvNet(torch.nn.Module):
    def __init__(self, n_in, channels, levels, k):
        super().__init__()
        self.network = torch.nn.Sequential(*[
            TemporalBlock(n_in if i == 0 else channels, channels, k, 2 ** i) for i in range(levels)])

    def forward(self, x):  # time-major [T, B, I] -> [T, B, C]
        return self.network(x.permute(1, 2, 0)).permute(2, 0, 1)


class Attention(torch.nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = torch.nn.Linear(width, 3 * width)
        self.c_proj = torch.nn.Linear(width, width)

    def forward(self, x):  # [B, T, W]
        B, T, W = x.shape
        q, k, v = self.c_attn(x).split(W, dim=2)
        heads = lambda t: t.view(B, T, self.heads, W // self.heads).transpose(1, 2)
        y = F.scaled_dot_product_attention(heads(q), heads(k), heads(v), is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, W))


class MLP(torch.nn.Module):
    def __init__(self, width, ratio):
        super().__init__()
        self.c_fc = torch.nn.Linear(width, ratio * width)
        self.c_proj = torch.nn.Linear(ratio * width, width)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="none"))


class Block(torch.nn.Module):
    def __init__(self, width, heads, ratio):
        super().__init__()
        self.ln_1 = torch.nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln_2 = torch.nn.LayerNorm(width)
        self.mlp = MLP(width, ratio)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(torch.nn.Module):
    def __init__(self, n_in, width, layers, heads, ratio, context, learned):
        super().__init__()
        self.input = torch.nn.Linear(n_in, width)
        self.wpe = torch.nn.Embedding(context, width) if learned else None
        self.h = torch.nn.ModuleList([Block(width, heads, ratio) for _ in range(layers)])
        self.ln_f = torch.nn.LayerNorm(width)
        pe = torch.zeros(context, width)
        for t in range(context):
            for i in range(width):
                angle = t / 10000 ** ((i - i % 2) / width)
                pe[t, i] = math.sin(angle) if i % 2 == 0 else math.cos(angle)
        self.register_buffer("sinusoid", pe, persistent=False)

    def forward(self, x):  # time-major [T, B, I] -> [T, B, W]
        T = x.shape[0]
        z = self.input(x.transpose(0, 1))
        z = z + (self.wpe.weight[:T] if self.wpe is not None else self.sinusoid[:T])
        for block in self.h:
            z = block(z)
        return self.ln_f(z).transpose(0, 1)


def make_baseline_case(name, kind, net, T, B, I, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        for key, p in net.named_parameters():
            if key.endswith("weight_g") or (key.startswith(("ln", "h.")) and "ln_" in key and key.endswith("weight")):
                p.uniform_(0.5, 1.5)
            else:
                p.uniform_(-0.5, 0.5)
    x = torch.randn(T, B, I, requires_grad=True)
    y = net(x)
    w = torch.randn(*y.shape)
    loss = (y * w).sum()
    loss.backward()
    flat = lambda t: t.detach().reshape(-1).tolist()
    return {
        "name": name, "kind": kind, "steps": T, "batch": B, "input_size": I,
        "parameters": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in net.named_parameters()},
        "input": flat(x), "w_out": flat(w), "output": flat(y), "loss": loss.item(),
        "grad_parameters": {k: flat(p.grad) for k, p in net.named_parameters()},
        "grad_input": flat(x.grad),
    }


def baselines():
    cases = []
    torch.manual_seed(100)
    net = TemporalConvNet(3, 4, 2, 3)
    case = make_baseline_case("tcn_2level_downsample", "tcn", net, 9, 2, 3, 101)
    case.update({"levels": 2, "channels": 4, "kernel_size": 3})
    cases.append(case)
    torch.manual_seed(102)
    net = TemporalConvNet(4, 4, 3, 2)
    case = make_baseline_case("tcn_3level_same_width", "tcn", net, 10, 2, 4, 103)
    case.update({"levels": 3, "channels": 4, "kernel_size": 2})
    cases.append(case)
    torch.manual_seed(104)
    net = Transformer(3, 8, 2, 2, 4, 6, True)
    case = make_baseline_case("transformer_2layer_learned", "transformer", net, 5, 2, 3, 105)
    case.update({"width": 8, "layers": 2, "heads": 2, "mlp_ratio": 4, "context": 6, "learned": True})
    cases.append(case)
    torch.manual_seed(106)
    net = Transformer(2, 8, 1, 4, 2, 7, False)
    case = make_baseline_case("transformer_1layer_sinusoidal", "transformer", net, 7, 3, 2, 107)
    case.update({"width": 8, "layers": 1, "heads": 4, "mlp_ratio": 2, "context": 7, "learned": False})
    cases.append(case)
    json.dump({"generator": f"torch {torch.__version__}, float64", "cases": cases}, sys.stdout)


if __name__ == "__main__":
    baselines() if sys.argv[1:] == ["baselines"] else main()
