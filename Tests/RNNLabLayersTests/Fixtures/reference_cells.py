"""Plain-PyTorch references of the recurrent cells PyTorch has no module for, in float64.

Each cell is written from its paper's equations (docs/models.md), step by step with autograd,
except minGRU and minLSTM, which use the log-space parallel scan of Feng et al. (2024), the
Heinsen (2023) form: log h_t = a*_t + logcumsumexp(log b - a*)_t with a* = cumsum(log a).
RNNLab's Swift code is a separate implementation (blocked two-level scan); these references
only define the numbers it must reproduce.

A layer runs over x [T, B, I] with per-row lengths; a reverse direction reverses each row within
its length (PyTorch's packed-sequence semantics), so padded steps carry the state and output zeros.
"""
import torch
import torch.nn.functional as F

GREFF = {
    # name: (input gate, forget gate, coupled, output gate, input activation, output activation, peepholes, fgr)
    "lstm_peephole": (True, True, False, True, True, True, True, False),
    "lstm_nig": (False, True, False, True, True, True, True, False),
    "lstm_nfg": (True, False, False, True, True, True, True, False),
    "lstm_nog": (True, True, False, False, True, True, True, False),
    "lstm_niaf": (True, True, False, True, False, True, True, False),
    "lstm_noaf": (True, True, False, True, True, False, True, False),
    "lstm_np": (True, True, False, True, True, True, False, False),
    "lstm_cifg": (True, False, True, True, True, True, True, False),
    "lstm_fgr": (True, True, False, True, True, True, True, True),
}


def gate_count(cell):
    if cell in ("indrnn", "indrnn_tanh"):
        return 1
    if cell == "min_gru":
        return 2
    if cell == "min_lstm":
        return 3
    i, f, _, o, *_ = GREFF[cell]
    return int(i) + int(f) + int(o) + 1


def has_cell_state(cell):
    return cell in GREFF


def parameter_shapes(cell, I, H, suffix):
    """state_dict-style names and shapes of one layer and direction, in RNNLab's order."""
    G = gate_count(cell)
    shapes = [("weight_ih" + suffix, (G * H, I))]
    if cell in ("indrnn", "indrnn_tanh"):
        return shapes + [("weight_hh" + suffix, (H,)), ("bias_ih" + suffix, (G * H,))]
    if cell in ("min_gru", "min_lstm"):
        return shapes + [("bias_ih" + suffix, (G * H,))]
    i, f, coupled, o, _, _, peep, fgr = GREFF[cell]
    shapes += [("weight_hh" + suffix, (G * H, H)), ("bias_ih" + suffix, (G * H,)), ("bias_hh" + suffix, (G * H,))]
    if peep:
        shapes += [("weight_c" + n + suffix, (H,)) for n, present in (("i", i), ("f", f), ("o", o)) if present]
    if fgr:
        S = (int(i) + int(f) + int(o)) * H
        shapes.append(("weight_gg" + suffix, (S, S)))
    return shapes


def log_g(x):
    return torch.where(x >= 0, torch.log(F.relu(x) + 0.5), -F.softplus(-x))


def scan_layer(cell, p, s, x, mask, h0):
    """minGRU / minLSTM over the whole sequence: h_t = a_t h_{t-1} + b_t in log space."""
    H = h0.shape[-1]
    pre = x @ p["weight_ih" + s].T + p["bias_ih" + s]            # [T, B, G*H]
    if cell == "min_gru":
        k = pre[..., :H]
    else:
        k = F.softplus(-pre[..., :H]) - F.softplus(-pre[..., H:2 * H])   # log(i/f)
    cand = pre[..., -H:]
    log_a = -F.softplus(k)
    log_b = -F.softplus(-k) + log_g(cand)
    m = mask.unsqueeze(-1)
    log_a = torch.where(m, log_a, torch.zeros_like(log_a))      # padded steps: the identity
    log_b = torch.where(m, log_b, torch.full_like(log_b, -1e300))
    a_star = torch.cumsum(log_a, dim=0)
    log_s = a_star + torch.logcumsumexp(log_b - a_star, dim=0)
    h = torch.exp(a_star) * h0.unsqueeze(0) + torch.exp(log_s)
    return h, h[-1], None


