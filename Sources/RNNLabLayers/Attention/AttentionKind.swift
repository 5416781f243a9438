/// The score function of an attention mechanism (see `docs/models.md`).
public enum AttentionKind: String, CaseIterable, Codable, Sendable {
    /// Bahdanau et al. 2015: e = vᵀ tanh(W_q q + W_k k + b_k).
    case additive
    /// Luong et al. 2015, "dot": e = qᵀ k (query and key sizes must agree).
    case dot
    /// Luong et al. 2015, "general": e = qᵀ W_a k.
    case general
}
