import Relational
import SluiceCore
import Streams
import Testing

@Suite struct DateTimeFunctionsTests {
    static func date(_ text: String) -> Value { .date(try! DateTimeText.parseDate(text)) }
    static func time(_ text: String) -> Value { .time(try! DateTimeText.parseTime(text)) }
    static func ts(_ text: String) -> Value { .timestamp(try! DateTimeText.parseTimestamp(text)) }

    @Test func dateArithmetic() {
        expectCall("DATEADD", [s("DAYS"), i(3), Self.date("2024-02-27")], Self.date("2024-03-01"))
        expectCall("DATEADD", [s("HOURS"), i(49), Self.date("2024-01-01")], Self.date("2024-01-03"))
        expectCall("DATEADD", [s("day"), i(-1), Self.date("2024-01-01")], Self.date("2023-12-31"))
        expectCall("DATEADD", [s("HOURS"), i(-1), Self.date("2024-01-01")], Self.date("2023-12-31"))
        expectCall("DATEADD", [s("HOURS"), i(1), Self.date("1969-12-31")], Self.date("1969-12-31"))
        expectCall("DATESUB", [s("DAYS"), i(1), Self.date("2024-03-01")], Self.date("2024-02-29"))
        expectCall("DATEADD", [s("DAYS"), null, Self.date("2024-01-01")], null, types: [.string, .int, .date])
        expectCall("DATESUB", [s("DAYS"), i(1), null], null, types: [.string, .int, .date])
        expectError("DATEADD", [s("DAYS"), i(.max), .date(.max)], "22008")
        expectError("DATEADD", [s("FORTNIGHTS"), i(1), .date(0)], "22023")
    }

    @Test func timeArithmeticWrapsAroundMidnight() {
        expectCall("TIMEADD", [s("MINUTES"), i(30), Self.time("23:45")], Self.time("00:15"))
        expectCall("TIMESUB", [s("HOURS"), i(1), Self.time("00:30")], Self.time("23:30"))
        expectCall("TIMEADD", [s("SECONDS"), i(5), Self.time("10:00")], Self.time("10:00:05"))
        expectCall("TIMEADD", [s("DAYS"), i(1000), Self.time("10:00")], Self.time("10:00"))
        expectCall("TIMEADD", [s("DAYS"), i(.max), Self.time("10:00")], Self.time("10:00"))
        expectCall("TIMESUB", [s("MICROSECONDS"), i(1500), Self.time("10:00")], Self.time("09:59:59.998"))
        expectCall("TIMEADD", [s("NANOSECONDS"), i(999_999), Self.time("10:00")], Self.time("10:00"))
        expectCall("TIMEADD", [s("HOURS"), i(1), null], null, types: [.string, .int, .time])
        expectCall("TIMESUB", [null, i(1), Self.time("10:00")], null, types: [.string, .int, .time])
    }

    @Test func timestampArithmetic() {
        expectCall("TIMESTAMPADD", [s("HOURS"), i(2), Self.ts("2024-01-01T23:00:00")], Self.ts("2024-01-02T01:00:00"))
        expectCall("TIMESTAMPADD", [s("MILLISECONDS"), b(1), .timestamp(0)], .timestamp(1))
        expectCall("TIMESTAMPADD", [s("MICROSECONDS"), b(2500), .timestamp(0)], .timestamp(2))
        expectCall("TIMESTAMPSUB", [s("DAYS"), i(1), Self.ts("2024-03-01T00:00:00")], Self.ts("2024-02-29T00:00:00"))
        expectCall("TIMESTAMPADD", [s("DAYS"), null, .timestamp(0)], null, types: [.string, .int, .timestamp])
        expectError("TIMESTAMPADD", [s("DAYS"), b(.max), .timestamp(0)], "22008")
        expectError("TIMESTAMPSUB", [s("MILLISECONDS"), b(.min), .timestamp(0)], "22008")
        expectError("TIMESTAMPADD", [s("MILLISECONDS"), b(1), .timestamp(.max)], "22008")
    }

