import Relational
import Streams

extension FunctionRegistry {
    /// The built-in scalar, aggregate, table and window functions of sql-features.md §5, with ksqlDB's signatures.
    public static let builtIn = FunctionRegistry(numeric + strings + collections + dates + json + misc + aggregates + tableAndWindow)
}

// MARK: - Helpers

private typealias P = ParameterType

private func scalar(_ name: String, _ summary: String, _ signatures: FunctionSignature...) -> FunctionDescription {
    FunctionDescription(name, .scalar, signatures, summary)
}

private func sig(_ parameters: [P], variadic: P? = nil, minimum: Int? = nil, _ returns: DataType) -> FunctionSignature {
    FunctionSignature(parameters, variadic: variadic, minimumArguments: minimum, returns: .fixed(returns))
}

private func sig(_ parameters: [P], variadic: P? = nil, minimum: Int? = nil, pattern: P) -> FunctionSignature {
    FunctionSignature(parameters, variadic: variadic, minimumArguments: minimum, returns: .pattern(pattern))
}

/// DOUBLE math over any numeric argument (ksqlDB widens to DOUBLE).
private func math(_ name: String, _ summary: String, arity: Int = 1) -> FunctionDescription {
    scalar(name, summary, sig(Array(repeating: .double, count: arity), .double))
}

private let T = P.generic("T")
private let U = P.generic("U")

/// The argument's own numeric type (ABS, CEIL, FLOOR, SIGN keep INT/BIGINT/DECIMAL/DOUBLE).
private let sameNumeric = FunctionSignature([.numeric], returns: .computed("the argument's type") { $0[0] })

// MARK: - Scalar

private let numeric: [FunctionDescription] = [
    scalar("ABS", "Absolute value.", sameNumeric),
    math("ACOS", "Inverse cosine, in radians."), math("ASIN", "Inverse sine, in radians."),
    math("ATAN", "Inverse tangent, in radians."), math("ATAN2", "Angle of the point (x, y), in radians.", arity: 2),
    math("CBRT", "Cube root."), scalar("CEIL", "Smallest integer not below the argument.", sameNumeric),
    math("COS", "Cosine."), math("COSH", "Hyperbolic cosine."), math("COT", "Cotangent."),
    math("DEGREES", "Radians to degrees."), math("EXP", "e raised to the argument."),
    scalar("FLOOR", "Largest integer not above the argument.", sameNumeric), math("LN", "Natural logarithm."),
    scalar("LOG", "Logarithm: natural with one argument, LOG(base, x) with two.", sig([.double], .double), sig([.double, .double], .double)),
    scalar("PI", "π.", sig([], .double)), math("POWER", "x raised to y.", arity: 2), math("RADIANS", "Degrees to radians."),
    scalar("RANDOM", "A random DOUBLE in [0, 1).", sig([], .double)),
    scalar("ROUND", "Rounds half up; with a scale, to that many decimal places.",
           FunctionSignature([.integral], returns: .fixed(.bigint)), sig([.double], .bigint),
           FunctionSignature([.exact(.decimal(precision: 38, scale: 0))], returns: .computed("DECIMAL(p, 0)") { types in
               if case .decimal(let p, let s) = types[0] { return .decimal(precision: max(1, p - s + (s > 0 ? 1 : 0)), scale: 0) }
               return types[0]
           }),
           sig([.double, .int], .double),
           FunctionSignature([.exact(.decimal(precision: 38, scale: 0)), .int], returns: .computed("DECIMAL(p, s)") { $0[0] })),
    scalar("SIGN", "-1, 0 or 1.", sig([.double], .int)), math("SIN", "Sine."), math("SINH", "Hyperbolic sine."),
    math("SQRT", "Square root."), math("TAN", "Tangent."), math("TANH", "Hyperbolic tangent."),
    scalar("TRUNC", "Truncates toward zero; with a scale, to that many decimal places.", sig([.double], .bigint), sig([.double, .int], .double)),
    scalar("GREATEST", "The largest non-null argument.", sig([T], variadic: T, pattern: T)),
    scalar("LEAST", "The smallest non-null argument.", sig([T], variadic: T, pattern: T)),
    scalar("GEO_DISTANCE", "Great-circle distance between two (lat, lon) points, in km or miles.",
           sig([.double, .double, .double, .double, .string], minimum: 4, .double)),
    scalar("GENERATE_SERIES", "An array from start to end by step.",
           sig([.int, .int, .int], minimum: 2, .array(.int)), sig([.bigint, .bigint, .int], minimum: 2, .array(.bigint))),
]

