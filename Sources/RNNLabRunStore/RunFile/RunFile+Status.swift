extension RunFile {
    /// The root `status` attribute: how far the run got. The raw values are the strings stored in the file.
    public enum Status: String, Sendable, CaseIterable {
        /// Not finished: the file holds the last checkpoint, and the run resumes from it.
        case running
        /// Trained to the end of its budget (or stopped early).
        case complete
        /// A non-finite loss or gradient stopped it (`status_detail` says where).
        case diverged
    }
}
