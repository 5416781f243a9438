"""Known-answer fixtures for RNNLab's recurrent layers, computed by PyTorch in float64.

Run with any PyTorch >= 2.0:
    python make_pytorch_fixtures.py > pytorch_recurrent.json          nn.RNN, nn.LSTM, nn.GRU
    python make_pytorch_fixtures.py cells > pytorch_cells.json        the cells PyTorch has no module for,
                                                                      from the plain-PyTorch references in
                                                                      reference_cells.py
    python make_pytorch_fixtures.py training > ../../RNNLabTrainingTests/Fixtures/pytorch_training.json
                                                                      whole training steps (make_training_fixtures.py)
The Swift tests load the JSON, copy the parameters into RNNLab's networks by their
state_dict names, and compare outputs, final states and every gradient to 1e-6.

Each case's loss is a fixed random linear function of everything the network returns,
    L = sum(output * w_out) + sum(h_n * w_h) + sum(c_n * w_c),
so that every output element receives a distinct, nonzero gradient.
"""
import json
import sys

import torch
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


if __name__ == "__main__":
    main()