private let strings: [FunctionDescription] = [
    scalar("CHR", "The character with this code point.", sig([.int], .string), sig([.string], .string)),
    scalar("CONCAT", "Joins strings (NULLs skipped).", sig([.string], variadic: .string, .string), sig([.bytes], variadic: .bytes, .bytes)),
    scalar("CONCAT_WS", "Joins strings with a separator.", sig([.string, .string], variadic: .string, .string)),
    scalar("INITCAP", "Capitalises each word.", sig([.string], .string)),
    scalar("INSTR", "1-based position of a substring (0 if absent).", sig([.string, .string, .int, .int], minimum: 2, .int)),
    scalar("LCASE", "Lower case.", sig([.string], .string)), scalar("UCASE", "Upper case.", sig([.string], .string)),
    scalar("LEN", "Length in characters (or bytes for BYTES).", sig([.string], .int), sig([.bytes], .int)),
    // PostgreSQL's names, for the clients and tools that reach Sluice over the PostgreSQL wire.
    scalar("LOWER", "Lower case (PostgreSQL's name for LCASE).", sig([.string], .string)),
    scalar("UPPER", "Upper case (PostgreSQL's name for UCASE).", sig([.string], .string)),
    scalar("LENGTH", "Length in characters, or bytes for BYTES (PostgreSQL's name for LEN).", sig([.string], .int), sig([.bytes], .int)),
    scalar("CHAR_LENGTH", "Length in characters (PostgreSQL's name for LEN).", sig([.string], .int)),
    scalar("LPAD", "Pads on the left to a length.", sig([.string, .int, .string], .string), sig([.bytes, .int, .bytes], .bytes)),
    scalar("RPAD", "Pads on the right to a length.", sig([.string, .int, .string], .string), sig([.bytes, .int, .bytes], .bytes)),
    scalar("TRIM", "Removes leading and trailing whitespace.", sig([.string], .string)),
    scalar("REPLACE", "Replaces every occurrence of a substring.", sig([.string, .string, .string], .string)),
    scalar("SUBSTRING", "Substring from a 1-based position, optionally of a length.",
           sig([.string, .int, .int], minimum: 2, .string), sig([.bytes, .int, .int], minimum: 2, .bytes)),
    scalar("SPLIT", "Splits on a delimiter into an array.", sig([.string, .string], .array(.string)), sig([.bytes, .bytes], .array(.bytes))),
    scalar("SPLIT_TO_MAP", "Splits 'k=v;k2=v2' into a map.", sig([.string, .string, .string], .map(key: .string, value: .string))),
    scalar("UUID", "A random UUID string.", sig([], .string)),
    scalar("ENCODE", "Re-encodes a string between hex, utf8, ascii and base64.", sig([.string, .string, .string], .string)),
    scalar("MD5", "Hex MD5 digest.", sig([.string], .string)),
    scalar("MASK", "Masks characters by class.", sig([.string, .string, .string, .string, .string], minimum: 1, .string)),
    scalar("MASK_KEEP_LEFT", "Masks all but the first n characters.", sig([.string, .int, .string, .string, .string, .string], minimum: 2, .string)),
    scalar("MASK_KEEP_RIGHT", "Masks all but the last n characters.", sig([.string, .int, .string, .string, .string, .string], minimum: 2, .string)),
    scalar("MASK_LEFT", "Masks the first n characters.", sig([.string, .int, .string, .string, .string, .string], minimum: 2, .string)),
    scalar("MASK_RIGHT", "Masks the last n characters.", sig([.string, .int, .string, .string, .string, .string], minimum: 2, .string)),
    scalar("REGEXP_EXTRACT", "The (group of the) first match of a regex.", sig([.string, .string, .int], minimum: 2, .string)),
    scalar("REGEXP_EXTRACT_ALL", "The (group of) every match of a regex.", sig([.string, .string, .int], minimum: 2, .array(.string))),
    scalar("REGEXP_REPLACE", "Replaces every match of a regex.", sig([.string, .string, .string], .string)),
    scalar("REGEXP_SPLIT_TO_ARRAY", "Splits on a regex.", sig([.string, .string], .array(.string))),
    scalar("FROM_BYTES", "Bytes to a string in hex, utf8, ascii or base64.", sig([.bytes, .string], .string)),
    scalar("TO_BYTES", "A string in hex, utf8, ascii or base64 to bytes.", sig([.string, .string], .bytes)),
    scalar("URL_DECODE_PARAM", "Decodes an application/x-www-form-urlencoded string.", sig([.string], .string)),
    scalar("URL_ENCODE_PARAM", "Encodes as application/x-www-form-urlencoded.", sig([.string], .string)),
    scalar("URL_EXTRACT_FRAGMENT", "The fragment of a URL.", sig([.string], .string)),
    scalar("URL_EXTRACT_HOST", "The host of a URL.", sig([.string], .string)),
    scalar("URL_EXTRACT_PARAMETER", "A query parameter of a URL.", sig([.string, .string], .string)),
    scalar("URL_EXTRACT_PATH", "The path of a URL.", sig([.string], .string)),
    scalar("URL_EXTRACT_PORT", "The port of a URL.", sig([.string], .int)),
    scalar("URL_EXTRACT_PROTOCOL", "The scheme of a URL.", sig([.string], .string)),
    scalar("URL_EXTRACT_QUERY", "The query string of a URL.", sig([.string], .string)),
]

