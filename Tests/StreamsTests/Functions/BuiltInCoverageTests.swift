import Relational
import SQLPlanner
import SluiceCore
import Streams
import Testing

/// Every scalar function the planner declares has an implementation, for every declared overload, and no body
/// crashes on NULLs or on edge-case values.
@Suite struct BuiltInCoverageTests {
    static let lambdaFunctions: Set<String> = ["TRANSFORM", "FILTER", "REDUCE"]

    static var scalarFunctions: [FunctionDescription] {
        FunctionRegistry.builtIn.functions.values
            .filter { $0.kind == .scalar && !lambdaFunctions.contains($0.name) }
            .sorted { $0.name < $1.name }
    }

    /// Concrete types a parameter pattern may take (generics as STRING and INT).
    static func concreteTypes(_ parameter: ParameterType) -> [DataType] {
        switch parameter {
        case .exact(let type): [type]
        case .numeric: [.int, .bigint, .double, .decimal(precision: 10, scale: 2)]
        case .integral: [.int, .bigint]
        case .any: [.string, .int, .array(.int)]
        case .generic: [.string, .int]
        case .array(let element): concreteTypes(element).map { .array($0) }
        case .map(let value): concreteTypes(value).map { .map(key: .string, value: $0) }
        case .timeUnit: [.string]
        case .lambda: []
        }
    }

    /// Argument type lists for every arity a signature accepts (one variadic repetition), generics bound alike.
    static func argumentTypeLists(_ signature: FunctionSignature) -> [[DataType]] {
        var lists: [[DataType]] = []
        var parameters = signature.parameters
        if let variadic = signature.variadic { parameters.append(variadic) }
        for count in signature.minimumArguments...parameters.count {
            let prefix = Array(parameters.prefix(count))
            for choice in 0..<4 {
                lists.append(
                    prefix.map { p in
                        let options = concreteTypes(p)
                        return options[min(choice, options.count - 1)]
                    })
            }
        }
        return lists
    }

    @Test func everyDeclaredScalarFunctionIsImplemented() {
        let missing = Self.scalarFunctions.map(\.name).filter { ScalarFunctionLibrary.builtIn.factories[$0] == nil }
        #expect(missing.isEmpty, "missing implementations: \(missing)")
        #expect(Self.scalarFunctions.count >= 120)
        for name in Self.lambdaFunctions { #expect(ScalarFunctionLibrary.builtIn.factories[name] == nil) }
    }

    @Test func everySignatureGetsABody() {
        for function in Self.scalarFunctions {
            for signature in function.signatures {
                for types in Self.argumentTypeLists(signature) {
                    let body = Fn.body(function.name, types, result: .string)
                    #expect(body != nil, "\(function.name)\(types)")
                }
            }
        }
    }

    /// NULL in every argument: most functions return NULL; none may crash. The exceptions are ksqlDB's.
    @Test func allNullArgumentsNeverCrash() throws {
        let nonNullResults: Set<String> = [
            "CONCAT", "CONCAT_WS", "FIELD", "INSTR", "IS_JSON_STRING", "JSON_ARRAY_CONTAINS", "ARRAY_CONTAINS",
            "TO_JSON_STRING", "PI", "RANDOM", "UUID", "UNIX_DATE", "UNIX_TIMESTAMP",
        ]
        for function in Self.scalarFunctions {
            for signature in function.signatures {
                for types in Self.argumentTypeLists(signature) where !types.isEmpty {
                    let nulls = [Value](repeating: .null, count: types.count)
                    let result = try Fn.call(function.name, nulls, types: types)
                    if !nonNullResults.contains(function.name) {
                        #expect(result == .null, "\(function.name)(NULL…) = \(result)")
                    }
                }
            }
        }
    }

    static func samples(_ type: DataType) -> [Value] {
        switch type {
        case .boolean: [.boolean(true), .boolean(false)]
        case .int: [.int(0), .int(1), .int(-1), .int(3), .int(.max), .int(.min), .int(100)]
        case .bigint: [.bigint(0), .bigint(-7), .bigint(.max), .bigint(.min), .bigint(86_400_000)]
        case .double:
            [.double(0), .double(-1.5), .double(2.5), .double(.nan), .double(.infinity), .double(1e300), .double(-91)]
        case .decimal:
            [.decimal(try! SQLDecimal(parsing: "12.34")), .decimal(try! SQLDecimal(parsing: "-99999999.99"))]
        case .string:
            [
                .string(""), .string("a"), .string("Hello, World"), .string("héllo 🙂"), .string("%zz"), .string("$"),
                .string("(["), .string("{\"a\":[1,2]}"), .string("http://u@h:99/p?q=1#f"), .string("yyyy-MM-dd"),
                .string("\\u0041"), .string("BIG_ENDIAN"), .string("DAYS"), .string("UTC"), .string("base64"),
            ]
        case .bytes: [.bytes([]), .bytes([1, 2, 3, 4]), .bytes([0, 0, 0, 0, 0, 0, 0, 1]), .bytes([0xFF])]
        case .date: [.date(0), .date(Int32.max), .date(Int32.min)]
        case .time: [.time(0), .time(86_399_999)]
        case .timestamp: [.timestamp(0), .timestamp(.max), .timestamp(.min), .timestamp(1_700_000_000_123)]
        case .array(let element): [.array([]), .array(samples(element).prefix(3) + [.null]), .array(samples(element))]
        case .map(_, let value):
            [.map([]), .map(samples(value).prefix(2).enumerated().map { .init(.string("k\($0.offset)"), $0.element) })]
        case .struct: [.struct([])]
        }
    }

    /// Edge values in every position, seeded: each call returns or throws an `EvaluationError`, never traps.
    @Test func edgeValuesNeverCrash() throws {
        var random = SeededRandom(seed: 42)
        for function in Self.scalarFunctions {
            for signature in function.signatures {
                for types in Self.argumentTypeLists(signature) {
                    for _ in 0..<40 {
                        let arguments = types.map { type in
                            let options = Self.samples(type)
                            return options[Int(random.next() % UInt64(options.count))]
                        }
                        _ = Fn.errorState(function.name, arguments, types: types)
                    }
                }
            }
        }
    }
}
