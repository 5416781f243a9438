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
