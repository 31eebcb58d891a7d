/// Every keyword of Sluice SQL. Case names are the keywords themselves, upper-case, so that parser code reads
/// like the grammar (`.SELECT`) and no case collides with a Swift keyword.
///
/// A keyword is either reserved (never an unquoted identifier) or non-reserved (an identifier wherever the
/// grammar does not expect that keyword). `Grammar/README.md` lists both sets; a test checks that the lists
/// and this table agree.
public enum Keyword: String, CaseIterable, Hashable, Sendable {
    // MARK: - Reserved
    case ALL, AND, AS, BETWEEN, BY, CASE, CAST, CREATE, DISTINCT, ELSE, EMIT, END, ESCAPE, FALSE, FROM, FULL, GROUP
    case HAVING, IN, INNER, INSERT, INTO, IS, JOIN, LEFT, LIKE, LIMIT, NOT, NULL, OFFSET, ON, OR, ORDER, OUTER, OVER
    case PARTITION, RIGHT, SELECT, THEN, TRUE, UNION, VALUES, WHEN, WHERE, WINDOW, WITH, WITHIN

    // MARK: - Non-reserved
    case ADD, ADVANCE, ALTER, ARRAY, ASC, ASSERT, BEGINNING, BIGINT, BOOLEAN, BYTES, CHANGES, COLUMN, CONSUMER, DATE, DAY, DAYS
    case DECIMAL, DEFINE, DELETE, DESC, DESCRIBE, DOUBLE, DROP, EXISTS, EXPLAIN, EXTENDED, FINAL, FIRST, FUNCTION
    case FUNCTIONS, GRACE, GROUPS, HEADER, HEADERS, HOPPING, HOUR, HOURS, IF, INT, INTEGER, INTERVAL, KEY, LAST, LIST, MAP
    case MILLISECOND, MILLISECONDS, MINUTE, MINUTES, NULLS, PAUSE, PERIOD, PRIMARY, PRINT, PROPERTIES, QUERIES
    case REPLACE, RESUME, RETENTION, RUN, SAMPLE, SCRIPT, SECOND, SECONDS, SESSION, SET, SHOW, SIZE, SOURCE, STREAM
    case STREAMS, STRING, STRUCT, TABLE, TABLES, TERMINATE, TIME, TIMEOUT, TIMESTAMP, TOPIC, TOPICS, TUMBLING, TYPE
    case TYPES, UNDEFINE, UNSET, VARCHAR, VARIABLES

    /// Keywords that can never be an unquoted identifier.
    public static let reserved: Set<Keyword> = [
        .ALL, .AND, .AS, .BETWEEN, .BY, .CASE, .CAST, .CREATE, .DISTINCT, .ELSE, .EMIT, .END, .ESCAPE, .FALSE,
        .FROM, .FULL, .GROUP, .HAVING, .IN, .INNER, .INSERT, .INTO, .IS, .JOIN, .LEFT, .LIKE, .LIMIT, .NOT, .NULL,
        .OFFSET, .ON, .OR, .ORDER, .OUTER, .OVER, .PARTITION, .RIGHT, .SELECT, .THEN, .TRUE, .UNION, .VALUES,
        .WHEN, .WHERE, .WINDOW, .WITH, .WITHIN,
    ]

    /// Whether the keyword can never be an unquoted identifier. A switch (not `reserved.contains`), because the
    /// parser asks for every identifier-like token; a test checks it agrees with `reserved`.
    public var isReserved: Bool {
        switch self {
        case .ALL, .AND, .AS, .BETWEEN, .BY, .CASE, .CAST, .CREATE, .DISTINCT, .ELSE, .EMIT, .END, .ESCAPE, .FALSE,
            .FROM, .FULL, .GROUP, .HAVING, .IN, .INNER, .INSERT, .INTO, .IS, .JOIN, .LEFT, .LIKE, .LIMIT, .NOT, .NULL,
            .OFFSET, .ON, .OR, .ORDER, .OUTER, .OVER, .PARTITION, .RIGHT, .SELECT, .THEN, .TRUE, .UNION, .VALUES,
            .WHEN, .WHERE, .WINDOW, .WITH, .WITHIN:
            true
        default: false
        }
    }

    /// The longest keyword, in bytes; longer words skip the table lookup.
    static let maximumLength = Keyword.allCases.map(\.rawValue.utf8.count).max() ?? 0

    /// The keyword spelled by `word` in any letter case, if any.
    public static func lookup(_ word: String) -> Keyword? {
        let bytes = Array(word.utf8)
        guard bytes.count <= maximumLength else { return nil }
        return KeywordTable.lookup(bytes, 0..<bytes.count)
    }
}
