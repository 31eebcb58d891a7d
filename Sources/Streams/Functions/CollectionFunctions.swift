import Relational

/// The ARRAY and MAP functions (sql-features.md §5, "Collections"), with ksqlDB's NULL rules:
/// - Element equality is `IS NOT DISTINCT FROM` (a NULL element matches NULL; numbers by value).
/// - ARRAY_DISTINCT, ARRAY_EXCEPT, ARRAY_INTERSECT and ARRAY_UNION keep the first occurrence of each element,
///   in input order; they are NULL when an array argument is NULL.
/// - ARRAY_CONCAT and MAP_UNION return the other argument when one is NULL, NULL when both are.
/// - ARRAY_CONTAINS on a NULL array is FALSE; ARRAY_LENGTH of NULL is NULL.
/// - ARRAY_MAX/ARRAY_MIN skip NULL elements (NULL for an empty or all-NULL array).
/// - ARRAY_SORT sorts 'ASC'/'ASCENDING' (default) or 'DESC'/'DESCENDING', NULL elements last either way; any
///   other direction gives NULL (ksqlDB's ArraySort).
/// - ARRAY_JOIN writes elements as text (NULL as 'null'), delimiter ',' by default.
/// - SLICE(arr, from, to) is 1-based and inclusive; NULL when the range falls outside the array
///   (ksqlDB's `subList` failing).
/// - ENTRIES(map, sorted) is the map's entries as STRUCT<K, V> values, in map order or, when `sorted` is TRUE,
///   by key (ksqlDB's Entries); NULL when either argument is NULL.
/// - AS_MAP pairs keys and values by position: missing values are NULL, extra values ignored, a repeated key
///   keeps its first position and its last value.
enum CollectionFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        library.register("AS_MAP", body: FunctionSupport.strict(asMap))
        library.register(
            "ARRAY_CONCAT",
            body: { (a) throws(EvaluationError) -> Value in
                switch (a.array(0), a.array(1)) {
                case (nil, nil): return .null
                case (let x?, nil): return .array(x)
                case (nil, let y?): return .array(y)
                case (let x?, let y?): return .array(x + y)
                }
            })
        library.register(
            "ARRAY_CONTAINS",
            body: { (a) throws(EvaluationError) -> Value in
                guard let array = a.array(0) else { return .boolean(false) }
                return .boolean(array.contains { Value.isNotDistinct($0, a[1]) })
            })
        library.register(
            "ARRAY_DISTINCT",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .array(distinct(a.array(0) ?? []))
            })
        library.register(
            "ARRAY_EXCEPT",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                let exclude = Set(a.array(1) ?? [])
                return .array(distinct(a.array(0) ?? []).filter { !exclude.contains($0) })
            })
        library.register(
            "ARRAY_INTERSECT",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                let other = Set(a.array(1) ?? [])
                return .array(distinct(a.array(0) ?? []).filter { other.contains($0) })
            })
        library.register(
            "ARRAY_UNION",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .array(distinct((a.array(0) ?? []) + (a.array(1) ?? [])))
            })
        library.register(
            "ARRAY_LENGTH",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .int(Int32(truncatingIfNeeded: a.array(0)?.count ?? 0))
            })
        library.register(
            "ARRAY_MAX",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                extremum(a.array(0) ?? [], sign: 1)
            })
        library.register(
            "ARRAY_MIN",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                extremum(a.array(0) ?? [], sign: -1)
            })
        library.register(
            "ARRAY_REMOVE",
            body: { (a) throws(EvaluationError) -> Value in
                guard let array = a.array(0) else { return .null }
                return .array(array.filter { !Value.isNotDistinct($0, a[1]) })
            })
        library.register("ARRAY_SORT", body: sort)
        library.register("ARRAY_JOIN") { types, _ in
            var element = DataType.string
            if case .array(let e)? = types.first { element = e }
            return join(elementType: element)
        }
        library.register("SLICE", body: slice)
        library.register(
            "MAP_KEYS",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .array((a.map(0) ?? []).map(\.key))
            })
        library.register(
            "MAP_VALUES",
            body: FunctionSupport.strict { (a) throws(EvaluationError) -> Value in
                .array((a.map(0) ?? []).map(\.value))
            })
        library.register("ENTRIES", body: FunctionSupport.strict(entries))
        library.register(
            "MAP_UNION",
            body: { (a) throws(EvaluationError) -> Value in
                switch (a.map(0), a.map(1)) {
                case (nil, nil): return .null
                case (let x?, nil): return .map(x)
                case (nil, let y?): return .map(y)
                case (var x?, let y?):
                    for entry in y { upsert(&x, entry) }
                    return .map(x)
                }
            })
    }

    /// The elements without repeats, first occurrences in order. Both arrays of a call have the same element type
    /// (the planner coerces them), so grouping identity (`Value`'s `==`) is `IS NOT DISTINCT FROM` here.
    static func distinct(_ elements: [Value]) -> [Value] {
        var seen = Set<Value>()
        var result: [Value] = []
        result.reserveCapacity(elements.count)
        for element in elements where seen.insert(element).inserted { result.append(element) }
        return result
    }

    static func extremum(_ elements: [Value], sign: Int) -> Value {
        var best: Value = .null
        for element in elements where !element.isNull {
            if best.isNull || (Value.compare(element, best) ?? 0) * sign > 0 { best = element }
        }
        return best
    }

    static func upsert(_ entries: inout [Value.MapEntry], _ entry: Value.MapEntry) {
        if let index = entries.firstIndex(where: { Value.isNotDistinct($0.key, entry.key) }) {
            entries[index].value = entry.value
        } else {
            entries.append(entry)
        }
    }

    static func asMap(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let keys = a.array(0), let values = a.array(1) else { return .null }
        var entries: [Value.MapEntry] = []
        entries.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() {
            upsert(&entries, Value.MapEntry(key, index < values.count ? values[index] : .null))
        }
        return .map(entries)
    }

    /// Each entry as a two-field struct (K, V). Map keys are distinct, so sorting by key is a total order.
    static func entries(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard var entries = a.map(0), let sorted = a[1].boolValue else { return .null }
        if sorted { entries.sort { Value.orderingCompare($0.key, $1.key) < 0 } }
        return .array(entries.map { .struct([$0.key, $0.value]) })
    }

    static func sort(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let array = a.array(0) else { return .null }
        var descending = false
        if a.has(1) {
            guard let direction = a.string(1) else { return .null }
            switch direction.uppercased() {
            case "ASC", "ASCENDING": descending = false
            case "DESC", "DESCENDING": descending = true
            default: return .null
            }
        }
        return .array(
            array.sorted { x, y in
                Value.orderingCompare(x, y, descending: descending, nulls: .nullsLast) < 0
            })
    }

    static func join(elementType: DataType) -> ScalarFunctionBody {
        { (a) throws(EvaluationError) -> Value in
            guard let array = a.array(0) else { return .null }
            let delimiter = a.has(1) ? a.string(1) ?? "" : ","
            var result = ""
            for (index, element) in array.enumerated() {
                if index > 0 { result += delimiter }
                do throws(RelationalError) { result += try Value.text(element, type: elementType) } catch {
                    throw FunctionSupport.mapped(error)
                }
            }
            return .string(result)
        }
    }

    static func slice(_ a: UnsafeBufferPointer<Value>) throws(EvaluationError) -> Value {
        guard let array = a.array(0) else { return .null }
        let start = a.integer(1).map { $0 - 1 } ?? 0
        let end = a.integer(2) ?? Int64(array.count)
        guard start >= 0, end <= array.count, start <= end else { return .null }
        return .array(Array(array[Int(start)..<Int(end)]))
    }
}
