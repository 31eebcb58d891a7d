import Relational

/// COALESCE, IFNULL, NULLIF and AS_VALUE: the functions whose point is NULL handling, so none of them is strict.
enum NullFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        // The first non-NULL argument; NULL when all are NULL.
        library.register("COALESCE") { (arguments) throws(EvaluationError) -> Value in
            for argument in arguments where !argument.isNull { return argument }
            return .null
        }
        // IFNULL(expr, alternative): expr unless it is NULL.
        library.register("IFNULL") { (arguments) throws(EvaluationError) -> Value in
            arguments[0].isNull ? (arguments.count > 1 ? arguments[1] : .null) : arguments[0]
        }
        // NULLIF(a, b): NULL when a = b (a NULL `b` never matches), else a.
        library.register("NULLIF") { (arguments) throws(EvaluationError) -> Value in
            guard arguments.count > 1 else { return arguments[0] }
            return Value.sqlEquals(arguments[0], arguments[1]) == true ? .null : arguments[0]
        }
        // Copies a key column into the value: the identity on values.
        library.register("AS_VALUE") { (arguments) throws(EvaluationError) -> Value in arguments[0] }
    }
}