private let collections: [FunctionDescription] = [
    scalar("AS_MAP", "A map from an array of keys and an array of values.", sig([.array(.string), .array(T)], pattern: .map(T))),
    scalar("ARRAY_CONCAT", "Concatenates two arrays.", sig([.array(T), .array(T)], pattern: .array(T))),
    scalar("ARRAY_CONTAINS", "Whether an array holds a value.", sig([.array(T), T], .boolean)),
    scalar("ARRAY_DISTINCT", "The array without duplicates.", sig([.array(T)], pattern: .array(T))),
    scalar("ARRAY_EXCEPT", "Elements of the first array not in the second.", sig([.array(T), .array(T)], pattern: .array(T))),
    scalar("ARRAY_INTERSECT", "Elements in both arrays.", sig([.array(T), .array(T)], pattern: .array(T))),
    scalar("ARRAY_UNION", "Distinct elements of either array.", sig([.array(T), .array(T)], pattern: .array(T))),
    scalar("ARRAY_LENGTH", "Number of elements.", sig([.array(T)], .int)),
    scalar("ARRAY_MAX", "Largest element.", sig([.array(T)], pattern: T)),
    scalar("ARRAY_MIN", "Smallest element.", sig([.array(T)], pattern: T)),
    scalar("ARRAY_REMOVE", "The array without a value.", sig([.array(T), T], pattern: .array(T))),
    scalar("ARRAY_SORT", "Sorted array, 'ASC' or 'DESC'.", sig([.array(T), .string], minimum: 1, pattern: .array(T))),
    scalar("ARRAY_JOIN", "Joins elements into a string.", sig([.array(T), .string], minimum: 1, .string)),
    scalar("SLICE", "Elements from a 1-based start to an end, inclusive.", sig([.array(T), .int, .int], pattern: .array(T))),
    scalar("MAP_KEYS", "The keys of a map.", sig([.map(T)], .array(.string))),
    scalar("MAP_VALUES", "The values of a map.", sig([.map(T)], pattern: .array(T))),
    scalar("MAP_UNION", "Union of two maps (the second wins).", sig([.map(T), .map(T)], pattern: .map(T))),
    scalar("ENTRIES", "The entries of a map as STRUCT<K, V> values, sorted by key when the flag is true.",
           FunctionSignature([.map(T), .boolean], returns: .computed("ARRAY<STRUCT<K STRING, V T>>") { types in
               let value: DataType = if case .map(_, let value) = types[0] { value } else { .string }
               return .array(.struct([.init("K", .string), .init("V", value)]))
           })),
    scalar("ELT", "The n-th of the strings (1-based).", sig([.int], variadic: .string, .string)),
    scalar("FIELD", "1-based index of a string among the others (0 if absent).", sig([.string], variadic: .string, .int)),
    // Over a map the lambdas take (key, value); a new key must be a STRING, as every map key is.
    scalar("TRANSFORM", "Applies a lambda to every element of an array, or two to every key and value of a map.",
           FunctionSignature([.array(T), .lambda(parameters: [T], returns: U)], returns: .pattern(.array(U))),
           FunctionSignature(
               [.map(T), .lambda(parameters: [.string, T], returns: .string),
                .lambda(parameters: [.string, T], returns: U)],
               returns: .pattern(.map(U)))),
    scalar("FILTER", "Keeps the elements (or map entries) for which a lambda is true.",
           FunctionSignature([.array(T), .lambda(parameters: [T], returns: .boolean)], returns: .pattern(.array(T))),
           FunctionSignature(
               [.map(T), .lambda(parameters: [.string, T], returns: .boolean)], returns: .pattern(.map(T)))),
    scalar("REDUCE", "Folds an array (or a map's keys and values) with a lambda from an initial state.",
           FunctionSignature([.array(T), U, .lambda(parameters: [U, T], returns: U)], returns: .pattern(U)),
           FunctionSignature([.map(T), U, .lambda(parameters: [U, .string, T], returns: U)], returns: .pattern(U))),
]

