/// A run stopped because the checkpoint after one of its epochs could not be written.
///
/// The run file keeps the checkpoint before it (or does not exist yet, after the first epoch), so the
/// next attempt resumes from there and recomputes the lost epochs to the same numbers. The runner
/// records it as the run's failure (`rnnlab status` shows it).
public struct CheckpointNotWritten: Error, Equatable, CustomStringConvertible {
    /// The epoch whose checkpoint is missing.
    public var epoch: Int
    /// The run file.
    public var path: String
    /// Why the write failed.
    public var reason: String

    public var description: String {
        "checkpoint after epoch \(epoch) not written to \(path): \(reason); training stopped (the next run resumes from the previous checkpoint)"
    }
}
