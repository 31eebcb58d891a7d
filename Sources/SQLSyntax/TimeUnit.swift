/// The unit of a window, WITHIN or TIMEOUT duration. Singular and plural spellings are the same unit.
public enum TimeUnit: String, Hashable, Sendable, CaseIterable {
    case milliseconds = "MILLISECONDS"
    case seconds = "SECONDS"
    case minutes = "MINUTES"
    case hours = "HOURS"
    case days = "DAYS"

    init?(_ keyword: Keyword) {
        switch keyword {
        case .MILLISECOND, .MILLISECONDS: self = .milliseconds
        case .SECOND, .SECONDS: self = .seconds
        case .MINUTE, .MINUTES: self = .minutes
        case .HOUR, .HOURS: self = .hours
        case .DAY, .DAYS: self = .days
        default: return nil
        }
    }

    /// The singular spelling, used by the unparser for a count of one.
    public var singular: String { String(rawValue.dropLast()) }

    /// How many milliseconds one unit lasts.
    public var milliseconds: Int64 {
        switch self {
        case .milliseconds: 1
        case .seconds: 1_000
        case .minutes: 60_000
        case .hours: 3_600_000
        case .days: 86_400_000
        }
    }
}