private let dates: [FunctionDescription] = [
    scalar("CONVERT_TZ", "Moves a timestamp from one time zone to another.", sig([.timestamp, .string, .string], .timestamp)),
    scalar("DATEADD", "Adds n units to a date.", sig([.timeUnit, .int, .date], .date)),
    scalar("DATESUB", "Subtracts n units from a date.", sig([.timeUnit, .int, .date], .date)),
    scalar("TIMEADD", "Adds n units to a time.", sig([.timeUnit, .int, .time], .time)),
    scalar("TIMESUB", "Subtracts n units from a time.", sig([.timeUnit, .int, .time], .time)),
    scalar("TIMESTAMPADD", "Adds n units to a timestamp.", sig([.timeUnit, .integral, .timestamp], .timestamp)),
    scalar("TIMESTAMPSUB", "Subtracts n units from a timestamp.", sig([.timeUnit, .integral, .timestamp], .timestamp)),
    scalar("FORMAT_DATE", "Formats a date with a pattern.", sig([.date, .string], .string)),
    scalar("FORMAT_TIME", "Formats a time with a pattern.", sig([.time, .string], .string)),
    scalar("FORMAT_TIMESTAMP", "Formats a timestamp with a pattern (and time zone).", sig([.timestamp, .string, .string], minimum: 2, .string)),
    scalar("PARSE_DATE", "Parses a date with a pattern.", sig([.string, .string], .date)),
    scalar("PARSE_TIME", "Parses a time with a pattern.", sig([.string, .string], .time)),
    scalar("PARSE_TIMESTAMP", "Parses a timestamp with a pattern (and time zone).", sig([.string, .string, .string], minimum: 2, .timestamp)),
    scalar("FROM_DAYS", "Days since the epoch to a DATE.", sig([.int], .date)),
    scalar("FROM_UNIXTIME", "Milliseconds since the epoch to a TIMESTAMP.", sig([.bigint], .timestamp)),
    scalar("UNIX_DATE", "Days since the epoch of a date (today without an argument).", sig([.date], minimum: 0, .int)),
    scalar("UNIX_TIMESTAMP", "Milliseconds since the epoch of a timestamp (now without an argument).", sig([.timestamp], minimum: 0, .bigint)),
    scalar("NOW", "The current time as a TIMESTAMP, evaluated per row (PostgreSQL's name).", sig([], .timestamp)),
    scalar("DATETOSTRING", "Deprecated: days since the epoch formatted with a pattern.", sig([.int, .string], .string)),
    scalar("STRINGTODATE", "Deprecated: a date string to days since the epoch.", sig([.string, .string], .int)),
    scalar("STRINGTOTIMESTAMP", "Deprecated: a timestamp string to milliseconds since the epoch.", sig([.string, .string, .string], minimum: 2, .bigint)),
    scalar("TIMESTAMPTOSTRING", "Deprecated: milliseconds since the epoch formatted with a pattern.", sig([.bigint, .string, .string], minimum: 2, .string)),
]

private let json: [FunctionDescription] = [
    scalar("EXTRACTJSONFIELD", "The value at a JSONPath in a JSON string, as a string.", sig([.string, .string], .string)),
    scalar("IS_JSON_STRING", "Whether a string is valid JSON.", sig([.string], .boolean)),
    scalar("JSON_ARRAY_LENGTH", "Length of a JSON array string.", sig([.string], .int)),
    scalar("JSON_ARRAY_CONTAINS", "Whether a JSON array string holds a value.", sig([.string, .any], .boolean)),
    scalar("JSON_CONCAT", "Merges JSON objects or concatenates JSON arrays.", sig([.string], variadic: .string, .string)),
    scalar("JSON_KEYS", "Keys of a JSON object string.", sig([.string], .array(.string))),
    scalar("JSON_RECORDS", "Key/value pairs of a JSON object string.", sig([.string], .map(key: .string, value: .string))),
    scalar("JSON_ITEMS", "Elements of a JSON array string.", sig([.string], .array(.string))),
    scalar("TO_JSON_STRING", "Any value as a JSON string.", sig([.any], .string)),
]

