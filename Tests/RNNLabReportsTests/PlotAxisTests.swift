import Foundation
import XCTest
@testable import RNNLabReports

/// Ticks and scales of the plots' axes: round values, labels without floating-point noise, log where values span decades.
final class PlotAxisTests: XCTestCase {
    func testLinearTicksAreMultiplesOfAOneTwoFiveStep() {
        let axis = PlotAxis.linear(low: 0, high: 0.3, maxTicks: 8)
        XCTAssertEqual(axis.ticks.map(\.value), [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
        XCTAssertEqual(axis.ticks.map(\.label), ["0", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30"])
        XCTAssertEqual(PlotAxis.linear(low: 0.1, high: 0.7, maxTicks: 7).ticks.map(\.label), ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        XCTAssertEqual(PlotAxis.linear(low: 0.1, high: 0.7, maxTicks: 7).ticks.map(\.value)[2], 0.3, "3 × 0.1 would be 0.30000000000000004")
    }

    func testTicksStayRoundOverManyRanges() {
        let ranges: [(Double, Double)] = [(0, 1), (0.013, 0.171), (-3.7, 12.2), (0.5, 0.91), (1, 50), (1e-6, 7e-5), (123, 45_678), (0.7, 0.70001),
                                          (2.5e5, 9.1e6), (-0.004, 0.002), (0.1, 0.3)]
        for (low, high) in ranges {
            for maxTicks in [4, 6, 8, 10] {
                let axis = PlotAxis.linear(low: low, high: high, maxTicks: maxTicks)
                XCTAssertTrue((2...maxTicks).contains(axis.ticks.count), "\(low)…\(high): \(axis.ticks)")
                XCTAssertLessThanOrEqual(axis.low, low)
                XCTAssertGreaterThanOrEqual(axis.high, high)
                let values = axis.ticks.map(\.value)
                let step = values[1] - values[0]
                let mantissa = step / pow(10, floor(log10(step)))
                XCTAssertTrue([1, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "step \(step) for \(low)…\(high)")
                for tick in axis.ticks {
                    XCTAssertLessThanOrEqual(tick.label.count, 9, "\(tick.label) for \(low)…\(high)")
                    XCTAssertEqual(Double(tick.label) ?? .nan, tick.value, accuracy: abs(tick.value) * 1e-12, tick.label)
                    XCTAssertFalse(tick.label.contains("000000") || tick.label.contains("999999"), tick.label)
                }
            }
        }
    }

    func testIntegralAxesStepByWholeNumbersWithinTheData() {
        let axis = PlotAxis.make(values: [1, 2, 3, 4], scale: .linear, extend: false, integral: true, maxTicks: 10)
        XCTAssertEqual(axis.ticks.map(\.label), ["1", "2", "3", "4"])
        XCTAssertEqual(PlotAxis.make(values: [1, 50], scale: .linear, extend: false, integral: true, maxTicks: 6).ticks.map(\.label),
                       ["10", "20", "30", "40", "50"])
    }

    func testLogTicksArePowersOfTen() {
        let axis = PlotAxis.logarithmic(low: 1e-5, high: 1, maxTicks: 8)
        XCTAssertEqual(axis.ticks.map(\.label), ["1e-5", "1e-4", "0.001", "0.01", "0.1", "1"])
        XCTAssertEqual(axis.ticks.map(\.value), [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1])
        XCTAssertEqual(PlotAxis.logarithmic(low: 2e-5, high: 0.2, maxTicks: 8).ticks.map(\.label), ["1e-5", "1e-4", "0.001", "0.01", "0.1", "1"])
        // Less than two decades: 2 and 5 too.
        XCTAssertEqual(PlotAxis.logarithmic(low: 0.5, high: 3, maxTicks: 8).ticks.map(\.label), ["0.1", "0.2", "0.5", "1", "2", "5", "10"])
        // Many decades: every second (or third) decade, within the limit.
        let wide = PlotAxis.logarithmic(low: 1e-12, high: 1e3, maxTicks: 8)
        XCTAssertLessThanOrEqual(wide.ticks.count, 8)
        XCTAssertEqual(wide.ticks.first?.label, "1e-12")
        XCTAssertEqual(wide.low, 1e-12)
        XCTAssertEqual(wide.high, 1000)
    }

    func testLogScaleOnlyWhereValuesSpanMoreThanTwoDecades() {
        XCTAssertEqual(PlotScale.automatic(for: [1e-5, 3e-3, 0.2]), .log)
        XCTAssertEqual(PlotScale.automatic(for: [0.01, 0.17]), .linear)
        XCTAssertEqual(PlotScale.automatic(for: [0.5, 0.9]), .linear)
        XCTAssertEqual(PlotScale.automatic(for: [0.001, 0.1]), .linear, "exactly two decades")
        XCTAssertEqual(PlotScale.automatic(for: [0, 1e-5, 1]), .linear, "a log axis cannot show 0")
        XCTAssertEqual(PlotScale.automatic(for: [.nan, 1e-5, 1, .infinity]), .log)
    }

    func testNumbersAreWrittenFromIntegers() {
        XCTAssertEqual(PlotAxis.decimalText(units: 3, exponent: -1), "0.3")
        XCTAssertEqual(PlotAxis.decimalText(units: -15, exponent: -3), "-0.015")
        XCTAssertEqual(PlotAxis.decimalText(units: 25, exponent: 2), "2500")
        XCTAssertEqual(PlotAxis.scientificText(units: 15, exponent: -5), "1.5e-4")
        XCTAssertEqual(PlotAxis.scientificText(units: 200, exponent: 4), "2e6")
        XCTAssertEqual(PlotText.number(0.1 + 0.2), "0.3")
    }
}
