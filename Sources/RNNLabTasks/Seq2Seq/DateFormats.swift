/// Calendar dates and the surface forms the date-normalisation task writes them in.
public struct CalendarDate: Equatable, Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 0 = Sunday … 6 = Saturday (Sakamoto's method, Gregorian calendar).
    public var weekday: Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
    }

    /// ISO 8601, "2026-11-23": the task's target.
    public var iso: String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// The surface formats of the date-normalisation task. Numeric forms are day
/// first (or year first), never month first, so that every source is unambiguous.
public enum DateFormat: Int, CaseIterable, Sendable {
    case dayShortMonthYear        // 23 nov 2026
    case dayLongMonthYear         // 23 november 2026
    case shortMonthDayCommaYear   // nov 23, 2026
    case longMonthDayCommaYear    // november 23, 2026
    case ordinalShortMonthYear    // 23rd nov 2026
    case theOrdinalOfMonthYear    // the 23rd of november, 2026
    case dotted                   // 23.11.2026 (day and month with or without leading zero)
    case slashed                  // 23/11/2026
    case yearFirstSlashed         // 2026/11/23
    case hyphenatedShortMonth     // 23-nov-2026
    case weekdayLong              // monday, 23 november 2026
    case weekdayShort             // mon 23 nov 2026
    case yearShortMonthDay        // 2026 nov 23

    static let longMonths = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]
    static let longWeekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    static func ordinal(_ day: Int) -> String {
        let suffix: String
        if (11...13).contains(day % 100) { suffix = "th" } else {
            switch day % 10 {
            case 1: suffix = "st"
            case 2: suffix = "nd"
            case 3: suffix = "rd"
            default: suffix = "th"
            }
        }
        return "\(day)\(suffix)"
    }

    /// The date written in this format; `zeroPadded` pads numeric days and months to two digits.
    public func render(_ date: CalendarDate, zeroPadded: Bool) -> String {
        let long = DateFormat.longMonths[date.month - 1], short = String(long.prefix(3))
        let weekday = DateFormat.longWeekdays[date.weekday]
        func two(_ n: Int) -> String { zeroPadded && n < 10 ? "0\(n)" : "\(n)" }
        let (d, y) = (date.day, date.year)
        switch self {
        case .dayShortMonthYear: return "\(d) \(short) \(y)"
        case .dayLongMonthYear: return "\(d) \(long) \(y)"
        case .shortMonthDayCommaYear: return "\(short) \(d), \(y)"
        case .longMonthDayCommaYear: return "\(long) \(d), \(y)"
        case .ordinalShortMonthYear: return "\(DateFormat.ordinal(d)) \(short) \(y)"
        case .theOrdinalOfMonthYear: return "the \(DateFormat.ordinal(d)) of \(long), \(y)"
        case .dotted: return "\(two(d)).\(two(date.month)).\(y)"
        case .slashed: return "\(two(d))/\(two(date.month))/\(y)"
        case .yearFirstSlashed: return "\(y)/\(two(date.month))/\(two(d))"
        case .hyphenatedShortMonth: return "\(two(d))-\(short)-\(y)"
        case .weekdayLong: return "\(weekday), \(d) \(long) \(y)"
        case .weekdayShort: return "\(weekday.prefix(3)) \(d) \(short) \(y)"
        case .yearShortMonthDay: return "\(y) \(short) \(d)"
        }
    }
}
