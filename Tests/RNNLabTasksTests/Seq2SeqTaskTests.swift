import Foundation
import RNNLabLayers
import RNNLabTasks
import RNNLabTraining
import XCTest

/// Every generated sequence-to-sequence example is valid, checked independently
/// of the generator (dates are parsed back and checked with Foundation's calendar).
final class Seq2SeqTaskTests: XCTestCase {
    func task(_ kind: Seq2SeqTaskKind, _ L: Int) throws -> Seq2SeqTask {
        try Seq2SeqTask(kind: kind, maxTrainingSize: L, trainingExamples: 300, validationExamples: 50, testExamplesPerSize: 40, dataSeed: 5)
    }

    func allExamples(_ task: Seq2SeqTask) -> [Seq2SeqExample] {
        task.examples(nil) + task.examples(.validation) + task.examples(.test)
    }

    func testReversalReverses() throws {
        let t = try task(.reversal, 10)
        for e in allExamples(t) {
            XCTAssertEqual(String(e.source.reversed()), e.target)
            XCTAssertEqual(e.source.count, e.size)
        }
        XCTAssertTrue(t.examples(nil).allSatisfy { (1...10).contains($0.size) })
        XCTAssertEqual(Set(t.examples(.test).map(\.size)), [5, 10, 15, 20], "test sets at and beyond L")
        XCTAssertEqual(Set(t.examples(nil).map(\.size)).count, 10, "training covers every size 1...L")
    }

    func testSortedIsSortedAndAPermutation() throws {
        for e in allExamples(try task(.sorting, 8)) {
            XCTAssertEqual(Array(e.target), Array(e.target).sorted())
            var counts: [Character: Int] = [:]
            for c in e.source { counts[c, default: 0] += 1 }
            for c in e.target { counts[c, default: 0] -= 1 }
            XCTAssertTrue(counts.values.allSatisfy { $0 == 0 }, "\(e.target) is a permutation of \(e.source)")
        }
    }

    func testSumsAddUp() throws {
        let t = try task(.addition, 4)
        for e in allExamples(t) {
            let parts = e.source.split(separator: "+")
            XCTAssertEqual(parts.count, 2)
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), let sum = Int(e.target) else {
                XCTFail("unparsable \(e.source) → \(e.target)"); continue
            }
            XCTAssertEqual(a + b, sum, e.source)
            XCTAssertEqual(max(parts[0].count, parts[1].count), e.size)
            XCTAssertFalse(parts[0].hasPrefix("0") || parts[1].hasPrefix("0"))
        }
    }

    /// Parses a source date without the generator's code: month names by their
    /// first three letters, a four-digit year, ordinal suffixes stripped; numeric
    /// forms are day.month.year or year/month/day.
    func parse(_ text: String) -> (year: Int, month: Int, day: Int, weekday: String?)? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        var numbers: [String] = [], month: Int?, weekday: String?
        for word in words {
            if word.first!.isNumber {
                numbers.append(String(word.prefix { $0.isNumber }))
            } else if let m = months.firstIndex(of: String(word.prefix(3))) {
                guard month == nil else { return nil }
                month = m + 1
            } else if weekdays.contains(String(word.prefix(3))) {
                weekday = String(word.prefix(3))
            } else if word != "the" && word != "of" {
                return nil
            }
        }
        if let month {
            guard numbers.count == 2, let yearIndex = numbers.firstIndex(where: { $0.count == 4 }) else { return nil }
            return (Int(numbers[yearIndex])!, month, Int(numbers[1 - yearIndex])!, weekday)
        }
        guard numbers.count == 3 else { return nil }
        if numbers[0].count == 4 { return (Int(numbers[0])!, Int(numbers[1])!, Int(numbers[2])!, weekday) }
        return (Int(numbers[2])!, Int(numbers[1])!, Int(numbers[0])!, weekday)
    }

    func testDatesParseBackToTheSameDate() throws {
        let t = try task(.dates, 20)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        var formatsSeen = Set<String>()
        for e in allExamples(t) {
            guard let parsed = parse(e.source) else { XCTFail("cannot parse \(e.source)"); continue }
            let iso = String(format: "%04d-%02d-%02d", parsed.year, parsed.month, parsed.day)
            XCTAssertEqual(iso, e.target, e.source)
            let components = DateComponents(calendar: calendar, timeZone: calendar.timeZone,
                                            year: parsed.year, month: parsed.month, day: parsed.day)
            XCTAssertTrue(components.isValidDate, "\(e.target) is a real date")
            if let weekday = parsed.weekday, let date = components.date {
                XCTAssertEqual(weekdayNames[calendar.component(.weekday, from: date) - 1], weekday, e.source)
            }
            XCTAssertEqual(e.size, e.source.count)
            formatsSeen.insert(e.source.replacingOccurrences(of: "[0-9]", with: "9", options: .regularExpression)
                .replacingOccurrences(of: "[a-z]+", with: "w", options: .regularExpression))
        }
        XCTAssertTrue(t.examples(nil).allSatisfy { $0.source.count <= 20 }, "training sources have at most L characters")
        XCTAssertTrue(t.examples(.test).contains { $0.source.count > 20 }, "the test set reaches beyond L")
        XCTAssertGreaterThanOrEqual(formatsSeen.count, 13, "many surface formats")
        // The example from the issue.
        XCTAssertEqual(DateFormat.dayShortMonthYear.render(CalendarDate(year: 2026, month: 11, day: 23), zeroPadded: false), "23 nov 2026")
        XCTAssertEqual(CalendarDate(year: 2026, month: 11, day: 23).iso, "2026-11-23")
    }

    func testSeededSplitsAndBatches() throws {
        let a = try task(.addition, 3), b = try task(.addition, 3)
        XCTAssertEqual(a.examples(nil), b.examples(nil), "same seed, same examples")
        XCTAssertNotEqual(a.examples(nil), a.examples(.validation), "splits draw from their own streams")
        var c = a
        c.dataSeed = 6
        XCTAssertNotEqual(a.examples(nil), c.examples(nil))
        let examples = Array(a.examples(.test).prefix(3))
        let batch = try a.batch(examples)
        let v = a.vocabulary
        XCTAssertEqual(batch.batch, 3)
        XCTAssertEqual(batch.sourceLengths, examples.map(\.source.count))
        for (row, e) in examples.enumerated() {
            let source = (0..<batch.sourceLengths[row]).map { batch.sourceTokens[$0 * 3 + row] }
            XCTAssertEqual(v.decode(source), e.source)
            let target = (0..<batch.targetLengths[row]).map { batch.targets[$0 * 3 + row] }
            XCTAssertEqual(target.last, Seq2SeqVocabulary.endToken)
            XCTAssertEqual(v.decode(target), e.target)
            XCTAssertEqual(batch.decoderInputs[row], Seq2SeqVocabulary.beginToken)
        }
        XCTAssertThrowsError(try v.encode("12a"))
        XCTAssertThrowsError(try Seq2SeqTask(kind: .dates, maxTrainingSize: 4))
    }
}
