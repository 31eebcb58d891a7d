enum JSONFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {}
}