private let misc: [FunctionDescription] = [
    scalar("COALESCE", "The first non-null argument.", sig([T], variadic: T, pattern: T)),
    scalar("IFNULL", "The second argument when the first is null.", sig([T, T], pattern: T)),
    scalar("NULLIF", "NULL when both arguments are equal, else the first.", sig([T, T], pattern: T)),
    scalar("AS_VALUE", "Copies a key column into the value.", sig([T], pattern: T)),
    scalar("BIGINT_FROM_BYTES", "A BIGINT from 8 bytes (byte order optional).", sig([.bytes, .string], minimum: 1, .bigint)),
    scalar("INT_FROM_BYTES", "An INT from 4 bytes (byte order optional).", sig([.bytes, .string], minimum: 1, .int)),
    scalar("DOUBLE_FROM_BYTES", "A DOUBLE from 8 bytes (byte order optional).", sig([.bytes, .string], minimum: 1, .double)),
]

// MARK: - Aggregate, table and window

private func aggregate(_ name: String, _ summary: String, _ signatures: FunctionSignature...) -> FunctionDescription {
    FunctionDescription(name, .aggregate, signatures, summary)
}

private let sumType = FunctionSignature([.numeric], returns: .computed("BIGINT, DOUBLE or DECIMAL(38, s)") { types in
    switch types.first {
    case .int?, .bigint?: .bigint
    case .decimal(_, let scale)?: .decimal(precision: 38, scale: scale)
    default: .double
    }
})

private let aggregates: [FunctionDescription] = [
    aggregate("COUNT", "Number of rows (COUNT(*)) or of non-null values.", sig([], .bigint), sig([.any], .bigint)),
    aggregate("COUNT_DISTINCT", "Number of distinct non-null values.", sig([.any], .bigint)),
    aggregate("SUM", "Sum of non-null values.", sumType),
    aggregate("AVG", "Mean of non-null values.", sig([.numeric], .double)),
    aggregate("MIN", "Smallest non-null value.", sig([T], pattern: T)),
    aggregate("MAX", "Largest non-null value.", sig([T], pattern: T)),
    aggregate("LATEST_BY_OFFSET", "The value of the latest offset (or the last n values).",
              sig([T], pattern: T), sig([T, .boolean], pattern: T), sig([T, .int], pattern: .array(T)), sig([T, .int, .boolean], pattern: .array(T))),
    aggregate("EARLIEST_BY_OFFSET", "The value of the earliest offset (or the first n values).",
              sig([T], pattern: T), sig([T, .boolean], pattern: T), sig([T, .int], pattern: .array(T)), sig([T, .int, .boolean], pattern: .array(T))),
    aggregate("COLLECT_LIST", "All values, as an array.", sig([T], pattern: .array(T))),
    aggregate("COLLECT_SET", "Distinct values, as an array.", sig([T], pattern: .array(T))),
    aggregate("TOPK", "The k largest values, as an array.", sig([T, .int], pattern: .array(T))),
    aggregate("TOPKDISTINCT", "The k largest distinct values, as an array.", sig([T, .int], pattern: .array(T))),
    aggregate("HISTOGRAM", "Count of each value.", sig([.string], .map(key: .string, value: .bigint))),
    aggregate("STDDEV_SAMP", "Sample standard deviation.", sig([.numeric], .double)),
    aggregate("STDDEV_SAMPLE", "Sample standard deviation.", sig([.numeric], .double)),
    aggregate("CORRELATION", "Pearson correlation of two columns.", sig([.double, .double], .double)),
    aggregate("ATTR", "The value when the group has one distinct value, else NULL.", sig([T], pattern: T)),
]

private let tableAndWindow: [FunctionDescription] = [
    FunctionDescription("EXPLODE", .table, [sig([.array(T)], pattern: T)], "One row per element of an array."),
    FunctionDescription("CUBE_EXPLODE", .table, [sig([.array(T)], pattern: .array(T))], "One row per combination of the columns."),
    FunctionDescription("ROW_NUMBER", .window, [sig([], .bigint)], "1-based position of the row in its partition."),
    FunctionDescription("LAG", .window, [sig([T, .int, T], minimum: 1, pattern: T)], "The value n rows before in the partition."),
    FunctionDescription("LEAD", .window, [sig([T, .int, T], minimum: 1, pattern: T)], "The value n rows after in the partition."),
]
