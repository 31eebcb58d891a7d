import Relational

/// A compiled Java `DateTimeFormatter`-style pattern, for FORMAT_*/PARSE_* and the deprecated date functions.
///
/// Supported letters (repeat counts as in Java):
/// - `y`/`u` year (`yy` two digits, 2000-based when parsing; otherwise at least as many digits as letters),
///   `M`/`L` month (`M`, `MM`, `MMM` = Jan, `MMMM` = January), `d` day of month, `D` day of year,
///   `E` day of week (`E`…`EEE` = Mon, `EEEE` = Monday; ignored when parsing).
/// - `H` hour 0-23, `k` hour 1-24, `h` hour 1-12, `K` hour 0-11, `a` AM/PM, `m` minute, `s` second,
///   `S`… fraction of a second (`S` tenths, `SS` hundredths, `SSS` milliseconds, more letters pad with zeros).
/// - `X`/`XX`/`XXX` offset with `Z` for zero, `x`/`xx`/`xxx` offset, `Z` offset `+HHMM`: written from the time
///   zone argument (UTC by default) and, when parsing, applied to the result.
/// - `'text'` is literal text, `''` a single quote; other non-letters are literal. Any other letter is refused
///   (22023) rather than silently misformatted.
/// Parsing is strict about literals and field widths (adjacent numeric fields take exactly their width), and
/// missing fields default to 1970-01-01 00:00:00.000. Text that does not match is 22007; a field out of range
/// (month 13, February 30) is 22008.
struct DateTimeFormat: Sendable {
    enum Field: Sendable, Equatable {
        case year, month, day, dayOfYear, dayOfWeek, hour24, hour24From1, hour12, hour12From0, amPm, minute, second,
            fraction, offsetX, offsetLowerX, offsetZ
    }

    enum Token: Sendable, Equatable {
        case literal([UInt8])
        case field(Field, count: Int)

        var isNumeric: Bool {
            guard case .field(let field, let count) = self else { return false }
            switch field {
            case .month, .dayOfWeek: return count < 3
            case .amPm, .offsetX, .offsetLowerX, .offsetZ: return false
            default: return true
            }
        }
    }

    let tokens: [Token]
    let pattern: String

    var hasTimeFields: Bool {
        tokens.contains {
            guard case .field(let f, _) = $0 else { return false }
            return [.hour24, .hour24From1, .hour12, .hour12From0, .amPm, .minute, .second, .fraction].contains(f)
        }
    }

    var hasDateFields: Bool {
        tokens.contains {
            guard case .field(let f, _) = $0 else { return false }
            return [.year, .month, .day, .dayOfYear, .dayOfWeek].contains(f)
        }
    }

    var hasOffsetFields: Bool {
        tokens.contains {
            guard case .field(let f, _) = $0 else { return false }
            return [.offsetX, .offsetLowerX, .offsetZ].contains(f)
        }
    }

    static let cache = PatternCache<DateTimeFormat>()

    /// The compiled pattern, from the process-wide cache.
    static func compiled(_ pattern: String) throws(EvaluationError) -> DateTimeFormat {
        try cache.value(for: pattern) { (text) throws(EvaluationError) -> DateTimeFormat in try DateTimeFormat(text) }
    }