    @Test func formatting() {
        let t = Self.ts("2024-03-05T07:08:09.012")
        expectCall("FORMAT_TIMESTAMP", [t, s("yyyy-MM-dd'T'HH:mm:ss.SSS")], s("2024-03-05T07:08:09.012"))
        expectCall("FORMAT_TIMESTAMP", [t, s("dd/MM/yy h:mm a, EEE MMM d")], s("05/03/24 7:08 AM, Tue Mar 5"))
        expectCall(
            "FORMAT_TIMESTAMP", [t, s("EEEE d MMMM yyyy 'at' HH'h' ''x''")], s("Tuesday 5 March 2024 at 07h '+00'"))
        expectCall("FORMAT_TIMESTAMP", [t, s("yyyy-MM-dd HH:mm XXX"), s("+02:00")], s("2024-03-05 09:08 +02:00"))
        expectCall("FORMAT_TIMESTAMP", [t, s("HH:mm X"), s("UTC")], s("07:08 Z"))
        expectCall("FORMAT_TIMESTAMP", [t, s("HH:mm Z"), s("-0530")], s("01:38 -0530"))
        expectCall("FORMAT_TIMESTAMP", [t, s("D")], s("65"))
        expectCall("FORMAT_TIMESTAMP", [.timestamp(-1), s("yyyy-MM-dd HH:mm:ss.SSS")], s("1969-12-31 23:59:59.999"))
        expectCall("FORMAT_DATE", [Self.date("2024-02-29"), s("yyyy/MM/dd")], s("2024/02/29"))
        expectCall("FORMAT_TIME", [Self.time("13:05:09.5"), s("hh:mm:ss.SS a")], s("01:05:09.50 PM"))
        expectCall("TIMESTAMPTOSTRING", [b(0), s("yyyy-MM-dd HH:mm")], s("1970-01-01 00:00"))
        expectCall("TIMESTAMPTOSTRING", [b(0), s("HH:mm"), s("UTC+01:00")], s("01:00"))
        expectCall("DATETOSTRING", [i(1), s("yyyy-MM-dd")], s("1970-01-02"))
        expectCall("FORMAT_TIMESTAMP", [null, s("yyyy")], null, types: [.timestamp, .string])
        expectCall("FORMAT_DATE", [Self.date("2024-01-01"), null], null, types: [.date, .string])
        expectCall("FORMAT_TIME", [null, s("HH")], null, types: [.time, .string])
        expectCall("TIMESTAMPTOSTRING", [null, s("yyyy")], null, types: [.bigint, .string])
        expectCall("DATETOSTRING", [null, s("yyyy")], null, types: [.int, .string])
        expectError("FORMAT_DATE", [Self.date("2024-01-01"), s("HH:mm")], "22023")
        expectError("FORMAT_TIME", [Self.time("10:00"), s("yyyy")], "22023")
        expectError("FORMAT_TIMESTAMP", [t, s("yyyy-MM-dd QQ")], "22023")
        expectError("FORMAT_TIMESTAMP", [t, s("'unterminated")], "22023")
        expectError("FORMAT_TIMESTAMP", [t, s("yyyy"), s("Europe/Paris")], "22023")
        expectError("FORMAT_TIMESTAMP", [t, s("yyyy"), s("+25:00")], "22023")
    }

    @Test func parsing() {
        expectCall(
            "PARSE_TIMESTAMP", [s("2024-03-05 07:08:09.012"), s("yyyy-MM-dd HH:mm:ss.SSS")],
            Self.ts("2024-03-05T07:08:09.012"))
        expectCall("PARSE_TIMESTAMP", [s("20240305070809"), s("yyyyMMddHHmmss")], Self.ts("2024-03-05T07:08:09"))
        expectCall("PARSE_TIMESTAMP", [s("05/Mar/2024 7:08 PM"), s("dd/MMM/yyyy h:mm a")], Self.ts("2024-03-05T19:08"))
        expectCall(
            "PARSE_TIMESTAMP", [s("2024-03-05 09:08"), s("yyyy-MM-dd HH:mm"), s("+02:00")],
            Self.ts("2024-03-05T07:08"))
        expectCall(
            "PARSE_TIMESTAMP", [s("2024-03-05T09:08+0100"), s("yyyy-MM-dd'T'HH:mmZ"), s("UTC")],
            Self.ts("2024-03-05T08:08"))
        expectCall("PARSE_TIMESTAMP", [s("2024-03-05T09:08Z"), s("yyyy-MM-dd'T'HH:mmX")], Self.ts("2024-03-05T09:08"))
        expectCall(
            "PARSE_TIMESTAMP", [s("2024-03-05 10:11:12.5"), s("yyyy-MM-dd HH:mm:ss.S")],
            Self.ts("2024-03-05T10:11:12.5"))
        expectCall("PARSE_DATE", [s("29.02.2024"), s("dd.MM.yyyy")], Self.date("2024-02-29"))
        expectCall("PARSE_DATE", [s("2024-060"), s("yyyy-DDD")], Self.date("2024-02-29"))
        expectCall("PARSE_TIME", [s("13:05"), s("HH:mm")], Self.time("13:05"))
        expectCall("STRINGTODATE", [s("1970-01-11"), s("yyyy-MM-dd")], i(10))
        expectCall("STRINGTOTIMESTAMP", [s("1970-01-01 00:00:01"), s("yyyy-MM-dd HH:mm:ss")], b(1000))
        expectCall("STRINGTOTIMESTAMP", [s("1970-01-01 01:00"), s("yyyy-MM-dd HH:mm"), s("+01:00")], b(0))
        expectCall("PARSE_DATE", [null, s("yyyy")], null)
        expectCall("PARSE_TIME", [s("10:00"), null], null)
        expectCall("PARSE_TIMESTAMP", [null, s("yyyy")], null)
        expectCall("STRINGTODATE", [null, s("yyyy")], null)
        expectCall("STRINGTOTIMESTAMP", [null, s("yyyy")], null)
        expectError("PARSE_DATE", [s("2024-02-30"), s("yyyy-MM-dd")], "22008")
        expectError("PARSE_DATE", [s("2024/02/01"), s("yyyy-MM-dd")], "22007")
        expectError("PARSE_DATE", [s("2024-02-01 extra"), s("yyyy-MM-dd")], "22007")
        expectError("PARSE_TIME", [s("25:00"), s("HH:mm")], "22008")
        expectError("PARSE_TIMESTAMP", [s("2024"), s("yyyy"), s("Mars/Olympus")], "22023")
    }

