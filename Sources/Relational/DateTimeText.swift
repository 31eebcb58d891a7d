/// ISO-8601 text for DATE, TIME and TIMESTAMP, and the proleptic Gregorian calendar arithmetic behind it.
///
/// Formats written: DATE `yyyy-MM-dd`, TIME `HH:mm:ss` plus `.SSS` when the milliseconds are not zero,
/// TIMESTAMP `yyyy-MM-ddTHH:mm:ss.SSS` (ksqlDB's CAST(… AS STRING) form). Years outside 0000...9999 get a
/// sign, as ISO-8601's expanded representation. Parsing accepts what ksqlDB and PostgreSQL users write:
/// `2024-02-29`, `12:30`, `12:30:05.123456` (digits beyond milliseconds are truncated),
/// `2024-02-29T12:30:05`, a space instead of `T`, a date alone (midnight), and a trailing `Z` or
/// `±HH[:MM]` offset, which is converted to UTC. Fields out of range throw `datetimeFieldOverflow`;
/// other bad text `invalidTextRepresentation`. Calendar conversions follow the well-known era-based
/// days-from-civil algorithm; no Foundation, no time-zone database.
public enum DateTimeText {
    public static let msPerDay: Int64 = 86_400_000

    // MARK: - Calendar

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The (year, month, day) of a day number (days since 1970-01-01).
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Floor division for negative timestamps.
    static func floorDivMod(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let q = value / divisor
        let r = value % divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }

    // MARK: - Formatting

