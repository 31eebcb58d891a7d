/// The text form of a value: what `CAST(x AS STRING)` gives and what text formats write.
extension Value {
    /// BOOLEAN `true`/`false`; numbers in plain decimal (DOUBLE shortest round-trip, `NaN`, `Infinity`);
    /// DATE, TIME, TIMESTAMP in ISO-8601 (`DateTimeText`); ARRAY, MAP, STRUCT as JSON text. BYTES has no
    /// text form (`cannotCoerce`, as ksqlDB; use base64 functions).
    public static func text(_ value: Value, type: DataType) throws(RelationalError) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let v): return v ? "true" : "false"
        case .int(let v): return String(v)
        case .bigint(let v): return String(v)
        case .double(let v): return NumberText.doubleText(v)
        case .decimal(let v): return v.description
        case .string(let v): return v
        case .bytes: throw cannotCoerce(type, .string)
        case .date(let v): return DateTimeText.formatDate(v)
        case .time(let v): return DateTimeText.formatTime(v)
        case .timestamp(let v): return DateTimeText.formatTimestamp(v)
        case .array, .map, .struct:
            var out: [UInt8] = []
            JSONWriter.appendValue(value, type: type, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }
}
