/// Time-zone arguments of CONVERT_TZ, FORMAT_TIMESTAMP, PARSE_TIMESTAMP and the deprecated timestamp functions.
///
/// Supported: `UTC` and its aliases (`GMT`, `UT`, `Z`, `Etc/UTC`, `Etc/GMT`, `Zulu`, `Universal`, any case), and
/// fixed offsets `±H`, `±HH`, `±HHMM`, `±HH:MM`, optionally prefixed by `UTC`/`GMT`/`UT` (`UTC+02:00`), within
/// ±18 hours. Region names such as `Europe/Paris` are refused with 22023: resolving them needs a time-zone
/// database (Foundation's `TimeZone` or the tz files), which Sluice does not load; ksqlDB users who need them
/// can convert with a fixed offset.
enum TimeZoneRule {
    static let utcNames: Set<String> = [
        "UTC", "GMT", "UT", "Z", "ETC/UTC", "ETC/GMT", "ZULU", "UNIVERSAL", "ETC/UCT", "UCT",
    ]

    /// Seconds east of UTC for a zone argument.
    static func offsetSeconds(_ zone: String) throws(EvaluationError) -> Int {
        let upper = zone.uppercased()
        if utcNames.contains(upper) { return 0 }
        var bytes = Array(upper.utf8)
        for prefix in ["UTC", "GMT", "UT"] where bytes.starts(with: prefix.utf8) {
            bytes.removeFirst(prefix.utf8.count)
            break
        }
        var index = 0
        guard let offset = parseOffset(bytes, &index, allowZ: false, allowShortHours: true), index == bytes.count else {
            throw FunctionSupport.invalid(
                "time zone '\(zone)' is not supported: use 'UTC' or a fixed offset such as '+02:00'")
        }
        return offset
    }

    /// Reads `Z` or `±HH[[:]MM]` (or `±H` with `allowShortHours`) at `index`; nil when the text is not an offset.
    static func parseOffset(_ bytes: [UInt8], _ index: inout Int, allowZ: Bool = true, allowShortHours: Bool = false)
        -> Int?
    {
        guard index < bytes.count else { return nil }
        if allowZ, bytes[index] == UInt8(ascii: "Z") {
            index += 1
            return 0
        }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        var position = index + 1
        func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let digit = bytes[position + offset] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            position += count
            return value
        }
        var hours: Int
        if let two = digits(2) {
            hours = two
        } else if allowShortHours, let one = digits(1) {
            hours = one
        } else {
            return nil
        }
        var minutes = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ":") {
            position += 1
            guard let m = digits(2) else { return nil }
            minutes = m
        } else if position + 2 <= bytes.count, let m = digits(2) {
            minutes = m
        }
        guard hours <= 18, minutes < 60, hours * 60 + minutes <= 18 * 60 else { return nil }
        hours = hours * 3600 + minutes * 60
        index = position
        return sign * hours
    }
}