    public static func formatDate(_ days: Int32) -> String {
        var out: [UInt8] = []
        appendDate(Int64(days), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func formatTime(_ ms: Int32) -> String {
        var out: [UInt8] = []
        appendTime(Int64(ms), alwaysMillis: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func formatTimestamp(_ ms: Int64) -> String {
        var out: [UInt8] = []
        let (days, msOfDay) = floorDivMod(ms, msPerDay)
        appendDate(days, to: &out)
        out.append(UInt8(ascii: "T"))
        appendTime(msOfDay, alwaysMillis: true, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendDate(_ days: Int64, to out: inout [UInt8]) {
        let (year, month, day) = civil(days: days)
        if year < 0 || year > 9999 { out.append(year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")) }
        appendPadded(year.magnitude, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(UInt64(month), width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(UInt64(day), width: 2, to: &out)
    }

    static func appendTime(_ ms: Int64, alwaysMillis: Bool, to out: inout [UInt8]) {
        let value = UInt64(max(0, ms))
        appendPadded(value / 3_600_000, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(value / 60_000 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(value / 1000 % 60, width: 2, to: &out)
        if alwaysMillis || value % 1000 != 0 {
            out.append(UInt8(ascii: "."))
            appendPadded(value % 1000, width: 3, to: &out)
        }
    }

    static func appendPadded(_ value: UInt64, width: Int, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(rest % 10) + 0x30)
            rest /= 10
        } while rest != 0
        for _ in digits.count..<max(width, digits.count) { out.append(0x30) }
        out.append(contentsOf: digits.reversed())
    }

    // MARK: - Parsing

    /// Days since the epoch of `yyyy-MM-dd`.
    public static func parseDate(_ text: String) throws(RelationalError) -> Int32 {
        var cursor = TextCursor(text)
        let days = try cursor.date(typeName: "date")
        try cursor.expectEnd(typeName: "date")
        guard let result = Int32(exactly: days) else { throw overflow("date", text) }
        return result
    }

    /// Milliseconds since midnight of `HH:mm[:ss[.fff]]`.
    public static func parseTime(_ text: String) throws(RelationalError) -> Int32 {
        var cursor = TextCursor(text)
        let ms = try cursor.time(typeName: "time")
        try cursor.expectEnd(typeName: "time")
        return Int32(ms)
    }

    /// Milliseconds since the epoch of an ISO-8601 date-time (see the type's documentation).
    public static func parseTimestamp(_ text: String) throws(RelationalError) -> Int64 {
        var cursor = TextCursor(text)
        let days = try cursor.date(typeName: "timestamp")
        var ms: Int64 = 0
        if cursor.consume(UInt8(ascii: "T")) || cursor.consume(UInt8(ascii: "t")) || cursor.consume(0x20) {
            ms = try cursor.time(typeName: "timestamp")
            ms -= try cursor.zoneOffsetMs()
        }
        try cursor.expectEnd(typeName: "timestamp")
        let (total, overflow) = days.multipliedReportingOverflow(by: msPerDay)
        guard !overflow, case let (sum, false) = total.addingReportingOverflow(ms) else {
            throw Self.overflow("timestamp", text)
        }
        return sum
    }

    static func overflow(_ typeName: String, _ text: String) -> RelationalError {
        RelationalError(.datetimeFieldOverflow, "\(typeName) field value out of range: \"\(text)\"")
    }
}

/// A forward reader over the UTF-8 of date/time text.
struct TextCursor {
    let bytes: [UInt8]
    let text: String
    var index = 0

    init(_ text: String) {
        self.text = text
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        self.bytes = bytes
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    var atEnd: Bool { index >= bytes.count }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    func bad(_ typeName: String) -> RelationalError {
        RelationalError(.invalidTextRepresentation, "invalid input syntax for type \(typeName): \"\(text)\"")
    }

    mutating func expectEnd(typeName: String) throws(RelationalError) {
        guard atEnd else { throw bad(typeName) }
    }

    /// Exactly `count` digits (or, with `atLeast`, `count` or more).
    mutating func digits(_ count: Int, atLeast: Bool = false, typeName: String) throws(RelationalError) -> Int64 {
        var value: Int64 = 0
        var read = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, atLeast || read < count, read < 12 {
            value = value * 10 + Int64(bytes[index] - 0x30)
            index += 1
            read += 1
        }
        guard read >= count else { throw bad(typeName) }
        return value
    }

    mutating func date(typeName: String) throws(RelationalError) -> Int64 {
        let negative = consume(UInt8(ascii: "-"))
        if !negative { _ = consume(UInt8(ascii: "+")) }
        let year = try digits(4, atLeast: true, typeName: typeName) * (negative ? -1 : 1)
        guard consume(UInt8(ascii: "-")) else { throw bad(typeName) }
        let month = try digits(2, typeName: typeName)
        guard consume(UInt8(ascii: "-")) else { throw bad(typeName) }
        let day = try digits(2, typeName: typeName)
        guard (1...12).contains(month), day >= 1, day <= DateTimeText.daysInMonth(year: year, month: month),
            abs(year) <= 5_000_000
        else {
            throw DateTimeText.overflow(typeName, text)
        }
        return DateTimeText.days(year: year, month: month, day: day)
    }

    mutating func time(typeName: String) throws(RelationalError) -> Int64 {
        let hour = try digits(2, typeName: typeName)
        guard consume(UInt8(ascii: ":")) else { throw bad(typeName) }
        let minute = try digits(2, typeName: typeName)
        var second: Int64 = 0
        var millis: Int64 = 0
        if consume(UInt8(ascii: ":")) {
            second = try digits(2, typeName: typeName)
            if consume(UInt8(ascii: ".")) { millis = try fractionMillis(typeName: typeName) }
        }
        guard hour < 24, minute < 60, second < 60 else { throw DateTimeText.overflow(typeName, text) }
        return ((hour * 60 + minute) * 60 + second) * 1000 + millis
    }

    /// One to nine fractional digits, truncated to milliseconds.
    mutating func fractionMillis(typeName: String) throws(RelationalError) -> Int64 {
        var millis: Int64 = 0
        var read = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            if read < 3 { millis = millis * 10 + Int64(bytes[index] - 0x30) }
            read += 1
            index += 1
        }
        guard (1...9).contains(read) else { throw bad(typeName) }
        for _ in read..<max(3, read) { millis *= 10 }
        return millis
    }

    /// `Z`, `±HH`, `±HH:MM` or `±HHMM` → milliseconds east of UTC; 0 when absent.
    mutating func zoneOffsetMs() throws(RelationalError) -> Int64 {
        if consume(UInt8(ascii: "Z")) || consume(UInt8(ascii: "z")) { return 0 }
        let sign: Int64
        if consume(UInt8(ascii: "+")) {
            sign = 1
        } else if consume(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return 0
        }
        let hours = try digits(2, typeName: "timestamp")
        var minutes: Int64 = 0
        if consume(UInt8(ascii: ":")) || (index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39) {
            minutes = try digits(2, typeName: "timestamp")
        }
        guard hours <= 18, minutes < 60 else { throw DateTimeText.overflow("timestamp", text) }
        return sign * (hours * 60 + minutes) * 60_000
    }
}