    @Test func formatThenParseRoundTrips() throws {
        let pattern = s("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
        for ms: Int64 in [0, 1, -1, 951_782_400_000, 1_700_000_000_123, -62_135_596_800_000] {
            let text = try Fn.call("FORMAT_TIMESTAMP", [.timestamp(ms), pattern, s("-07:00")])
            let back = try Fn.call("PARSE_TIMESTAMP", [text, pattern])
            #expect(back == .timestamp(ms), "\(text)")
        }
    }

    @Test func convertTimeZone() {
        expectCall(
            "CONVERT_TZ", [Self.ts("2024-01-01T12:00:00"), s("UTC"), s("+05:30")], Self.ts("2024-01-01T17:30:00"))
        expectCall("CONVERT_TZ", [Self.ts("2024-01-01T12:00:00"), s("GMT+2"), s("Z")], Self.ts("2024-01-01T10:00:00"))
        expectCall("CONVERT_TZ", [null, s("UTC"), s("UTC")], null, types: [.timestamp, .string, .string])
        expectError("CONVERT_TZ", [.timestamp(0), s("America/New_York"), s("UTC")], "22023")
    }

    @Test func epochConversions() throws {
        expectCall("FROM_DAYS", [i(19_000)], .date(19_000))
        expectCall("FROM_UNIXTIME", [b(1_700_000_000_000)], .timestamp(1_700_000_000_000))
        expectCall("UNIX_DATE", [Self.date("1970-01-11")], i(10))
        expectCall("UNIX_TIMESTAMP", [.timestamp(1234)], b(1234))
        expectCall("FROM_DAYS", [null], null, types: [.int])
        expectCall("FROM_UNIXTIME", [null], null, types: [.bigint])
        expectCall("UNIX_DATE", [null], null, types: [.date])
        expectCall("UNIX_TIMESTAMP", [null], null, types: [.timestamp])
        guard case .bigint(let now) = try Fn.call("UNIX_TIMESTAMP", []),
            case .int(let today) = try Fn.call("UNIX_DATE", [])
        else { Issue.record("no current time"); return }
        #expect(now > 1_700_000_000_000)
        #expect(Int64(today) == now / 86_400_000 || Int64(today) == now / 86_400_000 - 1)
    }

    @Test func currentTimeComesFromTheInjectedClock() throws {
        let library = ScalarFunctionLibrary.builtIn(clock: ManualClock(milliseconds: 1_700_000_000_123))
        let empty: [Value] = []
        let now = try empty.withUnsafeBufferPointer { (buffer) throws(EvaluationError) -> Value in
            try library.body(for: "UNIX_TIMESTAMP", argumentTypes: [], resultType: .bigint)?(buffer) ?? .null
        }
        let today = try empty.withUnsafeBufferPointer { (buffer) throws(EvaluationError) -> Value in
            try library.body(for: "UNIX_DATE", argumentTypes: [], resultType: .int)?(buffer) ?? .null
        }
        #expect(now == .bigint(1_700_000_000_123))
        #expect(today == .int(19_675))
    }
}
