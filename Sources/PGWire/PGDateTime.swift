/// Calendar arithmetic for PostgreSQL's date/time wire values, which count days and microseconds from
/// 2000-01-01 (PostgreSQL's `POSTGRES_EPOCH_JDATE`). Proleptic Gregorian, ISO output (DateStyle ISO).
enum PGDateTime {
    static let microsPerDay: Int64 = 86_400_000_000
    /// Days from 1970-01-01 to 2000-01-01.
    static let unixEpochOffsetDays: Int64 = 10_957

    /// Civil date of `days` since 2000-01-01 (Howard Hinnant's days-to-civil algorithm).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + unixEpochOffsetDays + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 2000-01-01 of a civil date (the inverse of `civil(fromDays:)`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 - unixEpochOffsetDays
    }

    static func formatDate(_ days: Int32) -> String {
        let (year, month, day) = civil(fromDays: Int64(days))
        let date = pad(year > 0 ? year : 1 - year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        return year > 0 ? date : date + " BC"
    }

    static func formatTime(_ micros: Int64) -> String {
        let seconds = micros / 1_000_000
        let fraction = micros % 1_000_000
        var text = pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if fraction != 0 {
            var digits = pad(fraction, 6)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    static func formatTimestamp(_ micros: Int64) -> String {
        var days = micros / microsPerDay
        var timeOfDay = micros % microsPerDay
        if timeOfDay < 0 {
            days -= 1
            timeOfDay += microsPerDay
        }
        let (year, month, day) = civil(fromDays: days)
        let date = pad(year > 0 ? year : 1 - year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        let text = date + " " + formatTime(timeOfDay)
        return year > 0 ? text : text + " BC"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

// MARK: - Parsing ISO text (YYYY-MM-DD, HH:MM:SS[.ffffff], with an optional zone offset)

extension PGDateTime {
    static func parseDate(_ text: String) throws(PGError) -> Int64 {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { throw PGCell.invalid(text, "date") }
        return days(year: year, month: month, day: day)
    }

    static func parseTime(_ text: String) throws(PGError) -> Int64 {
        let parts = text.split(separator: ":")
        guard parts.count >= 2, parts.count <= 3, let hours = Int64(parts[0]), let minutes = Int64(parts[1]) else {
            throw PGCell.invalid(text, "time")
        }
        var micros: Int64 = 0
        if parts.count == 3 {
            let seconds = parts[2].split(separator: ".", maxSplits: 1)
            guard let whole = Int64(seconds[0]) else { throw PGCell.invalid(text, "time") }
            micros = whole * 1_000_000
            if seconds.count == 2 {
                let digits = String(seconds[1].prefix(6))
                guard let fraction = Int64(digits) else { throw PGCell.invalid(text, "time") }
                micros += fraction * Int64(pow10(6 - digits.count))
            }
        }
        return (hours * 3600 + minutes * 60) * 1_000_000 + micros
    }

    /// Accepts "YYYY-MM-DD[ T]HH:MM:SS[.f][Z|±HH[:MM]]"; an offset is applied (the result is UTC).
    static func parseTimestamp(_ text: String) throws(PGError) -> Int64 {
        let separator = text.firstIndex { $0 == " " || $0 == "T" }
        let datePart = separator.map { String(text[..<$0]) } ?? text
        let dayCount = try parseDate(datePart)
        guard let separator else { return dayCount * microsPerDay }
        var timePart = String(text[text.index(after: separator)...])
        var offsetSeconds: Int64 = 0
        if let zoneStart = timePart.lastIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }) {
            offsetSeconds = try parseOffset(String(timePart[zoneStart...]), text)
            timePart = String(timePart[..<zoneStart])
        }
        return dayCount * microsPerDay + (try parseTime(timePart)) - offsetSeconds * 1_000_000
    }

    private static func parseOffset(_ zone: String, _ text: String) throws(PGError) -> Int64 {
        if zone == "Z" { return 0 }
        let sign: Int64 = zone.hasPrefix("-") ? -1 : 1
        let fields = zone.dropFirst().split(separator: ":")
        guard let hours = fields.first.flatMap({ Int64($0) }) else { throw PGCell.invalid(text, "timestamp") }
        let minutes = fields.count > 1 ? Int64(fields[1]) ?? 0 : 0
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }
}
