enum DateTimeFunctions {
    static func register(in library: inout ScalarFunctionLibrary) {}
}
