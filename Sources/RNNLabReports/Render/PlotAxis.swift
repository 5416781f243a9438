import Foundation

/// How an axis maps values to positions: in proportion to the value, or to its base-10 logarithm.
enum PlotScale: Equatable, Sendable {
    case linear
    case log

    /// The scale for a set of values: log when every finite value is positive and they span more than two
    /// decades (largest / smallest > 100), linear otherwise (a log axis could not show zero or a negative value).
    static func automatic(for values: [Double]) -> PlotScale {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), low > 0 else { return .linear }
        return high / low > 100 ? .log : .linear
    }
}

/// One labelled tick of an axis.
struct PlotTick: Equatable, Sendable {
    var value: Double
    var label: String
}

/// A value axis: its scale, the range it shows and its ticks, all at "round" values: multiples of a 1, 2 or 5 × 10^k
/// step on a linear axis, powers of ten (with 2 and 5 × 10^k when the values span less than two decades) on a log one.
/// Labels are written from integers, so they never show binary floating-point noise (0.30000000000000004).
struct PlotAxis: Equatable, Sendable {
    var scale: PlotScale
    /// The smallest and largest values the axis shows.
    var low: Double
    var high: Double
    var ticks: [PlotTick]

    /// Where `value` sits between `low` (0) and `high` (1); nil when the axis cannot show it (not finite, or not
    /// positive on a log axis). Values outside the range give fractions outside 0…1.
    func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch scale {
        case .linear:
            return (value - low) / (high - low)
        case .log:
            guard value > 0 else { return nil }
            return (log10(value) - log10(low)) / (log10(high) - log10(low))
        }
    }

    /// An axis for `values` on `scale`: with `extend`, the range grows to the ticks just outside the values (so that
    /// it starts and ends at round numbers); `integral` allows only whole-number steps (epochs, steps). At most
    /// `maxTicks` ticks, and only tick sets whose labels `fit` (the caller measures them against its pixels).
    static func make(values: [Double], scale: PlotScale, extend: Bool = true, integral: Bool = false, maxTicks: Int = 8,
                     fits: ([String]) -> Bool = { _ in true }) -> PlotAxis {
        let finite = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard let low = finite.min(), let high = finite.max() else {
            return linear(low: 0, high: 1, extend: true, integral: integral, maxTicks: maxTicks, fits: fits)
        }
        switch scale {
        case .linear: return linear(low: low, high: high, extend: extend, integral: integral, maxTicks: maxTicks, fits: fits)
        case .log: return logarithmic(low: low, high: high, maxTicks: maxTicks, fits: fits)
        }
    }

    /// A linear axis over low…high: the smallest 1-2-5 × 10^k step that gives at most `maxTicks` ticks whose labels fit.
    static func linear(low: Double, high: Double, extend: Bool = true, integral: Bool = false, maxTicks: Int = 8,
                       fits: ([String]) -> Bool = { _ in true }) -> PlotAxis {
        var (low, high) = (min(low, high), max(low, high))
        if high - low <= 1e-12 * max(abs(low), abs(high)) || high == low {
            let pad = integral ? 1 : (low == 0 ? 1 : abs(low) * 0.1)
            (low, high) = (low - pad, high + pad)
        }
        let span = high - low
        var exponent = Int(floor(log10(span / Double(max(maxTicks, 1))))) - 1
        if integral { exponent = max(exponent, 0) }
        var chosen: (ticks: [PlotTick], low: Double, high: Double)?
        search: while exponent < 400 {
            for mantissa in [1, 2, 5] {
                let step = Double(mantissa) * powerOfTen(exponent)
                let first = extend ? floor(low / step + 1e-9) : ceil(low / step - 1e-9)
                let last = extend ? ceil(high / step - 1e-9) : floor(high / step + 1e-9)
                guard last - first + 1 <= Double(maxTicks), abs(first) < 1e15, abs(last) < 1e15 else { continue }
                let units = (Int(first)...Int(max(first, last))).map { $0 * mantissa }
                let ticks = labelled(units: units, exponent: exponent)
                guard fits(ticks.map(\.label)) || ticks.count <= 2 else { continue }
                chosen = (ticks, extend ? min(low, ticks.first?.value ?? low) : low, extend ? max(high, ticks.last?.value ?? high) : high)
                break search
            }
            exponent += 1
        }
        guard let chosen else { return PlotAxis(scale: .linear, low: low, high: high, ticks: []) }
        return PlotAxis(scale: .linear, low: chosen.low, high: chosen.high, ticks: chosen.ticks)
    }

    /// A log axis over low…high (both positive), extended to whole decades: a tick at each power of ten (every
    /// second, third, … decade when they would not fit), and at 2 and 5 × 10^k too when high / low < 100.
    static func logarithmic(low: Double, high: Double, maxTicks: Int = 8, fits: ([String]) -> Bool = { _ in true }) -> PlotAxis {
        let (low, high) = (min(low, high), max(low, high))
        let lowExponent = Int(floor(log10(low) + 1e-12))
        var highExponent = Int(ceil(log10(high) - 1e-12))
        if highExponent <= lowExponent { highExponent = lowExponent + 1 }
        let range = (low: powerOfTen(lowExponent), high: powerOfTen(highExponent))
        if high / low < 100 {
            let ticks = (lowExponent...highExponent).flatMap { exponent in
                [1, 2, 5].compactMap { mantissa -> PlotTick? in
                    exponent == highExponent && mantissa > 1 ? nil : logTick(mantissa: mantissa, exponent: exponent)
                }
            }
            if ticks.count <= maxTicks && fits(ticks.map(\.label)) {
                return PlotAxis(scale: .log, low: range.low, high: range.high, ticks: ticks)
            }
        }
        var stride = 1
        while true {
            let ticks = Swift.stride(from: lowExponent, through: highExponent, by: stride).map { logTick(mantissa: 1, exponent: $0) }
            if (ticks.count <= maxTicks && fits(ticks.map(\.label))) || ticks.count <= 2 {
                return PlotAxis(scale: .log, low: range.low, high: range.high, ticks: ticks)
            }
            stride += 1
        }
    }

    /// Ticks at units × 10^exponent, labelled with the same number of decimals (or all in scientific notation
    /// when the largest is below 0.001 or from 100 000 on).
    static func labelled(units: [Int], exponent: Int) -> [PlotTick] {
        let largest = (units.map { abs($0) }.max() ?? 0)
        let magnitude = Double(largest) * powerOfTen(exponent)
        let scientific = largest != 0 && (magnitude < 1e-3 || magnitude >= 1e5)
        return units.map { n in
            PlotTick(value: value(units: n, exponent: exponent),
                     label: scientific ? scientificText(units: n, exponent: exponent) : decimalText(units: n, exponent: exponent))
        }
    }

    /// mantissa × 10^exponent as a log-axis tick: decimal from 0.001 to below 100 000, scientific outside.
    static func logTick(mantissa: Int, exponent: Int) -> PlotTick {
        let text = exponent < -3 || exponent > 4 ? scientificText(units: mantissa, exponent: exponent)
                                                 : decimalText(units: mantissa, exponent: exponent)
        return PlotTick(value: value(units: mantissa, exponent: exponent), label: text)
    }

    /// units × 10^exponent, as exactly as a Double can hold it (10^k is exact up to k = 22).
    static func value(units: Int, exponent: Int) -> Double {
        exponent >= 0 ? Double(units) * powerOfTen(exponent) : Double(units) / powerOfTen(-exponent)
    }

    /// 10^k: by repeated multiplication (exact) up to k = 22, by `pow` beyond.
    static func powerOfTen(_ k: Int) -> Double {
        guard abs(k) <= 22 else { return pow(10, Double(k)) }
        var result = 1.0
        for _ in 0..<abs(k) { result *= 10 }
        return k >= 0 ? result : 1 / result
    }

    /// units × 10^exponent in decimal digits: "0.05", "-1.5", "300"; zero is "0".
    static func decimalText(units: Int, exponent: Int) -> String {
        guard units != 0 else { return "0" }
        let sign = units < 0 ? "-" : ""
        var digits = String(abs(units))
        if exponent >= 0 { return sign + digits + String(repeating: "0", count: exponent) }
        let decimals = -exponent
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -decimals)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// units × 10^exponent in scientific notation without trailing zeros: "1.5e-4", "2e6"; zero is "0".
    static func scientificText(units: Int, exponent: Int) -> String {
        guard units != 0 else { return "0" }
        var digits = String(abs(units)), exponent = exponent
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast(); exponent += 1 }
        let rest = digits.dropFirst()
        let power = exponent + rest.count
        return (units < 0 ? "-" : "") + String(digits.prefix(1)) + (rest.isEmpty ? "" : "." + rest) + "e\(power)"
    }
}
