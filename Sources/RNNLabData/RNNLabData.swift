// RNNLabData: the data-set registry, checksums, file-format loaders, tokenisers and MIDI output.
