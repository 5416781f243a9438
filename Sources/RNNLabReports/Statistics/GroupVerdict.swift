import RNNLabExperiments

/// Whether the best arm of a group of comparable arms beats the runner-up, and how every arm compares with the best.
public struct GroupVerdict: Sendable {
    /// The significance level of the tests (two-sided).
    public static let alpha = 0.05
    /// The power the minimum detectable difference is stated for.
    public static let power = 0.8

    /// How the best arm stands against the runner-up.
    public enum Standing: Sendable, Equatable {
        /// The only arm of its group with complete runs: nothing to compare with.
        case alone
        /// Beats the runner-up at α (p < alpha).
        case significant(p: Double)
        /// Not distinguishable from the runner-up at α.
        case tied(p: Double)
        /// The best arm or the runner-up has fewer than 2 complete runs: no test is possible.
        case untestable
    }

    /// The group's arms, as indices into the report's `arms`.
    public var members: [Int]
    /// The arm with the best mean of the primary metric.
    public var best: Int
    /// The arm with the second-best mean, if the group has another arm with complete runs.
    public var runnerUp: Int?
    /// How `best` stands against `runnerUp`.
    public var standing: Standing
    /// arm index → its test against the best arm (this arm minus the best); nil where an arm has fewer than 2 runs.
    public var versusBest: [Int: DifferenceTest]
    /// The pooled standard deviation of the best arm and the runner-up (where they have at least 2 runs each) and
    /// their smallest n: what the minimum detectable difference is computed from. For a paired test: the standard
    /// deviation of the per-seed differences and the number of pairs.
    public var pooledStd: Double?
    public var smallestN: Int?
    /// Whether the best arm's test against the runner-up is paired (then the MDD is the paired test's).
    public var isPaired = false

    /// Whether the best arm is marked (bold): alone in its group, or significantly better than the runner-up.
    public var marksBest: Bool {
        switch standing {
        case .alone, .significant: return true
        case .tied, .untestable: return false
        }
    }

    /// The minimum detectable difference at the group's smallest n and pooled std (see `MinimumDetectableDifference`).
    public var minimumDetectableDifference: Double? {
        guard let pooledStd, let smallestN else { return nil }
        return isPaired ? MinimumDetectableDifference.paired(differenceStd: pooledStd, n: smallestN, alpha: Self.alpha, power: Self.power)
                        : MinimumDetectableDifference.value(std: pooledStd, n: smallestN, alpha: Self.alpha, power: Self.power)
    }
}

extension ExperimentReport {
    /// One verdict per group of comparable arms (`baselineGroups`) that has a complete run, in the groups' order.
    public var verdicts: [GroupVerdict] {
        let metric = experiment.report.metric, lower = experiment.report.lowerIsBetter
        return baselineGroups(missing: "–").compactMap { group -> GroupVerdict? in
            let ranked = group.members.compactMap { index -> (index: Int, mean: Double)? in
                SeedStatistics.meanAndStd(arms[index].values[metric] ?? []).map { (index, $0.mean) }
            }.sorted { lower ? $0.mean < $1.mean : $0.mean > $1.mean }
            guard let best = ranked.first?.index else { return nil }
            let runnerUp = ranked.dropFirst().first?.index
            let bestValues = arms[best].values[metric] ?? []
            var versus: [Int: DifferenceTest] = [:]
            for (index, _) in ranked.dropFirst() {
                if let pairs = pairedValues(index, best, metric: metric) {
                    versus[index] = DifferenceTest.paired(pairs.a, pairs.b)
                } else {
                    versus[index] = DifferenceTest.welch(arms[index].values[metric] ?? [], bestValues)
                }
            }
            let standing: GroupVerdict.Standing
            if let runnerUp {
                if let test = versus[runnerUp] {
                    standing = test.p < GroupVerdict.alpha ? .significant(p: test.p) : .tied(p: test.p)
                } else {
                    standing = .untestable
                }
            } else {
                standing = .alone
            }
            // The MDD is that of the comparison the bold rests on: the best arm against the runner-up.
            if let runnerUp, let pairs = pairedValues(runnerUp, best, metric: metric) {
                let differences = SeedStatistics.meanAndStd(zip(pairs.a, pairs.b).map { $0 - $1 })
                return GroupVerdict(members: group.members, best: best, runnerUp: runnerUp, standing: standing, versusBest: versus,
                                    pooledStd: differences?.std, smallestN: pairs.a.count, isPaired: true)
            }
            let samples = ranked.prefix(2).map { arms[$0.index].values[metric] ?? [] }.filter { $0.count >= 2 }
            let tested = samples.count == 2
            return GroupVerdict(members: group.members, best: best, runnerUp: runnerUp, standing: standing, versusBest: versus,
                                pooledStd: tested ? MinimumDetectableDifference.pooledStd(samples) : nil,
                                smallestN: tested ? samples.map(\.count).min() : nil)
        }
    }

    /// The two arms' values of `metric` paired by seed, in the same seed order, where the pairing holds: both arms
    /// draw the same data order from a seed (equal `pairingKey`) and their complete runs are of exactly the same
    /// seeds, at least 2. Otherwise nil, and the arms are compared by Welch's test.
    func pairedValues(_ a: Int, _ b: Int, metric: String) -> (a: [Double], b: [Double])? {
        let (armA, armB) = (arms[a], arms[b])
        guard let key = armA.pairingKey, key == armB.pairingKey,
              let seedsA = armA.valueSeeds[metric], let seedsB = armB.valueSeeds[metric],
              let valuesA = armA.values[metric], let valuesB = armB.values[metric],
              seedsA.count == valuesA.count, seedsB.count == valuesB.count, seedsA.count >= 2,
              Set(seedsA).count == seedsA.count, Set(seedsA) == Set(seedsB), seedsA.count == seedsB.count else { return nil }
        let byB = Dictionary(uniqueKeysWithValues: zip(seedsB, valuesB))
        return (valuesA, seedsA.compactMap { byB[$0] })
    }
}
