import Testing

@testable import Relational

@Suite struct DateTimeTextTests {
    @Test(arguments: [
        (Int64(1970), Int64(1), Int64(1), Int64(0)), (2000, 3, 1, 11_017), (1969, 12, 31, -1), (2024, 2, 29, 19_782),
        (1600, 1, 1, -135_140), (9999, 12, 31, 2_932_896), (1, 1, 1, -719_162),
    ])
    func calendarRoundTrip(year: Int64, month: Int64, day: Int64, days: Int64) {
        #expect(DateTimeText.days(year: year, month: month, day: day) == days)
        let civil = DateTimeText.civil(days: days)
        #expect(civil.year == year && civil.month == month && civil.day == day)
    }

    @Test func everyDayOfFourCenturiesRoundTripsThroughText() throws {
        for days in stride(from: Int32(-146_097), to: 146_097, by: 7) {
            #expect(try DateTimeText.parseDate(DateTimeText.formatDate(days)) == days)
        }
    }

    @Test func formats() {
        #expect(DateTimeText.formatDate(-719_163) == "0000-12-31")
        #expect(DateTimeText.formatDate(-719_529) == "-0001-12-31")
        #expect(DateTimeText.formatDate(2_932_897) == "+10000-01-01")
        #expect(DateTimeText.formatTimestamp(1_510_894_425_123) == "2017-11-17T04:53:45.123")
        #expect(DateTimeText.formatTime(0) == "00:00:00")
        #expect(DateTimeText.formatTime(86_399_999) == "23:59:59.999")
    }

    @Test(arguments: [
        "", "2024", "2024-1-01", "2024-01-01x", "2024-01-01T", "2024-01-01T10", "2024-01-01T10:00:00.",
        "2024-01-01T10:00:00+5",
    ])
    func rejectsMalformedTimestamps(text: String) {
        #expect(throws: RelationalError.self) { try DateTimeText.parseTimestamp(text) }
    }
}
