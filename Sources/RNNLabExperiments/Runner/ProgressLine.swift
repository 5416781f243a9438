import Foundation

/// A one-line progress bar with an ETA, redrawn in place on a terminal.
final class ProgressLine {
    let enabled: Bool
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(done: Int, of total: Int, seconds: Double, detail: String) {
        guard enabled, total > 0 else { return }
        let width = 24, filled = min(width, width * done / total)
        let eta = done > 0 ? seconds / Double(done) * Double(max(total - done, 0)) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        print("\r\u{1B}[K  \(bar) epoch \(done)/\(total) · \(detail) · ETA \(String(format: "%.0f", eta)) s", terminator: "")
        fflush(nil)
        drawn = true
    }

    func finish() {
        if drawn { print("") }
    }
}

/// Progress of a whole task (runs verified, bytes hashed) and of its current part, with an ETA from the
/// rate so far, redrawn in place on one line; used by `rnnlab verify --progress` and `rnnlab data add --progress`.
public final class ProgressDisplay {
    private let enabled: Bool
    private let unit: String
    private let start = Date()
    private var drawn = false

    /// `unit` names what is counted ("runs", "MB").
    public init(enabled: Bool, unit: String) {
        self.enabled = enabled
        self.unit = unit
    }

    /// Redraws the line: `done` of `total` overall, and the current part's state in `detail`.
    public func update(done: Double, of total: Double, detail: String = "") {
        guard enabled, total > 0 else { return }
        let width = 24, fraction = min(max(done / total, 0), 1)
        let filled = Int(Double(width) * fraction)
        let seconds = Date().timeIntervalSince(start)
        let eta = fraction > 0 ? seconds / fraction * (1 - fraction) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let count = unit == "runs" ? "\(Int(done))/\(Int(total)) \(unit)" : String(format: "%.1f/%.1f %@", done, total, unit)
        print("\r\u{1B}[K  \(bar) \(count)\(detail.isEmpty ? "" : " · \(detail)") · ETA \(String(format: "%.0f", eta)) s", terminator: "")
        fflush(nil)
        drawn = true
    }

    /// Ends the line (so that the next output starts on its own).
    public func finish() {
        if drawn { print("") }
        drawn = false
    }
}
