import Foundation

/// A univariate time series read from a CSV file.
public struct TimeSeries: Equatable, Sendable {
    public var name: String
    /// The time column's values as written ("1749-01"), or row numbers when there is none.
    public var timestamps: [String]
    public var values: [Double]
    /// Missing dates between consecutive rows (for daily "YYYY-MM-DD" or monthly "YYYY-MM" stamps).
    public var gaps: [String]

    /// Reads the column `column` (by header name) of a CSV file with a header row.
    /// Quoted fields, CRLF or LF line ends and a missing final newline are accepted;
    /// an empty or non-numeric value is an error naming file, line and column.
    public static func load(contentsOf url: URL, column: String, timeColumn: String? = nil) throws -> TimeSeries {
        let lines = try TextCorpus.load(contentsOf: url).split(separator: "\n", omittingEmptySubsequences: true)
        guard let headerLine = lines.first else {
            throw DataError.malformed(path: url.path, line: 1, column: nil, reason: "empty file: expected a header row")
        }
        let header = fields(of: headerLine)
        guard let valueIndex = header.firstIndex(of: column) else {
            let hint = nearest(column, in: header).map { "; did you mean '\($0)'?" } ?? ""
            throw DataError.malformed(path: url.path, line: 1, column: column,
                                      reason: "no such column (the header has \(header.joined(separator: ", ")))\(hint)")
        }
        let timeIndex: Int?
        if let timeColumn {
            guard let index = header.firstIndex(of: timeColumn) else {
                throw DataError.malformed(path: url.path, line: 1, column: timeColumn, reason: "no such column")
            }
            timeIndex = index
        } else {
            timeIndex = header.indices.first { $0 != valueIndex }
        }
        var series = TimeSeries(name: column, timestamps: [], values: [], gaps: [])
        for (number, line) in lines.enumerated().dropFirst() {
            let row = fields(of: line)
            guard row.count == header.count else {
                throw DataError.malformed(path: url.path, line: number + 1, column: nil,
                                          reason: "\(row.count) fields where the header has \(header.count)")
            }
            let text = row[valueIndex].trimmingCharacters(in: .whitespaces)
            guard let value = Double(text), value.isFinite else {
                throw DataError.malformed(path: url.path, line: number + 1, column: column,
                                          reason: text.isEmpty ? "empty value" : "'\(text)' is not a number")
            }
            series.values.append(value)
            series.timestamps.append(timeIndex.map { row[$0] } ?? String(number))
        }
        series.gaps = missingDates(series.timestamps)
        return series
    }

    /// The fields of one CSV line; double quotes group commas and "" is a quote.
    static func fields(of line: Substring) -> [String] {
        var result: [String] = [], current = "", quoted = false
        var characters = line.makeIterator()
        while let c = characters.next() {
            if quoted {
                if c == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { current.append("\"") } else {
                            quoted = false
                            if next == "," { result.append(current); current = "" } else { current.append(next) }
                        }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                result.append(current); current = ""
            } else {
                current.append(c)
            }
        }
        result.append(current)
        return result
    }

    /// Dates missing between consecutive rows of daily or monthly timestamps.
    static func missingDates(_ stamps: [String]) -> [String] {
        let parts = stamps.map { $0.split(separator: "-").compactMap { Int($0) } }
        guard let first = parts.first, parts.allSatisfy({ $0.count == first.count }), first.count == 2 || first.count == 3 else {
            return []
        }
        var gaps: [String] = []
        if first.count == 2 {
            for (a, b) in zip(parts, parts.dropFirst()) {
                var (y, m) = (a[0], a[1])
                while true {
                    m += 1; if m > 12 { m = 1; y += 1 }
                    if (y, m) >= (b[0], b[1]) { break }
                    gaps.append(String(format: "%04d-%02d", y, m))
                }
            }
        } else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            func date(_ p: [Int]) -> Date? { calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2])) }
            for (a, b) in zip(parts, parts.dropFirst()) {
                guard var day = date(a), let end = date(b) else { continue }
                while true {
                    guard let next = calendar.date(byAdding: .day, value: 1, to: day), next < end else { break }
                    let c = calendar.dateComponents([.year, .month, .day], from: next)
                    gaps.append(String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0))
                    day = next
                }
            }
        }
        return gaps
    }
}