    init(_ pattern: String) throws(EvaluationError) {
        self.pattern = pattern
        let bytes = Array(pattern.utf8)
        var tokens: [Token] = []
        var index = 0
        func appendLiteral(_ literal: some Sequence<UInt8>) {
            if case .literal(let previous)? = tokens.last {
                tokens[tokens.count - 1] = .literal(previous + literal)
            } else {
                tokens.append(.literal(Array(literal)))
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
                    appendLiteral([byte])
                    index += 2
                    continue
                }
                var text: [UInt8] = []
                index += 1
                var closed = false
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "'") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
                            text.append(bytes[index])
                            index += 2
                            continue
                        }
                        closed = true
                        index += 1
                        break
                    }
                    text.append(bytes[index])
                    index += 1
                }
                guard closed else {
                    throw FunctionSupport.invalid("unterminated quote in date/time pattern '\(pattern)'")
                }
                appendLiteral(text)
                continue
            }
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            guard isLetter else {
                appendLiteral([byte])
                index += 1
                continue
            }
            var count = 1
            while index + count < bytes.count, bytes[index + count] == byte { count += 1 }
            guard let field = Self.field(for: byte) else {
                throw FunctionSupport.invalid(
                    "unsupported letter '\(Character(Unicode.Scalar(byte)))' in date/time pattern '\(pattern)'")
            }
            guard count <= 9 else { throw FunctionSupport.invalid("too many pattern letters in '\(pattern)'") }
            tokens.append(.field(field, count: count))
            index += count
        }
        self.tokens = tokens
    }

    static func field(for letter: UInt8) -> Field? {
        switch Character(Unicode.Scalar(letter)) {
        case "y", "u": .year
        case "M", "L": .month
        case "d": .day
        case "D": .dayOfYear
        case "E": .dayOfWeek
        case "H": .hour24
        case "k": .hour24From1
        case "h": .hour12
        case "K": .hour12From0
        case "a": .amPm
        case "m": .minute
        case "s": .second
        case "S": .fraction
        case "X": .offsetX
        case "x": .offsetLowerX
        case "Z": .offsetZ
        default: nil
        }
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    // MARK: - Formatting

    /// Formats local time `localMs` (epoch milliseconds already shifted into the zone) whose zone is
    /// `offsetSeconds` east of UTC.
    func format(localMs: Int64, offsetSeconds: Int) -> String {
        let (days, msOfDay) = CalendarMath.floorDivMod(localMs, CalendarMath.msPerDay)
        let (year, month, day) = DateTimeText.civil(days: days)
        var out: [UInt8] = []
        for token in tokens {
            switch token {
            case .literal(let bytes):
                out += bytes
            case .field(let field, let count):
                appendField(
                    field, count, days: days, year: year, month: month, day: day, ms: msOfDay,
                    offset: offsetSeconds, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func appendField(
        _ field: Field, _ count: Int, days: Int64, year: Int64, month: Int64, day: Int64, ms: Int64,
        offset: Int, to out: inout [UInt8]
    ) {
        let hour = ms / 3_600_000
        switch field {
        case .year:
            if count == 2 {
                appendNumber(((year % 100) + 100) % 100, width: 2, to: &out)
            } else {
                if year > 9999 && count == 4 { out.append(UInt8(ascii: "+")) }
                appendNumber(year, width: count, to: &out)
            }
        case .month:
            if count >= 3 {
                let name = Self.monthNames[Int(month - 1)]
                out += Array((count == 3 ? String(name.prefix(3)) : name).utf8)
            } else {
                appendNumber(month, width: count, to: &out)
            }
        case .day: appendNumber(day, width: count, to: &out)
        case .dayOfYear:
            appendNumber(days - DateTimeText.days(year: year, month: 1, day: 1) + 1, width: count, to: &out)
        case .dayOfWeek:
            let name = Self.dayNames[Int(CalendarMath.floorDivMod(days + 3, 7).1)]
            out += Array((count <= 3 ? String(name.prefix(3)) : name).utf8)
        case .hour24: appendNumber(hour, width: count, to: &out)
        case .hour24From1: appendNumber(hour == 0 ? 24 : hour, width: count, to: &out)
        case .hour12: appendNumber(hour % 12 == 0 ? 12 : hour % 12, width: count, to: &out)
        case .hour12From0: appendNumber(hour % 12, width: count, to: &out)
        case .amPm: out += Array((hour < 12 ? "AM" : "PM").utf8)
        case .minute: appendNumber(ms / 60_000 % 60, width: count, to: &out)
        case .second: appendNumber(ms / 1000 % 60, width: count, to: &out)
        case .fraction:
            var digits: [UInt8] = []
            appendNumber(ms % 1000, width: 3, to: &digits)
            while digits.count < count { digits.append(0x30) }
            out += digits.prefix(count)
        case .offsetX, .offsetLowerX, .offsetZ:
            appendOffset(field, count, offset, to: &out)
        }
    }

    func appendOffset(_ field: Field, _ count: Int, _ offset: Int, to out: inout [UInt8]) {
        if offset == 0 && field == .offsetX {
            out.append(UInt8(ascii: "Z"))
            return
        }
        out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = Int64(abs(offset))
        appendNumber(magnitude / 3600, width: 2, to: &out)
        let minutes = magnitude / 60 % 60
        switch (field, count) {
        case (.offsetZ, _): appendNumber(minutes, width: 2, to: &out)
        case (_, 1): if minutes != 0 { appendNumber(minutes, width: 2, to: &out) }
        case (_, 2): appendNumber(minutes, width: 2, to: &out)
        default:
            out.append(UInt8(ascii: ":"))
            appendNumber(minutes, width: 2, to: &out)
        }
    }

    func appendNumber(_ value: Int64, width: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let digits = Array(String(value.magnitude).utf8)
        for _ in digits.count..<max(width, digits.count) { out.append(0x30) }
        out += digits
    }

    // MARK: - Parsing

    /// The fields read from text.
    struct Parsed {
        var year: Int64 = 1970
        var month: Int64 = 1
        var day: Int64 = 1
        var dayOfYear: Int64?
        var hour: Int64 = 0
        var hour12: Int64?
        var pm: Bool?
        var minute: Int64 = 0
        var second: Int64 = 0
        var millis: Int64 = 0
        /// Seconds east of UTC when the text carried an offset.
        var offsetSeconds: Int?
    }

    func parse(_ text: String) throws(EvaluationError) -> Parsed {
        let bytes = Array(text.utf8)
        var index = 0
        var parsed = Parsed()
        let mismatch = EvaluationError("22007", "text '\(text)' does not match the date/time pattern '\(pattern)'")
        for (position, token) in tokens.enumerated() {
            switch token {
            case .literal(let literal):
                guard index + literal.count <= bytes.count, bytes[index..<index + literal.count].elementsEqual(literal)
                else { throw mismatch }
                index += literal.count
            case .field(let field, let count):
                let adjacent = position + 1 < tokens.count && tokens[position + 1].isNumeric
                guard try parseField(field, count, adjacent: adjacent, bytes, &index, &parsed) else { throw mismatch }
            }
        }
        guard index == bytes.count else { throw mismatch }
        return parsed
    }

    /// Reads one field; false when the text does not match.
    func parseField(
        _ field: Field, _ count: Int, adjacent: Bool, _ bytes: [UInt8], _ index: inout Int,
        _ parsed: inout Parsed
    ) throws(EvaluationError) -> Bool {
        func number(min: Int, max: Int) -> Int64? {
            var value: Int64 = 0
            var read = 0
            while index < bytes.count, read < max, bytes[index] &- 0x30 < 10 {
                value = value * 10 + Int64(bytes[index] - 0x30)
                index += 1
                read += 1
            }
            return read >= min ? value : nil
        }
        let width = adjacent ? count : Swift.max(count, 2)
        switch field {
        case .year:
            if count == 2 {
                guard let v = number(min: 2, max: 2) else { return false }
                parsed.year = 2000 + v
            } else {
                var negative = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                    negative = bytes[index] == UInt8(ascii: "-")
                    index += 1
                }
                guard let v = number(min: count, max: adjacent ? count : 9) else { return false }
                parsed.year = negative ? -v : v
            }
        case .month:
            if count >= 3 {
                guard let m = name(Self.monthNames, abbreviated: count == 3, bytes, &index) else { return false }
                parsed.month = Int64(m + 1)
            } else {
                guard let v = number(min: count, max: width) else { return false }
                parsed.month = v
            }
        case .day:
            guard let v = number(min: count, max: width) else { return false }
            parsed.day = v
        case .dayOfYear:
            guard let v = number(min: count, max: adjacent ? count : 3) else { return false }
            parsed.dayOfYear = v
        case .dayOfWeek:
            guard name(Self.dayNames, abbreviated: count <= 3, bytes, &index) != nil else { return false }
        case .hour24, .hour24From1:
            guard let v = number(min: count, max: width) else { return false }
            parsed.hour = field == .hour24From1 && v == 24 ? 0 : v
        case .hour12, .hour12From0:
            guard let v = number(min: count, max: width) else { return false }
            parsed.hour12 = v % 12
        case .amPm:
            guard index + 2 <= bytes.count else { return false }
            let word = (bytes[index] | 0x20, bytes[index + 1] | 0x20)
            guard word.1 == UInt8(ascii: "m"), word.0 == UInt8(ascii: "a") || word.0 == UInt8(ascii: "p") else {
                return false
            }
            parsed.pm = word.0 == UInt8(ascii: "p")
            index += 2
        case .minute:
            guard let v = number(min: count, max: width) else { return false }
            parsed.minute = v
        case .second:
            guard let v = number(min: count, max: width) else { return false }
            parsed.second = v
        case .fraction:
            let start = index
            guard let v = number(min: count, max: adjacent ? count : 9) else { return false }
            var digits = index - start
            var millis = v
            while digits > 3 {
                millis /= 10
                digits -= 1
            }
            while digits < 3 {
                millis *= 10
                digits += 1
            }
            parsed.millis = millis
        case .offsetX, .offsetLowerX, .offsetZ:
            guard let offset = TimeZoneRule.parseOffset(bytes, &index) else { return false }
            parsed.offsetSeconds = offset
        }
        return true
    }

    /// Matches a (possibly abbreviated) English name, case-insensitively; returns its index.
    func name(_ names: [String], abbreviated: Bool, _ bytes: [UInt8], _ index: inout Int) -> Int? {
        for (position, full) in names.enumerated() {
            let candidate = Array((abbreviated ? String(full.prefix(3)) : full).lowercased().utf8)
            guard index + candidate.count <= bytes.count else { continue }
            if bytes[index..<index + candidate.count].map({ $0 | 0x20 }).elementsEqual(candidate) {
                index += candidate.count
                return position
            }
        }
        return nil
    }

    /// The local date-time the parsed fields name, in epoch milliseconds, checked for range (22008).
    static func localMilliseconds(_ p: Parsed, text: String) throws(EvaluationError) -> Int64 {
        let overflow = EvaluationError("22008", "date/time field value out of range: '\(text)'")
        var hour = p.hour
        if let h12 = p.hour12 { hour = h12 + (p.pm == true ? 12 : 0) } else if p.pm == true, hour < 12 { hour += 12 }
        guard abs(p.year) <= 1_000_000, hour < 24, p.minute < 60, p.second < 60 else { throw overflow }
        let days: Int64
        if let dayOfYear = p.dayOfYear {
            let length: Int64 = CalendarMath.isLeap(p.year) ? 366 : 365
            guard dayOfYear >= 1, dayOfYear <= length else { throw overflow }
            days = DateTimeText.days(year: p.year, month: 1, day: 1) + dayOfYear - 1
        } else {
            guard (1...12).contains(p.month), p.day >= 1, p.day <= CalendarMath.daysInMonth(p.year, p.month) else {
                throw overflow
            }
            days = DateTimeText.days(year: p.year, month: p.month, day: p.day)
        }
        return days * CalendarMath.msPerDay + ((hour * 60 + p.minute) * 60 + p.second) * 1000 + p.millis
    }
}

/// Gregorian calendar helpers not exported by Relational's `DateTimeText`.
enum CalendarMath {
    static let msPerDay: Int64 = 86_400_000

    static func floorDivMod(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let q = value / divisor
        let r = value % divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