def step_layer(cell, p, s, x, mask, h0, c0):
    """IndRNN and the peephole LSTMs, one step at a time; padded rows keep their state."""
    T = x.shape[0]
    H = h0.shape[-1]
    h, c = h0, c0
    outputs = []
    if cell in GREFF:
        gi, gf, coupled, go, in_act, out_act, peep, fgr = GREFF[cell]
        blocks = {}
        index = 0
        for name, present in (("i", gi), ("f", gf), ("o", go)):
            if present:
                blocks[name] = index
                index += 1
        blocks["g"] = index
        S = index * H
        prev_gates = torch.zeros(x.shape[1], S, dtype=x.dtype)
    for t in range(T):
        m = mask[t].unsqueeze(-1)
        if cell in ("indrnn", "indrnn_tanh"):
            a = x[t] @ p["weight_ih" + s].T + p["bias_ih" + s] + p["weight_hh" + s] * h
            h_new = torch.relu(a) if cell == "indrnn" else torch.tanh(a)
            h = torch.where(m, h_new, h)
            outputs.append(h)
            continue
        pre = x[t] @ p["weight_ih" + s].T + p["bias_ih" + s] + h @ p["weight_hh" + s].T + p["bias_hh" + s]
        if fgr:
            pre = torch.cat([pre[:, :S] + prev_gates @ p["weight_gg" + s].T, pre[:, S:]], dim=1)

        def block(name):
            b = blocks[name]
            return pre[:, b * H:(b + 1) * H]
        one = torch.ones_like(h)
        i = torch.sigmoid(block("i") + (p["weight_ci" + s] * c if peep else 0)) if gi else one
        if gf:
            f = torch.sigmoid(block("f") + (p["weight_cf" + s] * c if peep else 0))
        elif coupled:
            f = 1 - i
        else:
            f = one
        g = torch.tanh(block("g")) if in_act else block("g")
        c_new = f * c + i * g
        o = torch.sigmoid(block("o") + (p["weight_co" + s] * c_new if peep else 0)) if go else one
        h_new = o * (torch.tanh(c_new) if out_act else c_new)
        if fgr:
            gates_now = torch.cat([i, f, o], dim=1)
            prev_gates = torch.where(m, gates_now, torch.zeros_like(gates_now))
        h = torch.where(m, h_new, h)
        c = torch.where(m, c_new, c)
        outputs.append(h)
    return torch.stack(outputs), h, c


def reverse_rows(x, lengths):
    """Each row reversed within its length; padded steps stay in place."""
    out = x.clone()
    for b, n in enumerate(lengths):
        out[:n, b] = x[:n, b].flip(0)
    return out


def run_network(cell, params, x, lengths, h0, c0, layers, bidirectional):
    """output [T, B, D*H] (zeros at padded steps), h_n and c_n [L*D, B, H]."""
    T, B, _ = x.shape
    D = 2 if bidirectional else 1
    H = h0.shape[-1]
    lengths = lengths if lengths is not None else [T] * B
    mask = torch.tensor([[t < n for n in lengths] for t in range(T)])
    hs, cs = [], []
    layer_input = x
    for k in range(layers):
        outs = []
        for d in range(D):
            s = f"_l{k}" + ("_reverse" if d == 1 else "")
            idx = k * D + d
            xin = reverse_rows(layer_input, lengths) if d == 1 else layer_input
            if cell in ("min_gru", "min_lstm"):
                out, hn, cn = scan_layer(cell, params, s, xin, mask, h0[idx])
                # the final state is the one after each row's last real step
                hn = torch.stack([out[n - 1, b] if n > 0 else h0[idx, b] for b, n in enumerate(lengths)])
            else:
                out, hn, cn = step_layer(cell, params, s, xin, mask, h0[idx], c0[idx] if c0 is not None else None)
            out = out * mask.unsqueeze(-1)
            if d == 1:
                out = reverse_rows(out, lengths)
            outs.append(out)
            hs.append(hn)
            if cn is not None:
                cs.append(cn)
        layer_input = torch.cat(outs, dim=-1)
    return layer_input, torch.stack(hs), (torch.stack(cs) if cs else None)
