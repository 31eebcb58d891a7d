import Relational

/// MASK, MASK_KEEP_LEFT, MASK_KEEP_RIGHT, MASK_LEFT and MASK_RIGHT: replace characters by class.
///
/// Classes are Unicode general categories (Java's `Character.getType`): Lu becomes 'X', Ll 'x', Nd 'n', anything
/// else '-'. The optional trailing arguments give other replacement characters in the order upper, lower, digit,
/// other; each must be exactly one character (22023 otherwise), and a NULL one leaves that class unmasked, as
/// ksqlDB documents. A negative count is 22023.
enum MaskFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {
        library.register(
            "MASK",
            body: { (a) throws(EvaluationError) -> Value in
                guard let text = a.string(0) else { return .null }
                return .string(mask(text, try masker(a, from: 1), { _, _ in true }))
            })
        library.register("MASK_KEEP_LEFT", body: counted("MASK_KEEP_LEFT") { index, count, n in index >= n })
        library.register("MASK_KEEP_RIGHT", body: counted("MASK_KEEP_RIGHT") { index, count, n in index < count - n })
        library.register("MASK_LEFT", body: counted("MASK_LEFT") { index, count, n in index < n })
        library.register("MASK_RIGHT", body: counted("MASK_RIGHT") { index, count, n in index >= count - n })
    }

    /// The replacement for each class; nil leaves the class as it is.
    struct Masker {
        var upper: Unicode.Scalar? = "X"
        var lower: Unicode.Scalar? = "x"
        var digit: Unicode.Scalar? = "n"
        var other: Unicode.Scalar? = "-"

        func masked(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter: return upper ?? scalar
            case .lowercaseLetter: return lower ?? scalar
            case .decimalNumber: return digit ?? scalar
            default: return other ?? scalar
            }
        }
    }

    static func masker(_ a: UnsafeBufferPointer<Value>, from first: Int) throws(EvaluationError) -> Masker {
        var masker = Masker()
        func replacement(_ index: Int, _ current: Unicode.Scalar?) throws(EvaluationError) -> Unicode.Scalar? {
            guard a.has(index) else { return current }
            guard let text = a.string(index) else { return nil }
            var scalars = text.unicodeScalars.makeIterator()
            guard let scalar = scalars.next(), scalars.next() == nil else {
                throw FunctionSupport.invalid("invalid mask character '\(text)': it must be exactly one character")
            }
            return scalar
        }
        masker.upper = try replacement(first, masker.upper)
        masker.lower = try replacement(first + 1, masker.lower)
        masker.digit = try replacement(first + 2, masker.digit)
        masker.other = try replacement(first + 3, masker.other)
        return masker
    }

    /// Masks the scalars at the (0-based) positions for which `shouldMask(index, count)` is true.
    static func mask(_ text: String, _ masker: Masker, _ shouldMask: (Int, Int) -> Bool) -> String {
        let count = TextSupport.scalarCount(text)
        var result = String.UnicodeScalarView()
        for (index, scalar) in text.unicodeScalars.enumerated() {
            result.append(shouldMask(index, count) ? masker.masked(scalar) : scalar)
        }
        return String(result)
    }

    static func counted(_ name: String, _ rule: @escaping @Sendable (Int, Int, Int) -> Bool) -> ScalarFunctionBody {
        { (a) throws(EvaluationError) -> Value in
            guard let text = a.string(0), let n = a.integer(1) else { return .null }
            guard n >= 0 else {
                throw FunctionSupport.invalid("\(name): the number of characters must not be negative")
            }
            let clamped = Int(min(n, Int64(Int32.max)))
            return .string(mask(text, try masker(a, from: 2)) { index, count in rule(index, count, clamped) })
        }
    }
}
